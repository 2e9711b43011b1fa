// nutrient.md §12.3 worked examples A–E through the pure calculation (steps 5–10).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateNutrient } from '../../../lib/assessments/nutrient/calculate.js';
import type { NutrientRlbResult } from '../../../lib/assessments/nutrient/types.js';
import { BROADS_32, WENSUM_31, lookups, params, piece, rlb } from './fixtures.js';

const codes = (r: NutrientRlbResult): string[] => r.record.warnings.map((w) => w.code);
const only = (results: NutrientRlbResult[]): NutrientRlbResult => {
  assert.equal(results.length, 1);
  return results[0] as NutrientRlbResult;
};

describe('A — small site', () => {
  const site = () => rlb({ dwellings: 1, areaM2: 259.3920144687098, wwtw: '1065', opcat: 'Wensum', pieces: [piece(0.02593920144687098, [12.3, 12.3], [1.3, 1.3], WENSUM_31)] });
  for (const ruleset of ['v1', 'v2'] as const) {
    test(`${ruleset}, factor 0.9`, () => {
      const r = only(calculateNutrient([site()], lookups(), params({ ruleset })));
      const rec = r.record;
      assert.equal(r.status, 'assessed');
      assert.equal(rec.Dev_Area_Ha, 0.03);
      assert.equal(rec.AreaInNNCatchment, 0.03);
      assert.equal(rec.NN_Catchment, 'River Wensum SAC');
      assert.deepEqual(rec.nn_catchment_entries, [{ oid: '31', name: 'River Wensum SAC' }]);
      assert.equal(rec.WwTW_name, 'Sculthorpe ');
      assert.equal(rec.Litres_used, 288.0);
      assert.deepEqual([rec.N_LU_Uplift, rec.P_LU_Uplift, rec.N_LU_postSuDS, rec.P_LU_postSuDS], [0, 0, 0, 0]);
      assert.deepEqual([rec.N_WwTW_Temp, rec.P_WwTW_Temp, rec.N_WwTW_Perm, rec.P_WwTW_Perm], [2.56, 0.09, 2.56, 0.09]);
      assert.deepEqual([rec.N_Total, rec.P_Total], [3.07, 0.11]);
      assert.equal(rec.dwelling_density, 33.333333333333336);
      assert.deepEqual(rec.warnings, []);
    });
    test(`${ruleset}, factor 1.0`, () => {
      const rec = only(calculateNutrient([site()], lookups(), params({ ruleset, wwtwPermitFactor: 1.0 }))).record;
      assert.deepEqual([rec.N_WwTW_Perm, rec.P_WwTW_Perm, rec.N_Total, rec.P_Total], [2.84, 0.11, 3.41, 0.13]);
    });
  }
});

describe('B — two pieces, 24 dwellings, 2.40 ha, WwTW 938', () => {
  const site = () => rlb({
    dwellings: 24, areaM2: 24000, wwtw: '938',
    pieces: [piece(1.9137, [5.8, 12.3], [0.22, 1.3], BROADS_32, 'A'), piece(0.4863, [12.3, 12.3], [1.3, 1.3], BROADS_32, 'B')],
  });
  const expected = {
    v1: { uplift: [12.44, 2.07], post: [9.33, 1.55], totals09: [38.46, 2.54], totals10: [41.49, 2.62] },
    v2: { uplift: [7.98, 1.5399999999999998], post: [7.98, 1.54], totals09: [36.84, 2.53], totals10: [39.87, 2.61] },
  };
  for (const ruleset of ['v1', 'v2'] as const) {
    test(ruleset, () => {
      const rec = only(calculateNutrient([site()], lookups(), params({ ruleset }))).record;
      const e = expected[ruleset];
      assert.equal(rec.AreaInNNCatchment, 2.4);
      assert.equal(rec.Litres_used, 6912);
      assert.deepEqual([rec.N_WwTW_Temp, rec.P_WwTW_Temp, rec.N_WwTW_Perm, rec.P_WwTW_Perm], [61.35, 2.27, 22.72, 0.57]);
      assert.deepEqual([rec.N_LU_Uplift, rec.P_LU_Uplift], e.uplift);
      assert.deepEqual([rec.N_LU_postSuDS, rec.P_LU_postSuDS], e.post);
      assert.deepEqual([rec.N_Total, rec.P_Total], e.totals09);
      const rec10 = only(calculateNutrient([site()], lookups(), params({ ruleset, wwtwPermitFactor: 1.0 }))).record;
      assert.deepEqual([rec10.N_WwTW_Perm, rec10.P_WwTW_Perm], [25.25, 0.63]);
      assert.deepEqual([rec10.N_Total, rec10.P_Total], e.totals10);
    });
  }
});

describe('C — negative uplift, works not in lookup (v1)', () => {
  test('post-SuDS amplified, buffer shrinks the negative, loads null', () => {
    const site = rlb({ dwellings: 10, areaM2: 9000, wwtw: '1184', pieces: [piece(1, [181.26, 0], [12.34, 0])] });
    const r = only(calculateNutrient([site], lookups(), params({ ruleset: 'v1' })));
    const rec = r.record;
    assert.equal(r.status, 'assessed');
    assert.deepEqual([rec.N_LU_Uplift, rec.P_LU_Uplift], [-181.26, -12.34]);
    assert.deepEqual([rec.N_LU_postSuDS, rec.P_LU_postSuDS], [-226.58, -15.42]);
    assert.deepEqual([rec.WwTW_name, rec.N_WwTW_Temp, rec.N_WwTW_Perm, rec.P_WwTW_Perm], [null, null, null, null]);
    assert.equal(rec.Occ_Rate, 2.4);
    assert.deepEqual([rec.N_Total, rec.P_Total], [-181.26, -12.34]);
    assert.deepEqual(codes(r), ['negative_land_use_change', 'wwtw_not_in_lookup']);
  });
});

