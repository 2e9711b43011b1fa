// The levy arithmetic of levy.md §6, exact: integer pence in BigInt, the CIL index ratio applied
// once to the total and rounded half-up to the penny. No Number multiplication, Math.round or
// toFixed ever touches money here; Numbers appear only when the result is serialised.

import { JobError } from '../../errors.js';

/** A decimal as an exact scaled integer: value = digits / 10^scale. */
interface Scaled {
  digits: bigint;
  scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function parseDecimal(value: string | number, what: string): Scaled {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = DECIMAL.exec(text);
  // Negative, exponent or garbage text cannot come from numeric columns; it is a defect upstream.
  if (!match) throw new RangeError(`${what} is not a plain non-negative decimal: ${JSON.stringify(text)}`);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  return { digits: BigInt(whole + fraction), scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.digits * 10n ** BigInt(scale - value.scale);
}

/** `(2N + D) div 2D`: half-up (= half away from zero for the positive values used here). */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('divideHalfUp expects N ≥ 0 and D > 0');
  return (2n * numerator + denominator) / (2n * denominator);
}

/** Whole-pound base charge → pence; a fractional or non-positive charge is `levy_data_invalid`. */
export function baseChargeToPence(baseChargePerUnit: string | number): bigint {
  const text = typeof baseChargePerUnit === 'number' ? String(baseChargePerUnit) : baseChargePerUnit.trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new JobError('levy_data_invalid', { detail: { reason: 'non_positive_base_charge', table: 'levy_charges', baseChargePerUnit: text } });
  }
  if (/[1-9]/.test(match[2] ?? '')) {
    throw new JobError('levy_data_invalid', { detail: { reason: 'fractional_base_charge', table: 'levy_charges', baseChargePerUnit: text } });
  }
  const pounds = BigInt(match[1] ?? '0');
  if (pounds <= 0n) {
    throw new JobError('levy_data_invalid', { detail: { reason: 'non_positive_base_charge', table: 'levy_charges', baseChargePerUnit: text } });
  }
  return pounds * 100n;
}

function positiveIndex(value: string | number, year: 'start' | 'calculation'): Scaled {
  let scaled: Scaled;
  try {
    scaled = parseDecimal(value, `${year} CIL index`);
  } catch {
    scaled = { digits: 0n, scale: 0 };
  }
  if (scaled.digits <= 0n) {
    throw new JobError('levy_data_invalid', { detail: { reason: 'non_positive_index', table: 'levy_inflation_index', which: year, cilIndex: String(value) } });
  }
  return scaled;
}

export interface LevyCalculationInput {
  /** numeric(12,2) as text, e.g. "2675.00"; must be whole pounds. */
  baseChargePerUnit: string | number;
  /** Dwellings; integer ≥ 1 (the message validator enforces it, this asserts it). */
  units: number;
  /** cil_index of the EDP start year; null when the calculation year is the start year. */
  startYearIndex: string | number | null;
  /** cil_index of the calculation year; null when it is the start year. */
  calcYearIndex: string | number | null;
}

export interface LevyAmounts {
  provisionalPence: bigint;
  inflationAdjustedPence: bigint;
  /** True when the index ratio was applied (the years differ). */
  indexApplied: boolean;
  /** levyGbp wire values (levy.md §9): Number(pence) / 100. */
  amountExcludingVat: number;
  amountInflationAdjusted: number;
  baseAmount: number;
}

export function penceToGbp(pence: bigint): number {
  return Number(pence) / 100;
}

/** Pence as a fixed two-decimal string ("26750.00"), exact, for logs and the result record. */
export function penceToString(pence: bigint): string {
  const sign = pence < 0n ? '-' : '';
  const abs = pence < 0n ? -pence : pence;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/**
 * levy.md §6: provisional = B × U (exact pounds); inflation-adjusted = B × U × Ic / Is rounded
 * half-up to the penny once, on the total. With both indices null the years are the same and the
 * adjusted amount equals the provisional one.
 */
export function calculateLevyAmounts(input: LevyCalculationInput): LevyAmounts {
  if (!Number.isSafeInteger(input.units) || input.units < 1) {
    throw new RangeError(`levy units must be an integer ≥ 1, got ${String(input.units)}`);
  }
  const basePence = baseChargeToPence(input.baseChargePerUnit);
  const provisionalPence = basePence * BigInt(input.units);
  if ((input.startYearIndex === null) !== (input.calcYearIndex === null)) {
    throw new RangeError('levy indices must be both given (other year) or both null (same year)');
  }
  let inflationAdjustedPence = provisionalPence;
  const indexApplied = input.startYearIndex !== null && input.calcYearIndex !== null;
  if (input.startYearIndex !== null && input.calcYearIndex !== null) {
    const start = positiveIndex(input.startYearIndex, 'start');
    const calc = positiveIndex(input.calcYearIndex, 'calculation');
    const scale = Math.max(start.scale, calc.scale);
    inflationAdjustedPence = divideHalfUp(provisionalPence * rescale(calc, scale), rescale(start, scale));
  }
  return {
    provisionalPence,
    inflationAdjustedPence,
    indexApplied,
    amountExcludingVat: penceToGbp(provisionalPence),
    amountInflationAdjusted: penceToGbp(inflationAdjustedPence),
    baseAmount: penceToGbp(provisionalPence),
  };
}
