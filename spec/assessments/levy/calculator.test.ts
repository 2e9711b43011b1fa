// levy.md §7 pure-calculator rows and the rounding rules of §6, exact to the penny.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { calculateLevyAmounts, divideHalfUp, penceToString } from '../../../lib/assessments/levy/calculator.js';
import { JobError } from '../../../lib/errors.js';
import { levyModelFor } from '../../../lib/assessments/levy/registry.js';

const rows: { b: string | number; u: number; ic: number; is: number; result: string }[] = [
  { b: '2675.00', u: 10, ic: 332, is: 400, result: '22202.50' },
  { b: '2675.00', u: 2, ic: 355, is: 400, result: '4748.13' },
  { b: '2675.00', u: 10, ic: 391, is: 400, result: '26148.13' },
  { b: '2675.00', u: 10, ic: 333, is: 400, result: '22269.38' },
  { b: 1000, u: 2, ic: 1, is: 6, result: '333.33' },
  { b: 17, u: 2, ic: 1, is: 16, result: '2.13' },
  { b: 1000, u: 2, ic: 1, is: 3, result: '666.67' },
];

describe('levy calculator (levy.md §7)', () => {
  for (const row of rows) {
    test(`B ${row.b} × U ${row.u} × ${row.ic}/${row.is} = ${row.result}`, () => {
      const out = calculateLevyAmounts({ baseChargePerUnit: row.b, units: row.u, startYearIndex: row.is, calcYearIndex: row.ic });
      assert.equal(penceToString(out.inflationAdjustedPence), row.result);
      assert.equal(out.amountInflationAdjusted, Number(row.result));
      assert.equal(out.indexApplied, true);
      // The provisional amount is never rounded or scaled: exact pounds × units.
      assert.equal(out.provisionalPence, BigInt(Math.trunc(Number(row.b))) * 100n * BigInt(row.u));
      assert.equal(out.baseAmount, out.amountExcludingVat);
    });
  }

  test('4748.125 rounds half-up to 4748.13 (half-even would give 4748.12)', () => {
    const out = calculateLevyAmounts({ baseChargePerUnit: '2675.00', units: 2, startYearIndex: '400.0000', calcYearIndex: '355.0000' });
    assert.equal(out.inflationAdjustedPence, 474813n);
  });

  test('666.67 is the rounded total, not 2 × 333.33', () => {
    const one = calculateLevyAmounts({ baseChargePerUnit: 1000, units: 1, startYearIndex: 3, calcYearIndex: 1 });
    const two = calculateLevyAmounts({ baseChargePerUnit: 1000, units: 2, startYearIndex: 3, calcYearIndex: 1 });
    assert.equal(one.inflationAdjustedPence * 2n, 66666n);
    assert.equal(two.inflationAdjustedPence, 66667n);
  });

  test('same year: no index, adjusted equals provisional (26750.00 for 10 units)', () => {
    const out = calculateLevyAmounts({ baseChargePerUnit: '2675.00', units: 10, startYearIndex: null, calcYearIndex: null });
    assert.deepEqual([out.amountExcludingVat, out.amountInflationAdjusted, out.baseAmount, out.indexApplied], [26750, 26750, 26750, false]);
  });

  test('test-only 2027 index 410: 26750.00 → 27418.75', () => {
    const out = calculateLevyAmounts({ baseChargePerUnit: '2675.00', units: 10, startYearIndex: '400.0000', calcYearIndex: '410.0000' });
    assert.equal(out.amountInflationAdjusted, 27418.75);
  });

  test('fractional base charge 2193.6649 → levy_data_invalid (fractional_base_charge)', () => {
    for (const units of [1, 7]) {
      assert.throws(
        () => calculateLevyAmounts({ baseChargePerUnit: '2193.6649', units, startYearIndex: null, calcYearIndex: null }),
        (e: unknown) => e instanceof JobError && e.code === 'levy_data_invalid' && e.detail.reason === 'fractional_base_charge',
      );
    }
  });

  test('non-positive index → levy_data_invalid (non_positive_index)', () => {
    for (const bad of ['0', '0.0000', 0]) {
      assert.throws(
        () => calculateLevyAmounts({ baseChargePerUnit: '2675.00', units: 1, startYearIndex: bad, calcYearIndex: '400' }),
        (e: unknown) => e instanceof JobError && e.code === 'levy_data_invalid' && e.detail.reason === 'non_positive_index',
      );
    }
  });

  test('units must be an integer ≥ 1 (asserted, not defaulted)', () => {
    for (const units of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => calculateLevyAmounts({ baseChargePerUnit: '2675.00', units, startYearIndex: null, calcYearIndex: null }), RangeError);
    }
  });

  test('half-up division agrees with exact rational rounding (property)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
      const q = divideHalfUp(n, d);
      // q is the integer nearest n/d with ties going up: |n − q·d| ≤ d/2 and a tie never rounds down.
      const twiceRemainder = 2n * (n - q * d);
      assert.ok(twiceRemainder < d && twiceRemainder >= -d, `${n}/${d} → ${q}`);
    }));
  });

  test('wire amounts have at most two decimals', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 9999 }), (b, u, ic, is) => {
      const out = calculateLevyAmounts({ baseChargePerUnit: `${b}.00`, units: u, startYearIndex: is, calcYearIndex: ic });
      assert.equal(Math.round(out.amountInflationAdjusted * 100) / 100, out.amountInflationAdjusted);
      assert.equal(String(out.amountInflationAdjusted), String(Number(penceToString(out.inflationAdjustedPence))));
    }), { numRuns: 300 });
  });
});

describe('levy-model registry (levy.md §10)', () => {
  test('nutrient has the CIL model; gcn has no levy block', () => {
    assert.equal(levyModelFor('nutrient')?.name, 'nutrient-cil');
    assert.equal(levyModelFor('gcn'), null);
  });
});
