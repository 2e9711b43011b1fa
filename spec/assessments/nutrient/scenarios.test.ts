// nutrient.md §12.6: the scenario sites as single-RLB jobs (`v2`, factor 0.9, preset `test`), the
// 05 + 08 batch imputation pair, and Q17 (the coefficient layer's catchment strings are unused).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runNutrientAssessment, type NutrientRun } from '../../../lib/assessments/nutrient/index.js';
import { runSpatialSteps } from '../../../lib/assessments/nutrient/spatial.js';
import { round2 } from '../../../lib/assessments/nutrient/numbers.js';
import type { NutrientRlbResult } from '../../../lib/assessments/nutrient/types.js';
import type { Site } from '../../../lib/geo/types.js';
import type { TestDatabase } from '../../support/pg.js';
import { needsSharedData, sharedPath } from '../../support/data.js';
import { nutrientDb, params, readSites } from './support.js';

interface Scenario {
  file: string;
  dwellings: number;
  devAreaHa: number | [number, number];
  nn: string | null;
  oid: string | null;
  wwtw: number;
  lpa: string;
  opcat: string | null;
  out: 'out_of_scope_unknown_wwtw' | 'out_of_scope_package_plant' | null;
  temp?: [number, number] | null;
  perm?: [number, number] | null;
  totals?: [number, number];
  warnings?: string[];
}

const gen = (name: string): string => sharedPath(`inputs/generated/${name}.geojson`);
const BROADS = 'The Broads SAC';
const SCENARIOS: Record<string, Scenario> = {
  '01_tiny_parcel': { file: gen('01_tiny_parcel'), dwellings: 1, devAreaHa: 0.04, nn: null, oid: null, wwtw: 66, lpa: 'South Norfolk District', opcat: 'Waveney', out: 'out_of_scope_unknown_wwtw' },
  '02_small_residential': { file: gen('02_small_residential'), dwellings: 10, devAreaHa: 0.5, nn: null, oid: null, wwtw: 141, lpa: 'South Norfolk District', opcat: 'Yare', out: 'out_of_scope_package_plant' },
  '03_medium_mixed': { file: gen('03_medium_mixed'), dwellings: 50, devAreaHa: 2.0, nn: BROADS, oid: '32', wwtw: 938, lpa: 'Norwich District (B)', opcat: 'Yare', out: null, temp: [127.81, 4.73], perm: [47.34, 1.18], warnings: [] },
  '04_large_apartments': { file: gen('04_large_apartments'), dwellings: 200, devAreaHa: 8.0, nn: BROADS, oid: '32', wwtw: 938, lpa: 'South Norfolk District', opcat: 'Yare', out: null, temp: [511.23, 18.93], perm: [189.35, 4.73], warnings: [] },
  '05_l_shaped': { file: gen('05_l_shaped'), dwellings: 25, devAreaHa: 0.65, nn: BROADS, oid: '32', wwtw: 938, lpa: 'Broadland District', opcat: 'Yare', out: null, temp: [63.9, 2.37], perm: [23.67, 0.59], warnings: [] },
  '06_narrow_strip': { file: gen('06_narrow_strip'), dwellings: 15, devAreaHa: 1.0, nn: BROADS, oid: '32', wwtw: 938, lpa: 'South Norfolk District', opcat: 'Yare', out: null, temp: [38.34, 1.42], perm: [14.2, 0.36], warnings: [] },
  '07_medium_north': { file: gen('07_medium_north'), dwellings: 75, devAreaHa: 3.0, nn: BROADS, oid: '29', wwtw: 399, lpa: 'Broadland District', opcat: 'Bure', out: null, temp: [191.71, 4.26], perm: [71.0, 1.78], warnings: [] },
  '08_small_east': { file: gen('08_small_east'), dwellings: 5, devAreaHa: 0.6, nn: null, oid: null, wwtw: 938, lpa: 'Broadland District', opcat: 'Bure', out: null, temp: null, perm: null, totals: [0, 0], warnings: ['outside_nn_catchments', 'wastewater_rates_missing'] },
  '09_medium_central': { file: gen('09_medium_central'), dwellings: 30, devAreaHa: 1.6, nn: BROADS, oid: '32', wwtw: 938, lpa: 'Norwich District (B)', opcat: 'Yare', out: null, temp: [76.68, 2.84], perm: [28.4, 0.71], warnings: [] },
  '10_large_central': { file: gen('10_large_central'), dwellings: 300, devAreaHa: 12.0, nn: BROADS, oid: '29', wwtw: 973, lpa: 'THE BROADS', opcat: 'Bure', out: null, temp: [766.85, 28.4], perm: [284.02, 7.1], warnings: [] },
  'intersects_bure_broads': { file: sharedPath('inputs/nutrients/intersects_bure_broads.geojson'), dwellings: 10, devAreaHa: [1.3, 1.32], nn: BROADS, oid: '29', wwtw: 399, lpa: 'Broadland District', opcat: 'Bure', out: null, temp: [25.56, 0.57], perm: [9.47, 0.24], warnings: [] },
  'no_edp_intersection': { file: sharedPath('inputs/nutrients/no_edp_intersection.geojson'), dwellings: 1, devAreaHa: [1.23, 1.25], nn: null, oid: null, wwtw: 4842, lpa: 'City of Westminster London Boro', opcat: null, out: 'out_of_scope_unknown_wwtw' },
};

