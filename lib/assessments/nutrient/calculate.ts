// Steps 5–10 of nutrient.md §2 over the rows the spatial statements returned: pure TypeScript,
// no I/O, so the worked examples of §12.3 run as plain function calls.

import type { NutrientConfig } from '../../config.js';
import { devAreaHa, dwellingDensity, postSuds, totalWithBuffer } from './arithmetic.js';
import { summariseLandUse, type LandUseSummary } from './land-use.js';
import { parseCode, round2 } from './numbers.js';
import { assignRates, wastewater, type RatesAssignment, type WastewaterResult } from './wastewater.js';
import { collectWarnings, type WarningFacts } from './warnings.js';
import type {
  MajorityPick, NutrientLookups, NutrientRecord, NutrientRlbResult, OutOfScopeReason, RlbAttributes, RlbSpatial,
} from './types.js';

export interface RlbCalculationInput {
  attributes: RlbAttributes;
  spatial: RlbSpatial;
}

interface Majorities {
  wwtwId: number;
  fallbackUsed: WarningFacts['fallbackUsed'];
  lpa: string;
  subcatchment: string | null;
  ties: WarningFacts['ties'];
}

function resolveMajorities(spatial: RlbSpatial, params: NutrientConfig): Majorities {
  const code = spatial.wwtw === null ? null : parseCode(spatial.wwtw.value).value;
  const fallbackUsed: WarningFacts['fallbackUsed'] =
    spatial.wwtw === null ? { reason: 'no_overlap', value: null } : code === null ? { reason: 'non_integer_id', value: spatial.wwtw.value } : null;
  const ties: WarningFacts['ties'] = [];
  const tie = (layer: WarningFacts['ties'][number]['layer'], pick: MajorityPick | null): void => {
    if (pick !== null && pick.ties >= 2) ties.push({ layer, count: pick.ties });
  };
  tie('wwtw_catchments', spatial.wwtw);
  tie('lpa_boundaries', spatial.lpa);
  tie('subcatchments', spatial.subcatchment);
  return {
    wwtwId: code ?? params.fallbackWwtwId,
    fallbackUsed,
    lpa: spatial.lpa?.value ?? params.fallbackLpa,
    subcatchment: spatial.subcatchment?.value ?? null,
    ties,
  };
}

/** Scope filter (§7.8): no pieces, and a works that is unknown or the package-plant fallback. */
function scopeOf(landUse: LandUseSummary, ww: WastewaterResult, params: NutrientConfig): OutOfScopeReason | null {
  if (landUse.areaHa !== null) return null;
  const name = ww.row?.name ?? null;
  if (name === null) return 'out_of_scope_unknown_wwtw';
  if (name === params.fallbackWwtwName) return 'out_of_scope_package_plant';
  return null;
}

/** Runs the arithmetic for every RLB of one job; imputation couples the RLBs (§4.1). */
export function calculateNutrient(inputs: readonly RlbCalculationInput[], lookups: NutrientLookups, params: NutrientConfig): NutrientRlbResult[] {
  const ordered = [...inputs].sort((a, b) => a.attributes.rlbId - b.attributes.rlbId);
  const staged = ordered.map((input) => {
    const devArea = devAreaHa(input.spatial.shapeAreaM2);
    return { input, devArea, majorities: resolveMajorities(input.spatial, params), landUse: summariseLandUse(input.spatial.pieces, devArea, params) };
  });
  const rates = assignRates(
    staged.map((s) => ({ rlbId: s.input.attributes.rlbId, nnCatchment: s.landUse.nnCatchment, wwtwId: s.majorities.wwtwId })),
    lookups,
  );
  return staged.map((s) => buildResult(s.input, s.devArea, s.majorities, s.landUse, rates.get(s.input.attributes.rlbId) as RatesAssignment, lookups, params));
}

