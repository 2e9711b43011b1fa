// nutrient.md §8.2 warnings and the §9 edge matrix rows that need no database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateNutrient } from '../../../lib/assessments/nutrient/calculate.js';
import type { NutrientRlbResult, WwtwLookupRow } from '../../../lib/assessments/nutrient/types.js';
import { lookups, params, piece, rlb } from './fixtures.js';

const first = (rs: NutrientRlbResult[]): NutrientRlbResult => rs[0] as NutrientRlbResult;
const codes = (r: NutrientRlbResult): string[] => r.record.warnings.map((w) => w.code);
const urban = () => piece(0.4, [12.3, 12.3], [1.3, 1.3]);

describe('warnings (§8.2, §9)', () => {
  test('E4: a P-only works blanks the N loads and says so', () => {
    const pOnly: WwtwLookupRow = { code: 5000, name: 'P only', subcatchment: 'Yare', nitrogen20252030: null, nitrogen2030Onwards: null, phosphorus20252030: 2, phosphorus2030Onwards: 1, issues: [] };
    const r = first(calculateNutrient([rlb({ dwellings: 10, areaM2: 4000, wwtw: '5000', pieces: [urban()] })], lookups([pOnly]), params()));
    assert.deepEqual([r.record.N_WwTW_Temp, r.record.N_WwTW_Perm], [null, null]);
    assert.ok(r.record.P_WwTW_Perm !== null && r.record.P_WwTW_Perm > 0);
    assert.deepEqual(codes(r), ['wwtw_n_permit_missing']);
  });

  test('E14: an unparseable cell of the used row is null and raises lookup_value_unparseable', () => {
    const donyatt: WwtwLookupRow = {
      code: 10281, name: 'Donyatt Water Recycling Centre', subcatchment: 'Parrett', nitrogen20252030: null, nitrogen2030Onwards: null,
      phosphorus20252030: 8, phosphorus2030Onwards: 8, issues: [{ column: 'Nitrogen_2025_2030', raw: 'f' }],
    };
    const r = first(calculateNutrient([rlb({ dwellings: 10, areaM2: 4000, wwtw: '10281', pieces: [urban()] })], lookups([donyatt]), params()));
    assert.deepEqual(codes(r), ['lookup_value_unparseable', 'wwtw_n_permit_missing']);
    const w = r.record.warnings[0];
    assert.equal(w?.severity, 'data_quality');
    assert.deepEqual(w?.details, { values: [{ table: 'wwtw_lookup', key: 10281, column: 'Nitrogen_2025_2030', raw: 'f' }] });
  });

  test('E13: a null coefficient skips that nutrient of the piece', () => {
    const r = first(calculateNutrient([rlb({ dwellings: 10, areaM2: 8000, wwtw: '938', pieces: [piece(0.4, [null, 12.3], [0.5, 1.3], undefined, 'A'), piece(0.4, [5, 12.3], [0.5, 1.3], undefined, 'B')] })], lookups(), params()));
    assert.equal(r.record.N_LU_Uplift, 2.92);
    assert.equal(r.record.P_LU_Uplift, 0.32 + 0.32);
    assert.deepEqual(codes(r), ['coefficient_missing']);
    assert.deepEqual(r.record.warnings[0]?.details, { pieces: 1, hectares: 0.4 });
  });

  test('all pieces null ⇒ uplift 0.0, not null', () => {
    const r = first(calculateNutrient([rlb({ dwellings: 10, areaM2: 4000, wwtw: '938', pieces: [piece(0.4, [null, 12.3], [null, 1.3])] })], lookups(), params()));
    assert.deepEqual([r.record.N_LU_Uplift, r.record.P_LU_Uplift, r.record.N_LU_postSuDS], [0, 0, 0]);
  });

  test('E16, lpa_unknown, subcatchment_unknown, E20', () => {
    const input = rlb({ dwellings: 3, areaM2: 40, wwtw: '938', lpa: null, opcat: null, pieces: [piece(0.004, [12.3, 12.3], [1.3, 1.3])] });
    input.spatial.wwtw = { value: '938', areaM2: 20, ties: 2 };
    const r = first(calculateNutrient([input], lookups(), params()));
    assert.equal(r.record.Majority_LPA, 'UNKNOWN');
    assert.equal(r.record.Dev_SubCatchment, null);
    assert.equal(r.record.Dev_Area_Ha, 0);
    assert.equal(r.record.dwelling_density, null);
    assert.deepEqual(codes(r), ['dev_area_rounds_to_zero', 'lpa_unknown', 'majority_tie', 'subcatchment_unknown']);
  });

  test('E17/E18: coverage gap and overlap against the §6.4 diagnostic', () => {
    const gap = rlb({ dwellings: 1, areaM2: 9000, wwtw: '938', pieces: [urban()] });
    gap.spatial.coverageHa = 0.5;
    assert.deepEqual(codes(first(calculateNutrient([gap], lookups(), params()))), ['coefficient_coverage_gap']);
    const overlap = rlb({ dwellings: 1, areaM2: 9000, wwtw: '938', pieces: [urban(), urban()] });
    overlap.spatial.coverageHa = 0.4;
    assert.deepEqual(codes(first(calculateNutrient([overlap], lookups(), params()))), ['coefficient_overlap']);
    const noise = rlb({ dwellings: 1, areaM2: 9000, wwtw: '938', pieces: [urban()] });
    noise.spatial.coverageHa = 0.409;
    assert.deepEqual(codes(first(calculateNutrient([noise], lookups(), params()))), []);
  });

  test('a non-integer WwTw_ID falls back to 141 with the reason', () => {
    const r = first(calculateNutrient([rlb({ dwellings: 1, areaM2: 4000, wwtw: '10.5', pieces: [urban()] })], lookups(), params()));
    assert.equal(r.record.Majority_WwTw_ID, 141);
    assert.deepEqual(r.record.warnings.find((w) => w.code === 'wwtw_fallback_default')?.details, { wwtwId: 141, reason: 'non_integer_id', value: '10.5' });
  });

  test('warnings carry their catalogue severity and come sorted by code', () => {
    const r = first(calculateNutrient([rlb({ dwellings: 1, areaM2: 4000, wwtw: '938', lpa: null })], lookups(), params()));
    assert.equal(r.status, 'assessed');
    assert.deepEqual(r.record.warnings.map((w) => [w.code, w.severity]), [
      ['lpa_unknown', 'info'], ['outside_nn_catchments', 'warning'], ['wastewater_rates_missing', 'warning'],
    ]);
  });
});
