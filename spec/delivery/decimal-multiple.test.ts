// The decimal `multipleOf` that replaces Ajv's float check (docs/decisions.md, "multipleOf").

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { decimalOf, isDecimalMultiple } from '../../lib/delivery/decimal-multiple.js';
import { validatePayload } from '../../lib/delivery/schemas.js';

describe('decimal multipleOf', () => {
  test('the stock Ajv check (precision 9) refuses a valid £1,234,567.89; the decimal check accepts it', () => {
    const stock = new Ajv2020({ multipleOfPrecision: 9 }).compile({ type: 'number', multipleOf: 0.01 });
    assert.equal(stock(1234567.89), false);
    assert.equal(isDecimalMultiple(1234567.89, 0.01), true);
    assert.equal(validatePayload('callbacks/quote-patch', { edps: [] }).valid, false);
  });

  test('every two-decimal amount up to £10^11 passes; none with a third decimal does', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 1, max: 9 }), (pence, extra) => {
      assert.equal(isDecimalMultiple(Number(pence) / 100, 0.01), true);
      const threeDp = Number(pence * 10n + BigInt(extra)) / 1000;
      // A double that still prints with 3 decimals must be refused (huge values lose the digit).
      if (/\.\d{3}$/.test(String(threeDp))) assert.equal(isDecimalMultiple(threeDp, 0.01), false, String(threeDp));
    }), { numRuns: 2000 });
  });

  test('exponent notation, negatives and integer steps', () => {
    assert.deepEqual(decimalOf(1e21), { digits: 1n, scale: -21 });
    assert.deepEqual(decimalOf(5e-7), { digits: 5n, scale: 7 });
    assert.equal(isDecimalMultiple(-38.53, 0.01), true);
    assert.equal(isDecimalMultiple(5e-7, 0.01), false);
    assert.equal(isDecimalMultiple(0.30000000000000004, 0.01), false);
    assert.equal(isDecimalMultiple(12, 3), true);
    assert.equal(isDecimalMultiple(1e21, 0.01), true);
  });
});
