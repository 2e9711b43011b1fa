// Number primitives of the nutrient arithmetic (nutrient.md §7.1, §7.2, §8.3): NumPy-exact
// rounding, lenient parsing of lookup cells and Python-repr float formatting for the legacy CSV.

import { roundHalfEven } from '../../numbers/rounding.js';
import { parseLenient as parseReferenceLenient, parseLenientCode, type LenientResult as ReferenceLenientResult } from '../../reference/lenient.js';

/** §7.1 `round2`: NumPy's `round(x, 2)`, half to even on the double (lib/numbers/rounding.ts). */
export function round2(x: number): number;
export function round2(x: number | null): number | null;
export function round2(x: number | null): number | null {
  return x === null ? null : roundHalfEven(x, 2);
}

/** A lenient parse as the nutrient module reports it: a value or null, plus the raw text of a junk cell. */
export interface LenientResult {
  value: number | null;
  /** Non-null when the input was non-blank but not a number (a data-quality issue). */
  issue: string | null;
}

const withRawIssue = (parsed: ReferenceLenientResult): LenientResult => ({ value: parsed.value, issue: parsed.issue?.raw ?? null });

/** §7.2, by the one implementation in lib/reference/lenient.ts: blank ⇒ null; junk ⇒ null + issue. */
export function parseLenient(raw: unknown): LenientResult {
  return withRawIssue(parseReferenceLenient(raw));
}

/** WwTW codes: lenient, and additionally integral (`"1065.0"` ⇒ 1065, `"10.5"` ⇒ null + issue). */
export function parseCode(raw: unknown): LenientResult {
  return withRawIssue(parseLenientCode(raw));
}

/**
 * Python `repr(float)`: shortest round-trip digits; exponent form when the decimal exponent is
 * < −4 or ≥ 16 (`1e-05`, `1.5e+16`); otherwise positional with at least one fractional digit.
 */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument yields the shortest round-trip digits, as repr does.
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential());
  if (!match) throw new Error(`unexpected exponential form of ${x}`);
  const sign = match[1] ?? '';
  const digits = (match[2] ?? '') + (match[3] ?? '');
  const exponent = Number(match[4]);
  if (exponent < -4 || exponent >= 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${mantissa}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intLength = exponent + 1;
  if (digits.length <= intLength) return `${sign}${digits.padEnd(intLength, '0')}.0`;
  return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
}
