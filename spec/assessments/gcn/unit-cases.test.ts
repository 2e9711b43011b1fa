// gcn.md §10.4 unit cases that run the whole assessment on hand-built layers (U1–U4, U8,
// U12–U17). U5–U7 (survey file checks) are in survey-input.test.ts; U9–U11 in stages.test.ts.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { runGcnAssessment } from '../../../lib/assessments/gcn/run.js';
import type { GcnAssessmentOptions, GcnResultDocument } from '../../../lib/assessments/gcn/types.js';
import { JobError } from '../../../lib/errors.js';
import type { Sql } from '../../../lib/db/sql.js';
import { gcnConfig, insertLayer, point, pond, RAG_ZONES, resetGcnLayers, site, square, WIDE_EDGE, type ZoneFeature } from './helpers.js';

let db: TestDatabase;
before(async () => { db = await cloneTemplate(); });
after(async () => { await db.drop(); });
beforeEach(async () => { await resetGcnLayers(db.sql); });

const RLB = [site(square(0, 100, 0, 100))];

function run(overrides: Partial<GcnAssessmentOptions> = {}): Promise<GcnResultDocument> {
  return runGcnAssessment({ rlb: RLB, surveyPonds: null, uniqueRef: 'REF', config: gcnConfig(), sql: db.sql, signal: new AbortController().signal, debug: true, ...overrides });
}

async function layers(zones: ZoneFeature[], nationalPonds: [number, number][] | null): Promise<void> {
  await insertLayer(db.sql, 'gcn_risk_zones', 1, zones);
  await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
  if (nationalPonds) await insertLayer(db.sql, 'gcn_ponds', 1, nationalPonds.map(([x, y]) => ({ geometry: point(x, y), attributes: {} })));
}

const habitatKeys = (doc: GcnResultDocument): string[] => doc.habitat_impact.map((r) => `${r.Area}|${r.RZ}|${r.Shape_Area}`).sort();
const frequencyLines = (doc: GcnResultDocument): string[] => doc.pond_frequency.map((r) => `${r.PANS}|${r.Area}|${r.MaxZone}|${r.TmpImp}|${r.FREQUENCY}`);
const warningCodes = (doc: GcnResultDocument): string[] => doc.warnings.map((w) => w.code);

