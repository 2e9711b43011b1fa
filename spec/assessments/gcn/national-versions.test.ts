// gcn.md §10.3 national route on a ponds layer built from the survey geometries, and the §10.6
// data-version guard (only the active version is read; an inactive version has no effect).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { needsSharedData, sharedPath } from '../../support/data.js';
import { runGcnAssessment } from '../../../lib/assessments/gcn/run.js';
import { parsePsv } from '../../../lib/assessments/gcn/psv.js';
import type { GcnAssessmentOptions, GcnResultDocument } from '../../../lib/assessments/gcn/types.js';
import type { Site, SurveyPond } from '../../../lib/geo/types.js';
import { activateVersion, gcnConfig, insertLayer } from './helpers.js';
import { loadFixtureLayer, surveyPonds, surveySites } from './fixtures.js';
import { compareHabitat, frequencyFromPsv, frequencyMultiset, habitatFromPsv } from './compare.js';

const baselineHabitat = () => habitatFromPsv(parsePsv(readFileSync(sharedPath('expected/gcn/baseline_survey/Habitat_Impact.psv'), 'utf8')).rows);
const baselineFrequency = () => frequencyFromPsv(parsePsv(readFileSync(sharedPath('expected/gcn/baseline_survey/Ponds_Impact_Frequency.psv'), 'utf8')).rows);

describe('GCN national route and data versions (gcn.md §10.3, §10.6)', needsSharedData(), () => {
  let db: TestDatabase;
  let sites: Site[];
  let ponds: SurveyPond[];
  let firstVersion: number;
  let secondVersion: number;
  const run = (overrides: Partial<GcnAssessmentOptions> = {}): Promise<GcnResultDocument> =>
    runGcnAssessment({ rlb: sites, surveyPonds: ponds, uniqueRef: 'REF', config: gcnConfig(), sql: db.sql, signal: new AbortController().signal, ...overrides });

  before(async () => {
    db = await cloneTemplate();
    sites = await surveySites(db.sql);
    ({ ponds } = await surveyPonds());
    // The template holds the risk zones as version 1 (active); a second load makes version 2 the
    // active one while version 1 stays stored (§10.6).
    firstVersion = (await db.sql<{ v: number }[]>`SELECT active_version AS v FROM data_active_version WHERE table_name = 'gcn_risk_zones'`)[0]?.v ?? 0;
    secondVersion = await loadFixtureLayer(db.sql, 'gcn_risk_zones', true);
  });
  after(async () => { await db?.drop(); });

  test('§10.3 national route on the survey geometries: habitat equals the survey baseline, frequencies all NS', async () => {
    await insertLayer(db.sql, 'gcn_ponds', 1, ponds.map((p) => ({ geometry: p.geometry, attributes: {} })));
    const doc = await run({ surveyPonds: null });
    assert.equal(doc.route, 'national');
    assert.equal(doc.data_versions.gcn_ponds, 1);
    assert.deepEqual(compareHabitat(doc.habitat_impact, baselineHabitat()).problems, []);
    assert.deepEqual(frequencyMultiset(doc.pond_frequency), frequencyMultiset([
      { PANS: 'NS', Area: 'Buffer', MaxZone: 'Amber', TmpImp: 'F', FREQUENCY: 22 },
      { PANS: 'NS', Area: 'Buffer', MaxZone: 'Green', TmpImp: 'F', FREQUENCY: 3 },
      { PANS: 'NS', Area: 'Buffer', MaxZone: 'Red', TmpImp: 'F', FREQUENCY: 63 },
      { PANS: 'NS', Area: 'RLB', MaxZone: 'Amber', TmpImp: 'F', FREQUENCY: 2 },
      { PANS: 'NS', Area: 'RLB', MaxZone: 'Red', TmpImp: 'F', FREQUENCY: 42 },
    ]));
    assert.equal(doc.summary.ponds_in_extent, 132);
  });

  test('§10.6 two loaded versions, one active: no doubled rows', async () => {
    const stored = await db.sql<{ version: number; n: number }[]>`SELECT version, count(*)::int AS n FROM gcn_risk_zones GROUP BY version ORDER BY version`;
    assert.deepEqual(stored.map((r) => [r.version, r.n]), [[firstVersion, 107], [secondVersion, 107]], 'both versions are stored');
    const doc = await run();
    assert.equal(doc.data_versions.gcn_risk_zones, secondVersion);
    assert.equal(doc.summary.risk_zone_features, 3);
    assert.deepEqual(compareHabitat(doc.habitat_impact, baselineHabitat()).problems, []);
    assert.deepEqual(frequencyMultiset(doc.pond_frequency), frequencyMultiset(baselineFrequency()));
  });

  test('§10.6 an inactive version 3 has no effect until it is activated', async () => {
    const positions = sites.flatMap((s) => (s.geometry.type === 'Polygon' ? [s.geometry.coordinates] : s.geometry.coordinates).flat(2));
    const xs = positions.map((p) => p[0] ?? Number.NaN);
    const ys = positions.map((p) => p[1] ?? Number.NaN);
    const [x0, x1, y0, y1] = [Math.min(...xs) - 1000, Math.max(...xs) + 1000, Math.min(...ys) - 1000, Math.max(...ys) + 1000];
    const red = { type: 'Polygon' as const, coordinates: [[[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]] };
    const third = secondVersion + 1;
    await insertLayer(db.sql, 'gcn_risk_zones', third, [{ geometry: red, attributes: { RZ: 'Red' } }], false);
    const before = await run();
    assert.equal(before.data_versions.gcn_risk_zones, secondVersion);
    assert.deepEqual(compareHabitat(before.habitat_impact, baselineHabitat()).problems, []);
    assert.deepEqual(frequencyMultiset(before.pond_frequency), frequencyMultiset(baselineFrequency()));

    await activateVersion(db.sql, 'gcn_risk_zones', third);
    const after = await run();
    assert.equal(after.data_versions.gcn_risk_zones, third);
    assert.ok(after.habitat_impact.length > 0);
    assert.ok(after.habitat_impact.every((r) => r.RZ === 'Red'));
    assert.ok(after.pond_frequency.length > 0 && after.pond_frequency.every((r) => r.MaxZone === 'Red'));
    assert.equal(after.pond_frequency.reduce((a, r) => a + r.FREQUENCY, 0), 132);
    await activateVersion(db.sql, 'gcn_risk_zones', secondVersion);
  });
});
