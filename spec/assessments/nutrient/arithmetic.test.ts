import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  pieceUplift, postSuds, residentialCoefficient, totalWithBuffer, wastewaterLoadRaw, litresUsed,
} from '../../../lib/assessments/nutrient/arithmetic.js';
import { params } from './fixtures.js';

const v1 = params({ ruleset: 'v1' });
const v2 = params({ ruleset: 'v2' });
const close = (actual: number | null, expected: number, tolerance = 1e-9): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} ≈ ${expected}`);
};

describe('land-use piece uplift (§7.3, §12.2)', () => {
  test('v1 vectors', () => {
    assert.equal(pieceUplift(10, 25, 1.5, 'N', false, v1), 22.5);
    assert.equal(pieceUplift(2, 5, 1.5, 'P', false, v1), 4.5);
    assert.equal(pieceUplift(30, 15, 2, 'N', false, v1), -30.0);
    assert.equal(pieceUplift(10.777, 25.888, 1.333, 'N', false, v1), 20.14);
  });
  test('v2 blend on a 3.0 ha site', () => {
    assert.equal(residentialCoefficient(25, 'N', true, v2), 20.6);
    assert.equal(residentialCoefficient(5, 'P', true, v2), 4.04);
    assert.equal(pieceUplift(10, 25, 1.5, 'N', true, v2), 15.9);
    assert.equal(pieceUplift(2, 5, 1.5, 'P', true, v2), 3.06);
  });
  test('v2 without the blend (0.99 ha site) and null coefficients', () => {
    assert.equal(pieceUplift(10, 25, 1.5, 'N', false, v2), 22.5);
    assert.equal(pieceUplift(2, 5, 1.5, 'P', false, v2), 4.5);
    assert.equal(pieceUplift(null, 25, 1.5, 'N', false, v2), null);
    assert.equal(pieceUplift(10, null, 1.5, 'N', true, v2), null);
  });
  test('the blend evaluates resi × (1 − f) + f × GS in that order', () => {
    assert.equal(residentialCoefficient(12.3, 'N', true, v2), 10.440000000000001);
    assert.equal(residentialCoefficient(1.3, 'P', true, v2), 1.08);
  });
});

describe('SuDS (§7.5, §12.2)', () => {
  const both = (u: [number, number], dw: number, p = v2): [number | null, number | null] => [postSuds(u[0], dw, p), postSuds(u[1], dw, p)];
  test('v2 table', () => {
    assert.deepEqual(both([15.9, 3.06], 60), [11.92, 2.3]);
    assert.deepEqual(both([22.5, 4.5], 30), [22.5, 4.5]);
    assert.deepEqual(both([22.5, 4.5], 50), [16.88, 3.38]);
    assert.deepEqual(both([-20, -4], 60), [-25.0, -5.0]);
    assert.deepEqual(both([100, 20], 10, params({ sudsThresholdDwellings: 10, sudsRemovalPercent: 40 })), [60.0, 12.0]);
  });
  test('v1 applies regardless of dwellings', () => {
    assert.deepEqual([postSuds(22.5, 10, v1), postSuds(4.5, 10, v1), postSuds(-30, 10, v1)], [16.88, 3.38, -37.5]);
    const s375 = params({ ruleset: 'v1', sudsFlowCapturePercent: 75, sudsRemovalPercent: 50 });
    assert.deepEqual([postSuds(22.5, 1, s375), postSuds(-30, 1000, s375)], [14.06, -41.25]);
  });
  test('null uplift stays null', () => {
    assert.equal(postSuds(null, 60, v1), null);
    assert.equal(postSuds(null, 60, v2), null);
  });
});

describe('wastewater (§7.6, §12.2)', () => {
  test('100 dwellings × 2.4 × 110 L', () => {
    assert.equal(litresUsed(100, 2.4, 110), 26400);
    close(wastewaterLoadRaw(100, 2.4, 110, 10, v2), 86.7834);
    close(wastewaterLoadRaw(100, 2.4, 110, 1, v2), 8.67834);
  });
  test('1 and 10 dwellings', () => {
    close(wastewaterLoadRaw(1, 2.4, 110, 10, v2), 0.867834);
    close(wastewaterLoadRaw(1, 2.4, 110, 1, v2), 0.0867834);
    close(wastewaterLoadRaw(10, 2.4, 110, 50, v2), 43.3917);
    close(wastewaterLoadRaw(10, 2.4, 110, 10, v2), 8.67834);
  });
  test('per dwelling at 2.4 × 120 and 1 mg/L, factor 0.9 and 1.0', () => {
    close(wastewaterLoadRaw(1, 2.4, 120, 1, v2), 0.0946728);
    close(wastewaterLoadRaw(1, 2.4, 120, 1, params({ wwtwPermitFactor: 1.0 })), 0.105192);
  });
  test('null rate or concentration gives a null load', () => {
    assert.equal(wastewaterLoadRaw(1, null, 120, 1, v2), null);
    assert.equal(wastewaterLoadRaw(1, 2.4, 120, null, v2), null);
    assert.equal(litresUsed(1, 2.4, null), null);
  });
});

describe('buffer and totals (§7.7, §12.2)', () => {
  test('from unrounded inputs', () => {
    assert.equal(16.88 + 96.53 + Math.abs(16.88 + 96.53) * 0.2, 136.09199999999998);
    assert.equal(totalWithBuffer(16.88, 96.53, v2), 136.09);
    assert.equal(totalWithBuffer(3.38, 9.65, v2), 15.64);
    assert.equal(totalWithBuffer(-37.5, 96.53, v2), 70.84);
    assert.equal(totalWithBuffer(-12.5, 9.65, v2), -2.28);
    assert.equal(totalWithBuffer(100, null, params({ bufferPercent: 10 })), 110.0);
    assert.equal(totalWithBuffer(null, null, v2), 0);
  });
});