/** Warnings that depend on the synthetic coefficient values are not asserted (§12.6). */
const VALUE_DEPENDENT = new Set(['negative_land_use_change', 'coefficient_missing', 'coefficient_coverage_gap', 'coefficient_overlap']);

function run(db: TestDatabase, sites: Site[], dwellings: number | ((site: Site) => number)): Promise<NutrientRun> {
  return runNutrientAssessment({
    sql: db.sql, sites, params: params({ ruleset: 'v2' }), signal: AbortSignal.timeout(120_000), job: { id: 'scenario', source: 'web_submission' },
    ...(typeof dwellings === 'number' ? { dwellings } : { dwellingsFor: dwellings }),
  });
}

describe('scenario sites (§12.6)', needsSharedData(), () => {
  let db: TestDatabase;
  const results = new Map<string, NutrientRlbResult>();
  before(async () => {
    db = await nutrientDb('test');
  });
  after(async () => db?.drop());

  for (const [name, s] of Object.entries(SCENARIOS)) {
    test(name, async () => {
      const sites = await readSites(db.sql, s.file);
      const r = (await run(db, sites, s.dwellings)).rlbs[0] as NutrientRlbResult;
      results.set(name, r);
      const rec = r.record;
      if (Array.isArray(s.devAreaHa)) assert.ok(rec.Dev_Area_Ha >= s.devAreaHa[0] && rec.Dev_Area_Ha <= s.devAreaHa[1], `Dev_Area_Ha ${rec.Dev_Area_Ha}`);
      else assert.equal(rec.Dev_Area_Ha, s.devAreaHa);
      assert.equal(rec.NN_Catchment, s.nn);
      assert.deepEqual(rec.nn_catchment_entries, s.oid === null ? null : [{ oid: s.oid, name: s.nn }]);
      assert.equal(rec.Majority_WwTw_ID, s.wwtw);
      assert.equal(rec.Majority_LPA, s.lpa);
      assert.equal(rec.Dev_SubCatchment, s.opcat);
      assert.equal(r.status, s.out === null ? 'assessed' : 'out_of_scope');
      assert.equal(r.outOfScopeReason, s.out);
      if (s.out !== null) {
        assert.deepEqual(rec.warnings, []);
        return;
      }
      assert.deepEqual([rec.N_WwTW_Temp, rec.P_WwTW_Temp], s.temp ?? [null, null]);
      assert.deepEqual([rec.N_WwTW_Perm, rec.P_WwTW_Perm], s.perm ?? [null, null]);
      if (s.totals) assert.deepEqual([rec.N_Total, rec.P_Total], s.totals);
      assert.deepEqual(rec.warnings.map((w) => w.code).filter((c) => !VALUE_DEPENDENT.has(c)), s.warnings);
      // GS / SuDS: the blend follows the rounded area, the reduction the dwellings (v2).
      const sudsApplies = rec.Dwellings >= 50;
      for (const [u, post] of [[rec.N_LU_Uplift, rec.N_LU_postSuDS], [rec.P_LU_Uplift, rec.P_LU_postSuDS]] as const) {
        if (u === null) assert.equal(post, null);
        else assert.equal(post, sudsApplies ? round2(u - Math.abs(u) * 0.25) : round2(u));
      }
    });
  }

  test('majority picks are the largest-overlap features with the documented areas', async () => {
    const picks = async (name: string) => {
      const sites = await readSites(db.sql, (SCENARIOS[name] as Scenario).file);
      const result = await runSpatialSteps({ sql: db.sql, rlbs: sites, sqlTimeoutMs: 60_000, signal: AbortSignal.timeout(60_000) });
      return result.spatial.get(1);
    };
    assert.equal(round2((await picks('03_medium_mixed'))?.lpa?.areaM2 ?? NaN), 17336.26);
    assert.equal(round2((await picks('06_narrow_strip'))?.wwtw?.areaM2 ?? NaN), 2160.28);
    assert.equal(round2((await picks('10_large_central'))?.lpa?.areaM2 ?? NaN), 73894.88);
    const bure = await picks('intersects_bure_broads');
    assert.ok(Math.abs((bure?.wwtw?.areaM2 ?? NaN) - 3169) < 5, `≈ 3,169 m², got ${bure?.wwtw?.areaM2}`);
  });

  test('run as one batch, 05 donates rates to 08 through works 938', async () => {
    const a = await readSites(db.sql, gen('05_l_shaped'));
    const b = await readSites(db.sql, gen('08_small_east'));
    const sites: Site[] = [{ ...(a[0] as Site), rlbId: 1 }, { ...(b[0] as Site), rlbId: 2, sourceFeature: 1 }];
    const batch = await run(db, sites, (site) => (site.rlbId === 1 ? 25 : 5));
    const r = batch.rlbs[1]?.record;
    assert.ok(r);
    assert.deepEqual([r.Occ_Rate, r.Water_Usage_L_Day], [2.4, 120]);
    assert.deepEqual([r.N_WwTW_Temp, r.P_WwTW_Temp, r.N_WwTW_Perm, r.P_WwTW_Perm], [12.78, 0.47, 4.73, 0.12]);
    assert.deepEqual([r.N_Total, r.P_Total], [5.68, 0.14]);
    assert.deepEqual(r.warnings.map((w) => w.code), ['outside_nn_catchments', 'wastewater_rates_imputed']);
    assert.deepEqual(batch.rlbs[0]?.record, results.get('05_l_shaped')?.record, 'the donor is unchanged by the batch');
  });

  test('Q17: rewriting the coefficient layer\'s NN_Catchment / SubCatchment strings changes no output', async () => {
    const names = Object.keys(SCENARIOS);
    const sites = (await Promise.all(names.map((n) => readSites(db.sql, (SCENARIOS[n] as Scenario).file)))).map((s, i) => ({ ...(s[0] as Site), rlbId: i + 1, sourceFeature: i }));
    const dwellings = (site: Site): number => (SCENARIOS[names[site.rlbId - 1] as string] as Scenario).dwellings;
    const before = await run(db, sites, dwellings);
    const changed = await db.sql`
      UPDATE coefficient_layer SET nn_catchment = 'Rewritten ' || md5(crome_id), subcatchment = 'Elsewhere'
      WHERE version = (SELECT active_version FROM data_active_version WHERE table_name = 'coefficient_layer')`;
    assert.ok(changed.count > 0);
    const afterRun = await run(db, sites, dwellings);
    assert.equal(JSON.stringify(afterRun.rlbs), JSON.stringify(before.rlbs));
  });
});
