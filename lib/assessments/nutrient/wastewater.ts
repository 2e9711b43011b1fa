// Step 7 of nutrient.md §2: rates join, group-mean imputation across the job (§7.6.1–2), the
// lookup join with its fallback sub-catchment (§7.6.4–5) and the four loads (§7.6.6).

import { litresUsed, wastewaterLoadRaw, type NutrientParams } from './arithmetic.js';
import type { LookupIssue, NutrientLookups, WwtwLookupRow } from './types.js';

export interface RatesInput {
  rlbId: number;
  nnCatchment: string | null;
  wwtwId: number;
}

export interface RatesAssignment {
  occupancyRate: number | null;
  waterUsage: number | null;
  /** Set when at least one rate came from the group mean (`wastewater_rates_imputed`). */
  imputed: { donors: number; occupancyRate: number | null; waterUsage: number | null } | null;
  /** Issues of the rates row the RLB used (`lookup_value_unparseable`). */
  issues: LookupIssue[];
  nnCatchmentKey: string | null;
}

/**
 * Joins the whole `NN_Catchment` string to the rates table by exact equality, then fills null
 * rates with the mean of the same `Majority_WwTw_ID` group, over every RLB of the job before the
 * scope filter (Q1). Means are left-to-right sums in RLB_ID order divided by the donor count.
 */
export function assignRates(rlbs: readonly RatesInput[], lookups: NutrientLookups): Map<number, RatesAssignment> {
  const ordered = [...rlbs].sort((a, b) => a.rlbId - b.rlbId);
  const out = new Map<number, RatesAssignment>();
  for (const rlb of ordered) {
    const row = rlb.nnCatchment === null ? undefined : lookups.rates.get(rlb.nnCatchment);
    out.set(rlb.rlbId, {
      occupancyRate: row?.occupancyRate ?? null,
      waterUsage: row?.waterUsageLPerPersonDay ?? null,
      imputed: null,
      issues: row?.issues ?? [],
      nnCatchmentKey: row ? rlb.nnCatchment : null,
    });
  }
  const groups = new Map<number, RatesInput[]>();
  for (const rlb of ordered) {
    const group = groups.get(rlb.wwtwId);
    if (group) group.push(rlb);
    else groups.set(rlb.wwtwId, [rlb]);
  }
  for (const group of groups.values()) {
    const before = group.map((r) => out.get(r.rlbId) as RatesAssignment);
    const occ = groupMean(before.map((a) => a.occupancyRate));
    const water = groupMean(before.map((a) => a.waterUsage));
    for (const assignment of before) {
      const fillOcc = assignment.occupancyRate === null && occ.mean !== null;
      const fillWater = assignment.waterUsage === null && water.mean !== null;
      if (!fillOcc && !fillWater) continue;
      if (fillOcc) assignment.occupancyRate = occ.mean;
      if (fillWater) assignment.waterUsage = water.mean;
      assignment.imputed = {
        donors: Math.max(fillOcc ? occ.donors : 0, fillWater ? water.donors : 0),
        occupancyRate: fillOcc ? occ.mean : null,
        waterUsage: fillWater ? water.mean : null,
      };
    }
  }
  return out;
}

function groupMean(values: readonly (number | null)[]): { mean: number | null; donors: number } {
  let sum = 0;
  let donors = 0;
  for (const value of values) {
    if (value === null) continue;
    sum += value;
    donors += 1;
  }
  return { mean: donors === 0 ? null : sum / donors, donors };
}

export interface WastewaterResult {
  row: WwtwLookupRow | null;
  subCatchment: string | null;
  litresUsed: number | null;
  nTempRaw: number | null;
  pTempRaw: number | null;
  nPermRaw: number | null;
  pPermRaw: number | null;
}

/** §7.6.3–6 for one RLB whose rates are already assigned. */
export function wastewater(
  wwtwId: number,
  devSubCatchment: string | null,
  dwellings: number,
  rates: Pick<RatesAssignment, 'occupancyRate' | 'waterUsage'>,
  lookups: NutrientLookups,
  params: NutrientParams & { fallbackWwtwId: number },
): WastewaterResult {
  const row = lookups.wwtw.get(wwtwId) ?? null;
  let subCatchment = row?.subcatchment ?? null;
  // Null pattern of §8.1: column 14 can be filled even when the fallback works has no row.
  if (wwtwId === params.fallbackWwtwId && subCatchment === null) subCatchment = devSubCatchment;
  const load = (c: number | null | undefined): number | null =>
    wastewaterLoadRaw(dwellings, rates.occupancyRate, rates.waterUsage, c ?? null, params);
  return {
    row,
    subCatchment,
    litresUsed: litresUsed(dwellings, rates.occupancyRate, rates.waterUsage),
    nTempRaw: load(row?.nitrogen20252030),
    pTempRaw: load(row?.phosphorus20252030),
    nPermRaw: load(row?.nitrogen2030Onwards),
    pPermRaw: load(row?.phosphorus2030Onwards),
  };
}
