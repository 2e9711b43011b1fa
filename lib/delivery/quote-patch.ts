// The quote result body of contracts.md §8.2, built in the field order of the spec table so the
// bytes on the wire are stable (golden files pin them). The pipeline supplies figures only.

import type { LevyGbp } from '../assessments/levy/resolve.js';

export type BandValue = 1 | 2 | 3 | 4;

export interface Band {
  min: BandValue;
  max: BandValue;
}

export interface NutrientTotal {
  amount: number;
  unit: 'mg/I TP';
  band: Band;
}

export interface CatchmentEntry {
  label: string;
  catchmentId: string | null;
  catchmentOverlapPercentage: number;
}

export interface QuotePatchEdp {
  edpId: number;
  edpName: string;
  edpType: 'NUTRIENT';
  impact: { nitrogenTotal: NutrientTotal; phosphorusTotal: NutrientTotal };
  catchments: CatchmentEntry[];
  levyGbp: LevyGbp;
}

export interface QuotePatchBody {
  edps: [QuotePatchEdp];
}

/** nrf-backend's impact band of a rounded kg/yr amount: ≤ 0.25 → 1, ≤ 2.0 → 2, ≤ 5.0 → 3, else 4 (negative → 1). */
export function bandFor(amount: number): BandValue {
  if (!Number.isFinite(amount)) throw new RangeError(`band of a non-finite amount: ${amount}`);
  if (amount <= 0.25) return 1;
  if (amount <= 2.0) return 2;
  if (amount <= 5.0) return 3;
  return 4;
}

function total(amount: number): NutrientTotal {
  const band = bandFor(amount);
  return { amount, unit: 'mg/I TP', band: { min: band, max: band } };
}

export interface QuotePatchInput {
  edp: { edpId: number; edpName: string };
  /** kg/yr including the buffer, already rounded to 2 dp (nutrient.md §7.7). */
  nitrogenTotal: number;
  phosphorusTotal: number;
  /** Dissolved per label, sorted by label (contracts.md §8.2); order is kept as given. */
  catchments: readonly CatchmentEntry[];
  levyGbp: LevyGbp;
}

export function buildQuotePatch(input: QuotePatchInput): QuotePatchBody {
  return {
    edps: [{
      edpId: input.edp.edpId,
      edpName: input.edp.edpName,
      edpType: 'NUTRIENT',
      impact: { nitrogenTotal: total(input.nitrogenTotal), phosphorusTotal: total(input.phosphorusTotal) },
      catchments: input.catchments.map((c) => ({ label: c.label, catchmentId: c.catchmentId, catchmentOverlapPercentage: c.catchmentOverlapPercentage })),
      levyGbp: {
        amountExcludingVat: input.levyGbp.amountExcludingVat,
        amountInflationAdjusted: input.levyGbp.amountInflationAdjusted,
        baseAmount: input.levyGbp.baseAmount,
        modelVersion: input.levyGbp.modelVersion,
      },
    }],
  };
}
