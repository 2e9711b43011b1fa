import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPythonFloat, parseCode, parseLenient, round2 } from '../../../lib/assessments/nutrient/numbers.js';
import { devAreaHa, dwellingDensity } from '../../../lib/assessments/nutrient/arithmetic.js';

describe('round2 (nutrient.md §7.1, §12.2)', () => {
  const table: [number, number][] = [
    [0.125, 0.12], [0.375, 0.38], [-0.125, -0.12], [-0.375, -0.38], [-0.0025, 0], [16.875, 16.88], [-226.575, -226.58],
    [10.505, 10.5], [2.675, 2.68], [1.115, 1.12], [1.005, 1.0], [2.345, 2.35], [11.925, 11.92], [-15.425, -15.42],
  ];
  for (const [x, expected] of table) {
    test(`round2(${x}) = ${expected}`, () => {
      assert.equal(round2(x), expected);
      assert.ok(!Object.is(round2(x), -0), 'never −0');
    });
  }

  test('differs from Math.round and toFixed where the spec says it must', () => {
    assert.notEqual(round2(0.125), Math.round(0.125 * 100) / 100);
    assert.notEqual(round2(10.505), Number((10.505).toFixed(2)));
    assert.notEqual(round2(-0.375), Math.round(-0.375 * 100) / 100);
  });

  test('null in, null out', () => assert.equal(round2(null), null));
});

describe('Dev_Area_Ha and density (§4.3, §7.9)', () => {
  const table: [number, number][] = [
    [259.3920144687098, 0.03], [9949.9, 0.99], [9950, 1.0], [10000, 1.0], [150, 0.02], [250, 0.02], [50, 0.0], [50.01, 0.01],
  ];
  for (const [m2, ha] of table) test(`${m2} m² ⇒ ${ha} ha`, () => assert.equal(devAreaHa(m2), ha));

  test('1 dwelling on 0.03 ha', () => assert.equal(dwellingDensity(1, 0.03), 33.333333333333336));
  test('a zero rounded area gives a null density', () => assert.equal(dwellingDensity(5, 0), null));
});

describe('parseLenient (§7.2)', () => {
  test('numbers and numeric strings', () => {
    assert.deepEqual(parseLenient('27'), { value: 27, issue: null });
    assert.deepEqual(parseLenient(' 4.5 '), { value: 4.5, issue: null });
    assert.deepEqual(parseLenient('0.25'), { value: 0.25, issue: null });
    assert.deepEqual(parseLenient(27), { value: 27, issue: null });
  });
  test('blank and null are null without an issue', () => {
    assert.deepEqual(parseLenient(''), { value: null, issue: null });
    assert.deepEqual(parseLenient(null), { value: null, issue: null });
  });
  test('non-numeric text is null with the raw text as the issue', () => {
    for (const raw of ['f', '?', 'NaN', 'inf']) assert.deepEqual(parseLenient(raw), { value: null, issue: raw });
  });
  test('codes must be integral', () => {
    assert.equal(parseCode('1065').value, 1065);
    assert.equal(parseCode('1065.0').value, 1065);
    assert.deepEqual(parseCode('10.5'), { value: null, issue: '10.5' });
  });
});

describe('Python repr float format (§8.3)', () => {
  const table: [number, string][] = [
    [120, '120.0'], [288, '288.0'], [1.5399999999999998, '1.5399999999999998'], [0.00001, '1e-05'], [1.5e16, '1.5e+16'],
    [0.0001, '0.0001'], [1e16, '1e+16'], [123456789012345.6, '123456789012345.6'], [-2.28, '-2.28'], [0, '0.0'],
    [33.333333333333336, '33.333333333333336'], [2.56, '2.56'], [0.09, '0.09'], [-1.5e-7, '-1.5e-07'], [1e22, '1e+22'],
    [9999999999999998, '9999999999999998.0'], [0.1 + 0.2, '0.30000000000000004'],
  ];
  for (const [x, text] of table) test(`${x} ⇒ ${text}`, () => assert.equal(formatPythonFloat(x), text));
});
