// Job-time guard and data errors (gcn.md §4, §8), cancellation, and the buffer segmentation
// constant (§10.6).

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { runGcnAssessment } from '../../../lib/assessments/gcn/run.js';
import type { GcnAssessmentOptions, GcnResultDocument } from '../../../lib/assessments/gcn/types.js';
import { JobError, isAbortError } from '../../../lib/errors.js';
import { activateVersion, gcnConfig, insertLayer, point, pond, RAG_ZONES, resetGcnLayers, site, square, WIDE_EDGE } from './helpers.js';

let db: TestDatabase;
before(async () => { db = await cloneTemplate(); });
after(async () => { await db.drop(); });
beforeEach(async () => { await resetGcnLayers(db.sql); });

function run(overrides: Partial<GcnAssessmentOptions> = {}): Promise<GcnResultDocument> {
  return runGcnAssessment({ rlb: [site(square(0, 100, 0, 100))], surveyPonds: [pond(point(25, 25))], uniqueRef: 'G', config: gcnConfig(), sql: db.sql, signal: new AbortController().signal, ...overrides });
}

function rejectsWith(code: string, detail: Record<string, unknown>): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof JobError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.kind, 'data');
    for (const [key, value] of Object.entries(detail)) assert.equal(error.detail[key], value, key);
    return true;
  };
}

describe('GCN reference-data guard (gcn.md §4, §8)', () => {
  test('no active risk-zone version → gcn_reference_data_missing naming the table, logged at ERROR', async () => {
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    const logged: Record<string, unknown>[] = [];
    await assert.rejects(run({ logger: { error: (fields) => void logged.push(fields) } }), rejectsWith('gcn_reference_data_missing', { table: 'gcn_risk_zones' }));
    assert.equal(logged[0]?.table, 'gcn_risk_zones');
  });

  test('an active version with no rows is missing too', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await activateVersion(db.sql, 'edp_edges', 7);
    await assert.rejects(run(), rejectsWith('gcn_reference_data_missing', { table: 'edp_edges', activeVersion: 7 }));
  });

  test('the national route needs gcn_ponds; the survey route never does', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    await assert.rejects(run({ surveyPonds: null }), rejectsWith('gcn_reference_data_missing', { table: 'gcn_ponds' }));
    const doc = await run();
    assert.equal(doc.route, 'survey');
  });

  test('a selected EDP edge with a blank or null EDPName is invalid; one outside E is not read', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE, { geometry: square(3000, 3100, 0, 100), attributes: { EDPName: ' ' } }]);
    const fine = await run();
    assert.equal(fine.pond_frequency_edp_split[0]?.EDPName, 'Wide');
    await insertLayer(db.sql, 'edp_edges', 2, [WIDE_EDGE, { geometry: square(0, 10, 0, 10), attributes: { EDPName: '  ' } }]);
    await assert.rejects(run(), rejectsWith('gcn_reference_data_invalid', { table: 'edp_edges', reason: 'blank_edp_name' }));
    await insertLayer(db.sql, 'edp_edges', 3, [WIDE_EDGE, { geometry: square(0, 10, 0, 10), attributes: {} }]);
    await assert.rejects(run(), rejectsWith('gcn_reference_data_invalid', { table: 'edp_edges', reason: 'null_edp_name' }));
  });

  test('no risk zone in the extent: empty tables and gcn_no_risk_zones', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, [{ geometry: square(5000, 5100, 0, 100), attributes: { RZ: 'Red' } }]);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    const doc = await run();
    assert.equal(doc.summary.risk_zone_features, 0);
    assert.deepEqual([doc.habitat_impact, doc.pond_frequency, doc.habitat_impact_edp_split, doc.pond_frequency_edp_split], [[], [], [], []]);
    assert.ok(doc.warnings.some((w) => w.code === 'gcn_no_risk_zones'));
  });

  test('survey warnings from the reader are carried; gcn_tmpimp_defaulted counts the ponds', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    const doc = await run({ surveyWarnings: [{ code: 'gcn_tmpimp_defaulted', message: 'x' }, { code: 'something_else', message: 'y' }] });
    assert.deepEqual(doc.warnings.map((w) => [w.code, w.count]), [['gcn_tmpimp_defaulted', 1]]);
  });
});

describe('GCN cancellation', () => {
  test('an aborted signal stops the run before any query', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('stop', 'AbortError'));
    await assert.rejects(run({ signal: controller.signal }), (error: unknown) => isAbortError(error));
  });

  test('aborting cancels the statement on the server', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    // Another session holds a lock the run's first read must wait for: the run is then
    // provably inside a statement when the signal fires.
    const blocker = postgres(db.url, { max: 1, onnotice: () => undefined });
    try {
      await blocker`BEGIN`;
      await blocker`LOCK TABLE gcn_risk_zones IN ACCESS EXCLUSIVE MODE`;
      const controller = new AbortController();
      const running = run({ signal: controller.signal });
      const settled = running.then(() => 'resolved', (error: unknown) => error);
      let waiting = 0;
      for (let i = 0; i < 500 && waiting === 0; i += 1) {
        const [row] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        waiting = row?.n ?? 0;
        if (waiting === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(waiting, 1, 'the run is blocked inside a statement');
      controller.abort(new DOMException('deadline', 'AbortError'));
      const outcome = await settled;
      assert.ok(isAbortError(outcome), String(outcome));
      const [left] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      assert.equal(left?.n, 0, 'the waiting statement was cancelled, not abandoned');
    } finally {
      await blocker`ROLLBACK`.catch(() => undefined);
      await blocker.end();
    }
  });
});

describe('buffer segmentation (gcn.md §10.6)', () => {
  test('BUF uses 16 segments per quarter: 65 points, 196034.28 m² for a 250 m point buffer', async () => {
    const [row] = await db.sql<{ n: number; area: number }[]>`
      SELECT ST_NPoints(b)::int AS n, ST_Area(b)::float8 AS area FROM (SELECT ST_Buffer('POINT(0 0)'::geometry, 250, 'quad_segs=16') AS b) t`;
    assert.equal(row?.n, 65);
    assert.ok(Math.abs((row?.area ?? 0) - 196034.28) < 0.01);
  });

  test('the assessment buffers with that segmentation: the extent of a 100 m square is 10000 + 4·100·250 + 196034.28', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    const doc = await run({ debug: true });
    // (8 segments would give about 4,700 m² less; the 0.05 m² slack covers snapping the vertices to the 0.1 mm grid.)
    assert.ok(Math.abs(doc.summary.extent_area_m2 - (10000 + 100000 + 196034.28)) < 0.05, String(doc.summary.extent_area_m2));
    // A point pond's zone is exactly one 64-gon.
    assert.ok(Math.abs((doc.intermediates?.pond_zone_area_m2 ?? 0) - 196034.28) < 0.05, String(doc.intermediates?.pond_zone_area_m2));
  });
});
