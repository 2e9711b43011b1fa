// Mappers to the wire shapes of contracts.md §8.2/§8.3, and the legacy attribute rules of §4.2.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateNutrient } from '../../../lib/assessments/nutrient/calculate.js';
import { summariseNutrient, toQuoteCatchments, toResultRlbNutrient } from '../../../lib/assessments/nutrient/result.js';
import { legacyDescriber, legacyDwellings } from '../../../lib/assessments/nutrient/legacy.js';
import { JobError } from '../../../lib/errors.js';
import type { Site } from '../../../lib/geo/types.js';
import type { NutrientRlbResult } from '../../../lib/assessments/nutrient/types.js';
import { lookups, params, piece, rlb } from './fixtures.js';

describe('result mappers', () => {
  const [inside, outside, out] = calculateNutrient([
    rlb({ rlbId: 1, dwellings: 10, areaM2: 4000, wwtw: '938', pieces: [piece(0.4, [12.3, 12.3], [1.3, 1.3])] }),
    rlb({ rlbId: 2, dwellings: 5, areaM2: 4000, wwtw: '1065' }),
    rlb({ rlbId: 3, dwellings: 5, areaM2: 4000, wwtw: '1184' }),
  ], lookups(), params()) as [NutrientRlbResult, NutrientRlbResult, NutrientRlbResult];

  test('§8.3 nutrient block', () => {
    const block = toResultRlbNutrient(inside);
    assert.deepEqual(block.wwtw, { id: 938, name: 'Whitlingham Water Recycling Centre', subCatchment: 'Yare' });
    assert.deepEqual(block.totals, { nitrogenKgYr: inside.record.N_Total, phosphorusKgYr: inside.record.P_Total });
    assert.equal(block.wastewater?.nitrogenTempKgYr, 25.56);
    assert.equal(block.wastewater?.dailyWaterUsageL, 2880);
    assert.deepEqual(block.landUse, { nitrogenUpliftKgYr: 0, phosphorusUpliftKgYr: 0, nitrogenPostSudsKgYr: 0, phosphorusPostSudsKgYr: 0 });
    assert.equal(block.edp, null);
    assert.equal(block.levyGbp, null);
    assert.equal(toResultRlbNutrient(out).wastewater, null, 'no named works ⇒ wastewater null');
    assert.equal(toResultRlbNutrient(outside).wastewater?.occupancyRate, null);
  });

  test('§8.2 catchments: sorted by label, 2 dp of the RLB area, capped at 100', () => {
    const catchments = toQuoteCatchments({
      areaM2: 3000,
      catchments: [{ label: 'Yare Broads and Marshes', catchmentId: '32', overlapAreaM2: 1000 }, { label: 'Bure Broads and Marshes', catchmentId: '29', overlapAreaM2: 3000.0000001 }],
    });
    assert.deepEqual(catchments, [
      { label: 'Bure Broads and Marshes', catchmentId: '29', catchmentOverlapPercentage: 100 },
      { label: 'Yare Broads and Marshes', catchmentId: '32', catchmentOverlapPercentage: 33.33 },
    ]);
  });

  test('summary over assessed RLBs', () => {
    const summary = summariseNutrient([inside, outside, out]);
    assert.equal(summary.siteCount, 3);
    assert.equal(summary.assessedCount, 2);
    assert.equal(summary.outOfScopeCount, 1);
    assert.equal(summary.nitrogenTotalKgYr, Math.round((inside.record.N_Total + outside.record.N_Total) * 100) / 100);
    assert.deepEqual(summary.wwtwNames, ['Sculthorpe ', 'Whitlingham Water Recycling Centre']);
    assert.equal(summary.levyGbpTotal, null);
  });
});

describe('legacy replay attributes (§4.2)', () => {
  const site = (dwellings: unknown, extra: Record<string, unknown> = {}): Site => ({
    rlbId: 4, sourceFeature: 3, geometry: { type: 'Polygon', coordinates: [] }, attributes: { dwellings, ...extra },
  });

  test('integer dwellings from numbers and integral text', () => {
    assert.deepEqual([12, 12.0, '12', ' 7 ', '3.0'].map(legacyDwellings), [12, 12, 12, 7, 3]);
    assert.deepEqual([-1, 2.5, 'abc', '', null, undefined, true].map(legacyDwellings), [null, null, null, null, null, null, null]);
  });

  test('the attribute wins; --dwellings fills the gaps; neither ⇒ legacy_attribute_missing naming the feature', () => {
    assert.equal(legacyDescriber(99)(site(12)).dwellings, 12);
    assert.equal(legacyDescriber(99)(site(undefined)).dwellings, 99);
    assert.equal(legacyDescriber(99)(site(-3)).dwellings, 99);
    assert.throws(() => legacyDescriber(null)(site('many')), (e: unknown) => e instanceof JobError && e.code === 'legacy_attribute_missing' && e.detail.featureIndex === 3);
  });

  test('text attributes: blank becomes null, numbers become text', () => {
    const d = legacyDescriber(1)(site(1, { id: 20191920, name: '  ', dwellingCategory: 'allocation', source: null }));
    assert.deepEqual(d, { id: '20191920', name: null, dwellingCategory: 'allocation', source: null, dwellings: 1 });
  });
});
