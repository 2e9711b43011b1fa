// Maps nutrient records onto the wire shapes of contracts.md: the per-RLB `nutrient` block of the
// result document (§8.3), the quote PATCH `catchments` (§8.2) and the nutrient `summary`. The
// shapes themselves belong to lib/delivery (result-document.ts, quote-patch.ts).

import { compareCodeUnits } from './land-use.js';
import { round2 } from './numbers.js';
import type { NutrientRlbResult } from './types.js';
import type { LevyGbp } from '../levy/resolve.js';
import type { CatchmentEntry } from '../../delivery/quote-patch.js';
import type { NutrientSummary, RlbNutrient } from '../../delivery/result-document.js';

/**
 * §8.2 catchments: NN intersections dissolved per `Label` (blank labels and zero-area touches
 * already dropped in SQL), sorted by label, overlap as a percentage of the RLB area at 2 dp.
 */
export function toQuoteCatchments(result: Pick<NutrientRlbResult, 'catchments' | 'areaM2'>): CatchmentEntry[] {
  return [...result.catchments]
    .sort((a, b) => compareCodeUnits(a.label, b.label))
    .map((c) => ({
      label: c.label,
      catchmentId: c.catchmentId,
      catchmentOverlapPercentage: result.areaM2 > 0 ? Math.min(100, Math.max(0, round2((c.overlapAreaM2 / result.areaM2) * 100))) : 0,
    }));
}

/** The §8.3 `nutrient` block of one RLB; the EDP and levy come from the levy module. */
export function toResultRlbNutrient(
  result: NutrientRlbResult,
  levy: { edp: { edpId: number; edpName: string } | null; levyGbp: LevyGbp | null } = { edp: null, levyGbp: null },
): RlbNutrient {
  const r = result.record;
  return {
    nnCatchments: toQuoteCatchments(result),
    areaInNnCatchmentHa: r.AreaInNNCatchment,
    devSubCatchment: r.Dev_SubCatchment,
    majorityLpa: r.Majority_LPA,
    wwtw: { id: r.Majority_WwTw_ID, name: r.WwTW_name, subCatchment: r.WwTw_SubCatchment },
    landUse: {
      nitrogenUpliftKgYr: r.N_LU_Uplift,
      phosphorusUpliftKgYr: r.P_LU_Uplift,
      nitrogenPostSudsKgYr: r.N_LU_postSuDS,
      phosphorusPostSudsKgYr: r.P_LU_postSuDS,
    },
    wastewater: r.WwTW_name === null ? null : {
      occupancyRate: r.Occ_Rate,
      waterUsageLPerPersonDay: r.Water_Usage_L_Day,
      dailyWaterUsageL: r.Litres_used,
      nitrogenConc20252030MgL: r.Nitrogen_2025_2030,
      nitrogenConc2030OnwardsMgL: r.Nitrogen_2030_onwards,
      phosphorusConc20252030MgL: r.Phosphorus_2025_2030,
      phosphorusConc2030OnwardsMgL: r.Phosphorus_2030_onwards,
      nitrogenTempKgYr: r.N_WwTW_Temp,
      phosphorusTempKgYr: r.P_WwTW_Temp,
      nitrogenPermKgYr: r.N_WwTW_Perm,
      phosphorusPermKgYr: r.P_WwTW_Perm,
    },
    totals: { nitrogenKgYr: r.N_Total, phosphorusKgYr: r.P_Total },
    dwellingDensity: r.dwelling_density,
    edp: levy.edp,
    levyGbp: levy.levyGbp,
  };
}

/** The nutrient `summary` of §8.3: sums over assessed RLBs at 2 dp, distinct sorted names. */
export function summariseNutrient(results: readonly NutrientRlbResult[], levyFor: (rlbId: number) => LevyGbp | null = () => null): NutrientSummary {
  const assessed = results.filter((r) => r.status === 'assessed').sort((a, b) => a.rlbId - b.rlbId);
  let n = 0;
  let p = 0;
  let levy: number | null = 0;
  const works = new Set<string>();
  const labels = new Set<string>();
  for (const r of assessed) {
    n += r.record.N_Total;
    p += r.record.P_Total;
    if (r.record.WwTW_name !== null) works.add(r.record.WwTW_name);
    for (const c of r.catchments) labels.add(c.label);
    const amount = levyFor(r.rlbId)?.amountInflationAdjusted ?? null;
    levy = levy === null || amount === null ? null : levy + amount;
  }
  return {
    siteCount: results.length,
    assessedCount: assessed.length,
    outOfScopeCount: results.length - assessed.length,
    nitrogenTotalKgYr: round2(n),
    phosphorusTotalKgYr: round2(p),
    wwtwNames: [...works].sort(compareCodeUnits),
    catchmentLabels: [...labels].sort(compareCodeUnits),
    levyGbpTotal: levy === null ? null : round2(levy),
  };
}
