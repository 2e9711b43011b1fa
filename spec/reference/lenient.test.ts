// parseLenient / parseLenientCode: the vectors of nutrient.md §12.2 and the rules of §7.2.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLenient, parseLenientCode } from '../../lib/reference/lenient.js';

describe('parseLenient (nutrient.md §7.2, §12.2)', () => {
  const values: [unknown, number | null][] = [['27', 27], [' 4.5 ', 4.5], ['0.25', 0.25], [27, 27], ['', null], [null, null], ['  ', null], [undefined, null], ['+.5', 0.5], ['-3.', -3], ['1e3', 1000], ['2.5E-2', 0.025]];
  for (const [input, expected] of values) {
    test(`${JSON.stringify(input)} ⇒ ${expected} without an issue`, () => {
      assert.deepEqual(parseLenient(input), { value: expected, issue: null });
    });
  }
  for (const junk of ['f', '?', 'NaN', 'inf', 'Infinity', '1,5', '0x10', '1 2', '--1', '.', '1e999']) {
    test(`${JSON.stringify(junk)} ⇒ null with an issue carrying the raw text`, () => {
      assert.deepEqual(parseLenient(junk), { value: null, issue: { raw: junk } });
    });
  }
  test('non-finite numbers are issues, not values', () => {
    assert.deepEqual(parseLenient(Number.NaN), { value: null, issue: { raw: 'NaN' } });
    assert.deepEqual(parseLenient(Number.POSITIVE_INFINITY), { value: null, issue: { raw: 'Infinity' } });
  });
  test('the raw text keeps surrounding whitespace', () => {
    assert.deepEqual(parseLenient(' ? '), { value: null, issue: { raw: ' ? ' } });
  });
});

describe('parseLenientCode: codes must be integral', () => {
  test('"1065" and "1065.0" ⇒ 1065', () => {
    assert.deepEqual(parseLenientCode('1065'), { value: 1065, issue: null });
    assert.deepEqual(parseLenientCode('1065.0'), { value: 1065, issue: null });
    assert.deepEqual(parseLenientCode('\t11307'), { value: 11307, issue: null });
  });
  test('"10.5" ⇒ null + issue', () => {
    assert.deepEqual(parseLenientCode('10.5'), { value: null, issue: { raw: '10.5' } });
    assert.deepEqual(parseLenientCode(10.5), { value: null, issue: { raw: '10.5' } });
  });
  test('"9602 or 10197" ⇒ null + issue; blank ⇒ null without one', () => {
    assert.deepEqual(parseLenientCode('9602 or 10197'), { value: null, issue: { raw: '9602 or 10197' } });
    assert.deepEqual(parseLenientCode(''), { value: null, issue: null });
    assert.deepEqual(parseLenientCode(null), { value: null, issue: null });
  });
});
