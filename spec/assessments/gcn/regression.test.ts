// gcn.md §10.1 survey-route regression against the open-source baseline (through our own PSV
// writer and reader), §10.2 golden intermediates, §10.5 E6 and the §9/§10.6 ring-mode values.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { needsSharedData, sharedPath } from '../../support/data.js';
import { runGcnAssessmentDetailed } from '../../../lib/assessments/gcn/run.js';
import { gcnPsvFiles, parsePsv, PSV_FILES } from '../../../lib/assessments/gcn/psv.js';
import { timeGcnAssessment } from '../../../lib/assessments/gcn/bench.js';
import type { GcnAssessmentOutput, GcnResultDocument } from '../../../lib/assessments/gcn/types.js';
import type { InputWarning, Site, SurveyPond } from '../../../lib/geo/types.js';
import { gcnConfig } from './helpers.js';
import { surveyPonds, surveySites } from './fixtures.js';
import { compareHabitat, frequencyFromPsv, frequencyMultiset, habitatFromPsv } from './compare.js';

const baseline = (name: string): string => readFileSync(sharedPath('expected/gcn/baseline_survey', name), 'utf8');
const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});

describe('GCN survey regression (gcn.md §10.1, §10.2, §10.5 E6, §10.6 ring)', needsSharedData(), () => {
  let db: TestDatabase;
  let sites: Site[];
  let ponds: SurveyPond[];
  let pondWarnings: InputWarning[];
  let disc: GcnAssessmentOutput;
  let doc: GcnResultDocument;

  before(async () => {
    // The template holds the fixture layers as active versions, loaded by the production loader.
    db = await cloneTemplate();
    sites = await surveySites(db.sql);
    ({ ponds, warnings: pondWarnings } = await surveyPonds());
    disc = await runGcnAssessmentDetailed({ rlb: sites, surveyPonds: ponds, surveyWarnings: pondWarnings, uniqueRef: '20251119093430412989', config: gcnConfig(), sql: db.sql, signal: new AbortController().signal, debug: true });
    doc = disc.document;
  });
  after(async () => { await db?.drop(); });

  test('§10.1 habitat and frequency match the baseline through our PSV files', () => {
    const files = gcnPsvFiles(disc.tables);
    const ours = parsePsv(files[PSV_FILES.habitat]);
    const theirs = parsePsv(baseline('Habitat_Impact.psv'));
    assert.deepEqual(ours.columns, theirs.columns, 'the 13-column layout matches the baseline header');
    const { problems, worst } = compareHabitat(habitatFromPsv(ours.rows), habitatFromPsv(theirs.rows));
    assert.deepEqual(problems, []);
    // §10.1: the pipeline reproduces every row within 2e-8 relative.
    assert.ok(worst < 2e-8, `worst relative difference ${worst}`);
    const freqOurs = parsePsv(files[PSV_FILES.frequency]);
    const freqTheirs = parsePsv(baseline('Ponds_Impact_Frequency.psv'));
    assert.deepEqual(freqOurs.columns, freqTheirs.columns);
    assert.deepEqual(frequencyMultiset(frequencyFromPsv(freqOurs.rows)), frequencyMultiset(frequencyFromPsv(freqTheirs.rows)));
    assert.equal(doc.habitat_impact.length, 10);
    assert.ok(!doc.habitat_impact.some((r) => r.unit === 2), 'Site00003 yields no row');
    assert.deepEqual(sites.map((s) => s.attributes?.id), ['0', '0', '0', '0'], 'the Id attribute is carried for the PSV Id column');
    assert.equal(ours.rows[0]?.Id, '0');
    assert.deepEqual(doc.warnings, []);
  });

  test('§10.2 golden intermediate values', () => {
    assert.equal(ponds.length, 559);
    assert.deepEqual(countBy(ponds, (p) => p.pans), { A: 243, P: 231, NS: 85 });
    assert.deepEqual(countBy(ponds, (p) => p.tmpImp), { F: 552, T: 7 });
    const s = doc.summary;
    assert.deepEqual([s.ponds_read, s.ponds_in_extent, s.ponds_rlb, s.ponds_buffer, s.ponds_without_risk_zone], [559, 132, 44, 88, 0]);
    const inter = doc.intermediates;
    assert.ok(inter);
    const pondsOf = (area: string): Record<string, number> => countBy(inter.ponds.filter((p) => p.Area === area), (p) => `${p.PANS}/${p.TmpImp}`);
    assert.deepEqual(pondsOf('RLB'), { 'A/F': 20, 'A/T': 3, 'NS/F': 3, 'P/F': 14, 'P/T': 4 });
    assert.deepEqual(pondsOf('Buffer'), { 'A/F': 8, 'NS/F': 78, 'P/F': 2 });
    assert.ok(inter.ponds.every((p) => p.CONCATENATE_RZ !== null));
    assert.equal(inter.ponds.filter((p) => p.CONCATENATE_RZ === 'Amber:Green').length, 1);
    assert.equal(s.risk_zone_features, 3);
    assert.deepEqual(inter.risk_zone_pieces.map((p) => p.RZ).sort(), ['Amber', 'Green', 'Red']);
    assert.ok(Math.abs(s.extent_area_m2 - 5563710.19) <= 0.01, String(s.extent_area_m2));
    assert.ok(Math.abs(s.rlb_area_m2 - 1772197.16) <= 0.01, String(s.rlb_area_m2));
    const piece = (rz: string): number => inter.risk_zone_pieces.find((p) => p.RZ === rz)?.area_m2 ?? Number.NaN;
    for (const [rz, want] of [['Amber', 2086978.14], ['Red', 1888545.93], ['Green', 1588186.12]] as const) {
      assert.ok(Math.abs(piece(rz) - want) / want < 1e-4, `${rz} piece ${piece(rz)}`);
    }
    assert.ok(Math.abs((inter.pond_zone_area_m2 ?? 0) - 5186085.55) / 5186085.55 < 1e-4);
    assert.deepEqual(inter.ponds.filter((p) => p.Area === 'RLB').map((p) => p.Pond_ID), Array.from({ length: 44 }, (_, i) => `RLB_${i}`));
  });

  test('§10.5 E6: split frequencies and habitat re-aggregate to the unsplit tables', () => {
    const sum = (rows: readonly { FREQUENCY: number }[]): number => rows.reduce((a, r) => a + r.FREQUENCY, 0);
    assert.equal(sum(doc.pond_frequency), 132);
    assert.equal(sum(doc.pond_frequency_edp_split), 132);
    const perRow = new Map<number, number>();
    for (const row of disc.tables.habitatSplit) {
      const index = disc.tables.habitat.findIndex((h) => h.unit === row.unit && h.z === row.z);
      perRow.set(index, (perRow.get(index) ?? 0) + row.Shape_Area);
    }
    assert.equal(perRow.size, doc.habitat_impact.length);
    doc.habitat_impact.forEach((row, index) => {
      const rel = Math.abs((perRow.get(index) ?? 0) - row.Shape_Area) / row.Shape_Area;
      assert.ok(rel < 1e-6, `row ${index}: ${rel}`);
    });
    assert.ok(new Set(doc.habitat_impact_edp_split.map((r) => r.EDPName)).size >= 2, 'the site straddles both fixture areas');
    assert.equal(doc.summary.ponds_outside_edp, 0);
    assert.equal(doc.summary.habitat_outside_edp_m2, 0);
  });

  test('survey-route timing on the fixture (reported, not asserted); repeated runs give the same document', async (t) => {
    const timing = await timeGcnAssessment({ rlb: sites, surveyPonds: ponds, surveyWarnings: pondWarnings, uniqueRef: '20251119093430412989', config: gcnConfig(), sql: db.sql, signal: new AbortController().signal, debug: true }, 3);
    t.diagnostic(`survey route, 4 RLBs × 559 ponds: runs ${timing.runsMs.map((ms) => ms.toFixed(0)).join(', ')} ms; median ${timing.medianMs.toFixed(0)} ms`);
    assert.deepEqual(timing.document, doc);
  });

  test('§9 / §10.6 ring mode: Buffer rows equal the worked ring values; RLB rows and frequencies equal disc', async () => {
    const ring = await runGcnAssessmentDetailed({ rlb: sites, surveyPonds: ponds, uniqueRef: 'RING', config: gcnConfig({ bufferMode: 'ring' }), sql: db.sql, signal: new AbortController().signal });
    const buffer = ring.document.habitat_impact.filter((r) => r.Area === 'Buffer');
    const want = { Red: 977714.16, Amber: 1206966.74, Green: 399200.45 };
    assert.equal(buffer.length, 3);
    for (const row of buffer) assert.ok(Math.abs(row.Shape_Area - want[row.RZ]) / want[row.RZ] < 0.001, `${row.RZ} ${row.Shape_Area}`);
    const rlbRows = (d: GcnResultDocument): string[] => d.habitat_impact.filter((r) => r.Area === 'RLB').map((r) => `${r.unit}|${r.RZ}|${r.Shape_Area}`);
    assert.deepEqual(rlbRows(ring.document), rlbRows(doc));
    assert.deepEqual(ring.document.pond_frequency, doc.pond_frequency);
    assert.equal(ring.document.summary.extent_area_m2, doc.summary.extent_area_m2);
    // disc − ring = the RLB rows of that colour.
    const discRed = doc.habitat_impact.find((r) => r.Area === 'Buffer' && r.RZ === 'Red')?.Shape_Area ?? 0;
    const rlbRed = doc.habitat_impact.filter((r) => r.Area === 'RLB' && r.RZ === 'Red').reduce((a, r) => a + r.Shape_Area, 0);
    assert.ok(Math.abs(discRed - (buffer.find((r) => r.RZ === 'Red')?.Shape_Area ?? 0) - rlbRed) < 0.01);
  });
});