describe('gcn unit cases (gcn.md §10.4)', () => {
  test('U1 national route: six habitat rows, one RLB pond, far pond outside E', async () => {
    await layers(RAG_ZONES, [[25, 25], [500, 500]]);
    const doc = await run();
    assert.equal(doc.route, 'national');
    assert.deepEqual(habitatKeys(doc), ['Buffer|Amber|2500', 'Buffer|Green|2500', 'Buffer|Red|2500', 'RLB|Amber|2500', 'RLB|Green|2500', 'RLB|Red|2500']);
    assert.deepEqual(frequencyLines(doc), ['NS|RLB|Red|F|1']);
    assert.equal(doc.summary.ponds_in_extent, 1);
    assert.equal(doc.summary.ponds_read, 1, 'the national query reads only ponds intersecting E');
    assert.ok(Math.abs(doc.summary.extent_area_m2 - 306034.29) < 0.01, String(doc.summary.extent_area_m2));
    assert.ok(doc.data_versions.gcn_ponds !== null);
    // H5 order: unit ascending, then piece z.
    const order = doc.habitat_impact.map((r) => r.unit);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });

  test('U1r ring mode: RLB rows unchanged, no Buffer rows', async () => {
    await layers(RAG_ZONES, [[25, 25], [500, 500]]);
    const doc = await run({ config: gcnConfig({ bufferMode: 'ring' }) });
    assert.equal(doc.buffer_mode, 'ring');
    assert.deepEqual(habitatKeys(doc), ['RLB|Amber|2500', 'RLB|Green|2500', 'RLB|Red|2500']);
    assert.deepEqual(frequencyLines(doc), ['NS|RLB|Red|F|1']);
    assert.ok(Math.abs(doc.summary.extent_area_m2 - 306034.29) < 0.01, 'the extent is the disc in both modes');
  });

  test('U2 survey route: frequency from the file; the national layer is not needed', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    const doc = await run({ surveyPonds: [pond(point(25, 25), 'P', 'F')] });
    assert.equal(doc.route, 'survey');
    assert.equal(doc.data_versions.gcn_ponds, null);
    assert.deepEqual(frequencyLines(doc), ['P|RLB|Red|F|1']);
  });

  test('U3 both radii 0: no Buffer frequency rows and no habitat', async () => {
    await layers(RAG_ZONES, [[25, 25], [500, 500]]);
    const doc = await run({ config: gcnConfig({ bufferDistanceM: 0, pondBufferDistanceM: 0 }) });
    assert.deepEqual(doc.habitat_impact, []);
    assert.deepEqual(doc.habitat_impact_edp_split, []);
    assert.ok(doc.pond_frequency.every((r) => r.Area !== 'Buffer'));
    assert.deepEqual(frequencyLines(doc), ['NS|RLB|Red|F|1']);
  });

  test('U4 an empty or missing uniqueRef throws before any query', async () => {
    let touched = 0;
    const noDatabase = new Proxy({}, { get: () => { touched += 1; throw new Error('the database was touched'); } }) as Sql;
    const base = { rlb: RLB, surveyPonds: null, config: gcnConfig(), sql: noDatabase, signal: new AbortController().signal };
    await assert.rejects(runGcnAssessment({ ...base, uniqueRef: '' }), TypeError);
    await assert.rejects(runGcnAssessment({ ...base, uniqueRef: undefined as unknown as string }), TypeError);
    assert.equal(touched, 0);
  });

  test('U8 a null RZ inside E fails the job; the same row outside E is never read', async () => {
    await layers([...RAG_ZONES, { geometry: square(60, 90, 60, 90), attributes: { RZ: null } }], [[25, 25]]);
    await assert.rejects(run(), (error: unknown) => {
      assert.ok(error instanceof JobError);
      assert.equal(error.code, 'gcn_reference_data_invalid');
      assert.equal(error.kind, 'data');
      assert.equal(error.detail.reason, 'null_rz');
      assert.equal(error.detail.table, 'gcn_risk_zones');
      assert.equal(typeof error.detail.id, 'string');
      return true;
    });
    await resetGcnLayers(db.sql);
    await layers([...RAG_ZONES, { geometry: square(3000, 3100, 3000, 3100), attributes: { RZ: null } }, { geometry: square(4000, 4100, 0, 100), attributes: { RZ: 'Purple' } }], [[25, 25]]);
    const doc = await run();
    assert.equal(doc.summary.risk_zone_features, 3);
  });

  test('U8b an unknown RZ inside E is unknown_rz', async () => {
    await layers([...RAG_ZONES, { geometry: square(60, 90, 60, 90), attributes: { RZ: 'Purple' } }], [[25, 25]]);
    await assert.rejects(run(), (error: unknown) => error instanceof JobError && error.detail.reason === 'unknown_rz' && error.detail.value === 'Purple');
  });

  test('U12 one pond under identical Red, Amber and Green squares', async () => {
    const same = square(0, 50, 0, 50);
    await layers([{ geometry: same, attributes: { RZ: 'Green' } }, { geometry: same, attributes: { RZ: 'Red' } }, { geometry: same, attributes: { RZ: 'Amber' } }], [[25, 25]]);
    const doc = await run();
    assert.deepEqual(frequencyLines(doc), ['NS|RLB|Red|F|1']);
    const ponds = doc.intermediates?.ponds ?? [];
    assert.equal(ponds.length, 1);
    assert.equal(ponds[0]?.CONCATENATE_RZ, 'Amber:Green:Red');
    assert.equal(ponds[0]?.MaxZone, 'Red');
  });

  test('U13 no ponds: all four tables empty, warning gcn_no_ponds', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    const doc = await run({ surveyPonds: [] });
    assert.deepEqual([doc.habitat_impact, doc.pond_frequency, doc.habitat_impact_edp_split, doc.pond_frequency_edp_split], [[], [], [], []]);
    assert.deepEqual(warningCodes(doc), ['gcn_no_ponds']);
    assert.equal(doc.intermediates?.pond_zone_area_m2, null);
  });

  test('U14 a pond across the RLB edge is one RLB pond clipped to 200 m²', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, [{ geometry: square(-300, 400, -300, 400), attributes: { RZ: 'Amber' } }]);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    const rlbOnly = await run({ surveyPonds: [pond(square(90, 110, 40, 60), 'A', 'F')], config: gcnConfig({ pondBufferDistanceM: 0 }) });
    assert.equal(rlbOnly.summary.ponds_rlb, 1);
    assert.equal(rlbOnly.summary.ponds_buffer, 0);
    // With a zero pond radius the pond zone is the clipped pond itself: its area is the pond's.
    assert.ok(Math.abs((rlbOnly.intermediates?.pond_zone_area_m2 ?? 0) - 200) < 1e-6);
    assert.deepEqual(frequencyLines(rlbOnly), ['A|RLB|Amber|F|1']);
  });

  test('U15 a pond in no zone is left out of counts but still drives habitat', async () => {
    await layers(RAG_ZONES, [[75, 75]]);
    const doc = await run();
    assert.deepEqual(doc.pond_frequency, []);
    assert.deepEqual(doc.pond_frequency_edp_split, []);
    assert.equal(doc.summary.ponds_without_risk_zone, 1);
    assert.deepEqual(warningCodes(doc), ['gcn_ponds_without_risk_zone']);
    assert.equal(doc.habitat_impact.length, 6);
    assert.equal(doc.intermediates?.ponds[0]?.CONCATENATE_RZ, null);
  });

  test('U16 a pond just outside E is not read even though its buffer reaches the site', async () => {
    await insertLayer(db.sql, 'gcn_risk_zones', 1, [{ geometry: square(100, 400, 0, 100), attributes: { RZ: 'Amber' } }]);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    await insertLayer(db.sql, 'gcn_ponds', 1, [{ geometry: point(360, 50), attributes: {} }]);
    const doc = await run();
    assert.equal(doc.summary.ponds_in_extent, 0);
    assert.deepEqual([doc.habitat_impact, doc.pond_frequency, doc.habitat_impact_edp_split, doc.pond_frequency_edp_split], [[], [], [], []]);
    assert.deepEqual(warningCodes(doc), ['gcn_no_ponds']);
  });

  test('U17 overlapping RLB features both produce rows and raise a warning', async () => {
    await layers(RAG_ZONES, [[25, 25]]);
    const doc = await run({ rlb: [site(square(0, 50, 0, 50), 0), site(square(40, 90, 40, 90), 1)] });
    assert.ok(doc.habitat_impact.some((r) => r.unit === 0));
    assert.ok(doc.habitat_impact.some((r) => r.unit === 1));
    const warning = doc.warnings.find((w) => w.code === 'gcn_overlapping_rlb_features');
    assert.equal(warning?.count, 1);
    // Edge contact alone is not an overlap.
    const touching = await run({ rlb: [site(square(0, 50, 0, 50), 0), site(square(50, 100, 0, 50), 1)] });
    assert.ok(!warningCodes(touching).includes('gcn_overlapping_rlb_features'));
  });
});
