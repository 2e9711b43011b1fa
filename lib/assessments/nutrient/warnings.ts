// The warning catalogue of nutrient.md §8.2 and the rules that raise each code for one RLB.

import { compareCodeUnits } from './land-use.js';
import type { LookupIssue, NutrientWarning, WarningSeverity } from './types.js';

const CATALOGUE = {
  outside_nn_catchments: ['warning', 'The site has no land inside a nutrient neutrality catchment: the total is wastewater only.'],
  multiple_nn_catchments: ['warning', 'The site spans several nutrient neutrality sites, so no occupancy or water-use rates match it.'],
  wastewater_rates_missing: ['warning', 'No occupancy or water-use rate applies to the site: wastewater loads are blank and count as zero.'],
  wastewater_rates_imputed: ['info', 'Occupancy and water-use rates were taken from the mean of other sites draining to the same works.'],
  wwtw_not_in_lookup: ['warning', 'The wastewater treatment works has no permit row in the lookup: wastewater loads are blank and count as zero.'],
  wwtw_fallback_default: ['info', 'No wastewater treatment works catchment overlaps the site: the package treatment plant default was used.'],
  wwtw_n_permit_missing: ['info', 'The works has no nitrogen permit concentration for one or both periods: that nitrogen load is blank.'],
  wwtw_p_permit_missing: ['info', 'The works has no phosphorus permit concentration for one or both periods: that phosphorus load is blank.'],
  lookup_value_unparseable: ['data_quality', 'A lookup value used for the site is not a number and was treated as blank.'],
  coefficient_missing: ['data_quality', 'Some land-use parcels lack a nutrient coefficient and were skipped for that nutrient.'],
  coefficient_coverage_gap: ['data_quality', 'Part of the site inside a nutrient neutrality catchment is not covered by land-use parcels and contributes nothing.'],
  coefficient_overlap: ['data_quality', 'Land-use parcels overlap inside the site, so some land is counted more than once.'],
  negative_land_use_change: ['info', 'The land-use change is negative: SuDS and the buffer act on its absolute value.'],
  majority_tie: ['info', 'Two or more features overlap the site by exactly the same largest area; the tie was broken by value, then id.'],
  lpa_unknown: ['info', 'No local planning authority overlaps the site.'],
  subcatchment_unknown: ['info', 'No operational sub-catchment overlaps the site.'],
  dev_area_rounds_to_zero: ['warning', 'The site area rounds to 0.00 ha, so no dwelling density is given.'],
} as const satisfies Record<string, readonly [WarningSeverity, string]>;

export type NutrientWarningCode = keyof typeof CATALOGUE;

/** Coverage differences below this many hectares are noise, not a gap or overlap (§8.2). */
const COVERAGE_TOLERANCE_HA = 0.01;

export function warning(code: NutrientWarningCode, details?: Record<string, unknown>): NutrientWarning {
  const [severity, message] = CATALOGUE[code];
  return details === undefined ? { code, severity, message } : { code, severity, message, details };
}

/** Everything the warning rules look at for one assessed RLB. */
export interface WarningFacts {
  hasPieces: boolean;
  siteNameCount: number;
  ratesMissing: boolean;
  imputed: { donors: number; occupancyRate: number | null; waterUsage: number | null } | null;
  wwtwId: number;
  wwtwInLookup: boolean;
  fallbackUsed: { reason: 'no_overlap' | 'non_integer_id'; value: string | null } | null;
  nPermits: [number | null, number | null];
  pPermits: [number | null, number | null];
  lookupIssues: { table: 'wwtw_lookup' | 'rates_lookup'; key: string | number; issue: LookupIssue }[];
  missingCoefficients: { pieces: number; hectares: number };
  areaInNnHa: number | null;
  coverageHa: number;
  nUplift: number | null;
  pUplift: number | null;
  ties: { layer: 'wwtw_catchments' | 'lpa_boundaries' | 'subcatchments'; count: number }[];
  lpaUnknown: boolean;
  subcatchmentUnknown: boolean;
  devAreaHa: number;
}

/** Applies every rule of §8.2; the result is sorted by code (code-unit order). */
export function collectWarnings(f: WarningFacts): NutrientWarning[] {
  const out: NutrientWarning[] = [];
  if (!f.hasPieces) out.push(warning('outside_nn_catchments'));
  if (f.siteNameCount >= 2) out.push(warning('multiple_nn_catchments', { sites: f.siteNameCount }));
  if (f.ratesMissing) out.push(warning('wastewater_rates_missing'));
  if (f.imputed) out.push(warning('wastewater_rates_imputed', { ...f.imputed }));
  if (!f.wwtwInLookup) out.push(warning('wwtw_not_in_lookup', { wwtwId: f.wwtwId }));
  if (f.fallbackUsed) out.push(warning('wwtw_fallback_default', { wwtwId: f.wwtwId, ...f.fallbackUsed }));
  if (f.wwtwInLookup && f.nPermits.some((c) => c === null)) out.push(warning('wwtw_n_permit_missing', { wwtwId: f.wwtwId }));
  if (f.wwtwInLookup && f.pPermits.some((c) => c === null)) out.push(warning('wwtw_p_permit_missing', { wwtwId: f.wwtwId }));
  if (f.lookupIssues.length > 0) {
    out.push(warning('lookup_value_unparseable', {
      values: f.lookupIssues.map((i) => ({ table: i.table, key: i.key, column: i.issue.column, raw: i.issue.raw })),
    }));
  }
  if (f.missingCoefficients.pieces > 0) out.push(warning('coefficient_missing', { ...f.missingCoefficients }));
  const landHa = f.areaInNnHa ?? 0;
  if (f.coverageHa - landHa > COVERAGE_TOLERANCE_HA) out.push(warning('coefficient_coverage_gap', { nnAreaHa: f.coverageHa, parcelAreaHa: landHa }));
  if (landHa - f.coverageHa > COVERAGE_TOLERANCE_HA) out.push(warning('coefficient_overlap', { nnAreaHa: f.coverageHa, parcelAreaHa: landHa }));
  if ((f.nUplift ?? 0) < 0 || (f.pUplift ?? 0) < 0) out.push(warning('negative_land_use_change', { nUplift: f.nUplift, pUplift: f.pUplift }));
  if (f.ties.length > 0) out.push(warning('majority_tie', { layers: f.ties }));
  if (f.lpaUnknown) out.push(warning('lpa_unknown'));
  if (f.subcatchmentUnknown) out.push(warning('subcatchment_unknown'));
  if (f.devAreaHa === 0) out.push(warning('dev_area_rounds_to_zero'));
  return out.sort((a, b) => compareCodeUnits(a.code, b.code));
}
