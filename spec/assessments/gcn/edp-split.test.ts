// gcn.md §10.5 E1–E5: single assignment of ponds to EDP areas and the split of habitat rows.
// (E6 runs on the survey fixture in regression.test.ts.)

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { runGcnAssessmentDetailed } from '../../../lib/assessments/gcn/run.js';
import type { GcnAssessmentOutput } from '../../../lib/assessments/gcn/types.js';
import type { SurveyPond } from '../../../lib/geo/types.js';
import { gcnConfig, insertLayer, point, pond, resetGcnLayers, site, square, type ZoneFeature } from './helpers.js';

let db: TestDatabase;
before(async () => { db = await cloneTemplate(); });
after(async () => { await db.drop(); });
beforeEach(async () => {
  await resetGcnLayers(db.sql);
  await insertLayer(db.sql, 'gcn_risk_zones', 1, [{ geometry: square(-1000, 1000, -1000, 1000), attributes: { RZ: 'Amber' } }]);
});

const edge = (name: string, x0: number, x1: number): ZoneFeature => ({ geometry: square(x0, x1, -2000, 2000), attributes: { EDPName: name, Shape_Length: 1000 + x0, Shape_Area: 5000 + x1 } });

async function run(edges: ZoneFeature[], ponds: SurveyPond[]): Promise<GcnAssessmentOutput> {
  await insertLayer(db.sql, 'edp_edges', 1, edges);
  return runGcnAssessmentDetailed({ rlb: [site(square(0, 100, 0, 100))], surveyPonds: ponds, uniqueRef: 'EDP', config: gcnConfig(), sql: db.sql, signal: new AbortController().signal, debug: true });
}

const splitNames = (out: GcnAssessmentOutput): string[] => out.document.pond_frequency_edp_split.map((r) => `${r.EDPName}:${r.FREQUENCY}`);

describe('EDP split (gcn.md §10.5)', () => {
  test('E1 a pond 60% in AreaX and 40% in AreaY is counted once, under AreaX', async () => {
    const out = await run([edge('AreaY', 72, 2000), edge('AreaX', -2000, 72)], [pond(square(60, 80, 40, 60))]);
    assert.deepEqual(splitNames(out), ['AreaX:1']);
  });

  test('E1b the larger overlap wins over name order', async () => {
    const out = await run([edge('AreaY', 72, 2000), edge('AreaX', -2000, 72)], [pond(square(64, 84, 40, 60))]);
    assert.deepEqual(splitNames(out), ['AreaY:1']);
  });

  test('E2 a point pond on the shared boundary goes to the first name by code point', async () => {
    const out = await run([edge('AreaB', -2000, 50), edge('AreaA', 50, 2000)], [pond(point(50, 50))]);
    assert.deepEqual(splitNames(out), ['AreaA:1']);
    assert.equal(out.document.intermediates?.ponds[0]?.EDPName, 'AreaA');
  });

  test('E3 a pond outside every EDP edge gets "" and a warning; totals are preserved', async () => {
    const out = await run([edge('Far', -2000, -600)], [pond(point(50, 50)), pond(point(-700, 50), 'A', 'F', 1)]);
    const doc = out.document;
    assert.equal(doc.summary.ponds_outside_edp, 1);
    assert.deepEqual(doc.pond_frequency_edp_split.map((r) => `${r.PANS}:${r.EDPName}:${r.FREQUENCY}`).sort(), ['P::1']);
    const sum = (rows: readonly { FREQUENCY: number }[]): number => rows.reduce((a, r) => a + r.FREQUENCY, 0);
    assert.equal(sum(doc.pond_frequency_edp_split), sum(doc.pond_frequency));
    const warning = doc.warnings.find((w) => w.code === 'gcn_outside_edp_areas');
    assert.ok(warning && warning.count >= 1);
  });

  test('E4 a habitat row straddling two areas splits into two rows that sum to it', async () => {
    const out = await run([edge('AreaY', 50, 2000), edge('AreaX', -2000, 50)], [pond(point(50, 50))]);
    const rlbRow = out.document.habitat_impact.find((r) => r.Area === 'RLB');
    assert.ok(rlbRow);
    const pieces = out.document.habitat_impact_edp_split.filter((r) => r.unit === rlbRow.unit);
    assert.deepEqual(pieces.map((r) => r.EDPName), ['AreaX', 'AreaY']);
    const total = pieces.reduce((a, r) => a + r.Shape_Area, 0);
    assert.ok(Math.abs(total - rlbRow.Shape_Area) / rlbRow.Shape_Area < 1e-6);
    assert.equal(out.document.summary.habitat_outside_edp_m2, 0);
    // PSV detail: the unsplit area and each edge's own attributes travel with the piece.
    const detail = out.tables.habitatSplit.filter((r) => r.unit === rlbRow.unit);
    assert.deepEqual(detail.map((r) => [r.unsplitArea, r.edge?.Shape_Length, r.edge?.Shape_Area]), [[rlbRow.Shape_Area, -1000, 5050], [rlbRow.Shape_Area, 1050, 7000]]);
  });

  test('E5 habitat outside every edge gives a "" remainder row after the EDP rows', async () => {
    const out = await run([edge('AreaX', -2000, 50)], [pond(point(50, 50))]);
    const doc = out.document;
    const rlb = doc.habitat_impact_edp_split.filter((r) => r.Area === 'RLB');
    assert.deepEqual(rlb.map((r) => [r.EDPName, r.Shape_Area]), [['AreaX', 5000], ['', 5000]]);
    const remainders = doc.habitat_impact_edp_split.filter((r) => r.EDPName === '').reduce((a, r) => a + r.Shape_Area, 0);
    assert.ok(doc.summary.habitat_outside_edp_m2 > 5000);
    assert.equal(doc.summary.habitat_outside_edp_m2, remainders);
    assert.ok(doc.warnings.some((w) => w.code === 'gcn_outside_edp_areas'));
    assert.equal(out.tables.habitatSplit.find((r) => r.EDPName === '')?.edge, null);
  });

  test('E5b a sliver gap between two areas (< 1 m²) gives no remainder row', async () => {
    const out = await run([edge('AreaX', -2000, 50), edge('AreaY', 50.001, 2000)], [pond(point(25, 50))]);
    assert.ok(out.document.habitat_impact_edp_split.every((r) => r.EDPName !== ''));
    assert.equal(out.document.summary.habitat_outside_edp_m2, 0);
    assert.ok(!out.document.warnings.some((w) => w.code === 'gcn_outside_edp_areas'));
  });
});