function buildResult(
  input: RlbCalculationInput,
  devArea: number,
  m: Majorities,
  landUse: LandUseSummary,
  rates: RatesAssignment,
  lookups: NutrientLookups,
  params: NutrientConfig,
): NutrientRlbResult {
  const a = input.attributes;
  const ww = wastewater(m.wwtwId, m.subcatchment, a.dwellings, rates, lookups, params);
  const nPost = postSuds(landUse.nUplift, a.dwellings, params);
  const pPost = postSuds(landUse.pUplift, a.dwellings, params);
  const reason = scopeOf(landUse, ww, params);
  const row = ww.row;
  const record: NutrientRecord = {
    RLB_ID: a.rlbId,
    id: a.id,
    Name: a.name,
    Dwel_Cat: a.dwellingCategory,
    Source: a.source,
    Dwellings: a.dwellings,
    Dev_Area_Ha: devArea,
    AreaInNNCatchment: round2(landUse.areaHa),
    NN_Catchment: landUse.nnCatchment,
    Dev_SubCatchment: m.subcatchment,
    Majority_LPA: m.lpa,
    Majority_WwTw_ID: m.wwtwId,
    WwTW_name: row?.name ?? null,
    WwTw_SubCatchment: ww.subCatchment,
    N_LU_Uplift: landUse.nUplift,
    P_LU_Uplift: landUse.pUplift,
    N_LU_postSuDS: nPost,
    P_LU_postSuDS: pPost,
    Occ_Rate: rates.occupancyRate,
    Water_Usage_L_Day: rates.waterUsage,
    Litres_used: ww.litresUsed,
    Nitrogen_2025_2030: row?.nitrogen20252030 ?? null,
    Nitrogen_2030_onwards: row?.nitrogen2030Onwards ?? null,
    Phosphorus_2025_2030: row?.phosphorus20252030 ?? null,
    Phosphorus_2030_onwards: row?.phosphorus2030Onwards ?? null,
    N_WwTW_Temp: round2(ww.nTempRaw),
    P_WwTW_Temp: round2(ww.pTempRaw),
    N_WwTW_Perm: round2(ww.nPermRaw),
    P_WwTW_Perm: round2(ww.pPermRaw),
    N_Total: totalWithBuffer(nPost, ww.nPermRaw, params),
    P_Total: totalWithBuffer(pPost, ww.pPermRaw, params),
    nn_catchment_entries: landUse.entries,
    dwelling_density: dwellingDensity(a.dwellings, devArea),
    // Out-of-scope RLBs carry their reason code and no warnings (§12.6).
    warnings: reason !== null ? [] : collectWarnings(warningFacts(input.spatial, devArea, m, landUse, rates, ww, lookups)),
  };
  return {
    rlbId: a.rlbId,
    status: reason === null ? 'assessed' : 'out_of_scope',
    outOfScopeReason: reason,
    record,
    areaM2: input.spatial.shapeAreaM2,
    catchments: input.spatial.catchments,
  };
}

function warningFacts(
  spatial: RlbSpatial,
  devArea: number,
  m: Majorities,
  landUse: LandUseSummary,
  rates: RatesAssignment,
  ww: WastewaterResult,
  lookups: NutrientLookups,
): WarningFacts {
  const row = ww.row;
  const lookupIssues: WarningFacts['lookupIssues'] = [
    ...(row?.issues ?? []).map((issue) => ({ table: 'wwtw_lookup' as const, key: m.wwtwId, issue })),
    ...(rates.nnCatchmentKey !== null ? rates.issues.map((issue) => ({ table: 'rates_lookup' as const, key: rates.nnCatchmentKey ?? '', issue })) : []),
  ];
  return {
    hasPieces: landUse.areaHa !== null,
    siteNameCount: landUse.siteNames.length,
    ratesMissing: rates.occupancyRate === null || rates.waterUsage === null,
    imputed: rates.imputed,
    wwtwId: m.wwtwId,
    wwtwInLookup: lookups.wwtw.has(m.wwtwId),
    fallbackUsed: m.fallbackUsed,
    nPermits: [row?.nitrogen20252030 ?? null, row?.nitrogen2030Onwards ?? null],
    pPermits: [row?.phosphorus20252030 ?? null, row?.phosphorus2030Onwards ?? null],
    lookupIssues,
    missingCoefficients: landUse.missing,
    areaInNnHa: landUse.areaHa,
    coverageHa: spatial.coverageHa,
    nUplift: landUse.nUplift,
    pUplift: landUse.pUplift,
    ties: m.ties,
    lpaUnknown: spatial.lpa === null,
    subcatchmentUnknown: spatial.subcatchment === null,
    devAreaHa: devArea,
  };
}