describe('D — fallback works 141', () => {
  const site = (dwellings: number) => rlb({ dwellings, areaM2: 5000, wwtw: null, opcat: 'Yare', pieces: [piece(0.5, [0, 80], [0, 8])] });
  const expected: Record<number, { loads: number[]; v1: number[]; v2: number[] }> = {
    60: { loads: [142.01, 25.56], v1: [206.41, 34.27], v2: [206.41, 34.27] },
    49: { loads: [115.97, 20.88], v1: [175.17, 28.65], v2: [187.17, 29.85] },
  };
  for (const dwellings of [60, 49]) {
    for (const ruleset of ['v1', 'v2'] as const) {
      test(`${dwellings} dwellings, ${ruleset}`, () => {
        const r = only(calculateNutrient([site(dwellings)], lookups(), params({ ruleset })));
        const rec = r.record;
        const e = expected[dwellings] as { loads: number[]; v1: number[]; v2: number[] };
        assert.deepEqual([rec.N_LU_Uplift, rec.P_LU_Uplift], [40, 4]);
        assert.equal(rec.Majority_WwTw_ID, 141);
        assert.equal(rec.WwTW_name, 'Package Treatment Plant default');
        assert.equal(rec.WwTw_SubCatchment, 'Yare');
        assert.deepEqual([rec.N_WwTW_Temp, rec.P_WwTW_Temp], e.loads);
        assert.deepEqual([rec.N_WwTW_Perm, rec.P_WwTW_Perm], e.loads);
        assert.deepEqual([rec.N_Total, rec.P_Total], e[ruleset]);
        assert.equal(r.status, 'assessed');
        assert.deepEqual(codes(r), ['wwtw_fallback_default']);
      });
    }
  }
});

describe('E — batch imputation (v2, factor 0.9)', () => {
  const batch = () => [
    rlb({ rlbId: 1, dwellings: 10, areaM2: 4000, wwtw: '938', pieces: [piece(0.4, [12.3, 12.3], [1.3, 1.3])] }),
    rlb({ rlbId: 2, dwellings: 40, areaM2: 6000, wwtw: '938', pieces: [piece(0.3, [12.3, 12.3], [1.3, 1.3], WENSUM_31, 'A'), piece(0.3, [12.3, 12.3], [1.3, 1.3], BROADS_32, 'B')] }),
    rlb({ rlbId: 3, dwellings: 5, areaM2: 3000, wwtw: '938' }),
    rlb({ rlbId: 4, dwellings: 8, areaM2: 3000, wwtw: '1065' }),
    rlb({ rlbId: 5, dwellings: 3, areaM2: 3000, wwtw: null }),
  ];
  test('rates flow from RLB 1 to RLBs 2 and 3 through WwTW 938', () => {
    const rs = calculateNutrient(batch(), lookups(), params());
    const [r1, r2, r3, r4, r5] = rs as [NutrientRlbResult, NutrientRlbResult, NutrientRlbResult, NutrientRlbResult, NutrientRlbResult];
    const loads = (r: NutrientRlbResult) => [r.record.N_WwTW_Temp, r.record.P_WwTW_Temp, r.record.N_WwTW_Perm, r.record.P_WwTW_Perm];
    assert.deepEqual(loads(r1), [25.56, 0.95, 9.47, 0.24]);
    assert.deepEqual(codes(r1), []);
    assert.deepEqual([r2.record.Occ_Rate, r2.record.Water_Usage_L_Day], [2.4, 120]);
    assert.equal(r2.record.NN_Catchment, 'River Wensum SAC; The Broads SAC');
    assert.deepEqual(loads(r2), [102.25, 3.79, 37.87, 0.95]);
    assert.deepEqual(codes(r2), ['multiple_nn_catchments', 'wastewater_rates_imputed']);
    assert.deepEqual(loads(r3), [12.78, 0.47, 4.73, 0.12]);
    assert.deepEqual([r3.record.N_Total, r3.record.P_Total], [5.68, 0.14]);
    assert.deepEqual(codes(r3), ['outside_nn_catchments', 'wastewater_rates_imputed']);
    assert.equal(r3.record.AreaInNNCatchment, null);
    assert.equal(r3.record.N_LU_postSuDS, null);
    assert.deepEqual(loads(r4), [null, null, null, null]);
    assert.deepEqual([r4.record.Occ_Rate, r4.record.N_Total, r4.record.P_Total], [null, 0, 0]);
    assert.deepEqual(codes(r4), ['outside_nn_catchments', 'wastewater_rates_missing']);
    assert.equal(r4.status, 'assessed');
    assert.deepEqual([r5.status, r5.outOfScopeReason, r5.record.warnings], ['out_of_scope', 'out_of_scope_package_plant', []]);
  });
  test('RLB 2 alone gets null rates and null loads', () => {
    const r2 = only(calculateNutrient([batch()[1] as ReturnType<typeof rlb>], lookups(), params()));
    assert.deepEqual([r2.record.Occ_Rate, r2.record.N_WwTW_Perm, r2.record.P_WwTW_Perm], [null, null, null]);
    assert.deepEqual(codes(r2), ['multiple_nn_catchments', 'wastewater_rates_missing']);
  });
  test('an unknown works with no pieces is out of scope (unknown_wwtw)', () => {
    const r = only(calculateNutrient([rlb({ dwellings: 1, areaM2: 400, wwtw: '66' })], lookups(), params()));
    assert.deepEqual([r.status, r.outOfScopeReason], ['out_of_scope', 'out_of_scope_unknown_wwtw']);
  });
});
