// Shapes of the nutrient module (nutrient.md §2, §8).
//
// Terminology: an RLB is one red line boundary; a piece is RLB ∩ coefficient parcel ∩ NN polygon
// at the (RLB, parcel row, NN row) grain; a pick is the winning feature of a majority layer.

import type { LookupIssue, RatesLookupRow as ReferenceRatesRow, WwtwLookupRow as ReferenceWwtwRow } from '../../reference/repository.js';

/** The 31 legacy columns of nutrient.md §8.1, in order. */
export const LEGACY_COLUMNS = [
  'RLB_ID', 'id', 'Name', 'Dwel_Cat', 'Source', 'Dwellings', 'Dev_Area_Ha', 'AreaInNNCatchment', 'NN_Catchment',
  'Dev_SubCatchment', 'Majority_LPA', 'Majority_WwTw_ID', 'WwTW_name', 'WwTw_SubCatchment', 'N_LU_Uplift',
  'P_LU_Uplift', 'N_LU_postSuDS', 'P_LU_postSuDS', 'Occ_Rate', 'Water_Usage_L_Day', 'Litres_used',
  'Nitrogen_2025_2030', 'Nitrogen_2030_onwards', 'Phosphorus_2025_2030', 'Phosphorus_2030_onwards', 'N_WwTW_Temp',
  'P_WwTW_Temp', 'N_WwTW_Perm', 'P_WwTW_Perm', 'N_Total', 'P_Total',
] as const;

export type LegacyColumn = (typeof LEGACY_COLUMNS)[number];

export type WarningSeverity = 'warning' | 'info' | 'data_quality';

export interface NutrientWarning {
  code: string;
  severity: WarningSeverity;
  message: string;
  details?: Record<string, unknown>;
}

export interface NnCatchmentEntry {
  oid: string;
  name: string;
}

/** The canonical per-RLB record (§8.1): 31 legacy columns, then the three extras. */
export interface NutrientRecord {
  RLB_ID: number;
  /** Development reference; null when a legacy feature has no `id` attribute. */
  id: string | null;
  Name: string | null;
  Dwel_Cat: string | null;
  Source: string | null;
  Dwellings: number;
  Dev_Area_Ha: number;
  AreaInNNCatchment: number | null;
  NN_Catchment: string | null;
  Dev_SubCatchment: string | null;
  Majority_LPA: string;
  Majority_WwTw_ID: number;
  WwTW_name: string | null;
  WwTw_SubCatchment: string | null;
  N_LU_Uplift: number | null;
  P_LU_Uplift: number | null;
  N_LU_postSuDS: number | null;
  P_LU_postSuDS: number | null;
  Occ_Rate: number | null;
  Water_Usage_L_Day: number | null;
  Litres_used: number | null;
  Nitrogen_2025_2030: number | null;
  Nitrogen_2030_onwards: number | null;
  Phosphorus_2025_2030: number | null;
  Phosphorus_2030_onwards: number | null;
  N_WwTW_Temp: number | null;
  P_WwTW_Temp: number | null;
  N_WwTW_Perm: number | null;
  P_WwTW_Perm: number | null;
  N_Total: number;
  P_Total: number;
  nn_catchment_entries: NnCatchmentEntry[] | null;
  dwelling_density: number | null;
  warnings: NutrientWarning[];
}

export type RlbStatus = 'assessed' | 'out_of_scope';
export type OutOfScopeReason = 'out_of_scope_unknown_wwtw' | 'out_of_scope_package_plant';

/** One NN catchment `Label` inside an RLB (contracts.md §8.2): dissolved overlap, smallest OID. */
export interface NnCatchmentOverlap {
  label: string;
  catchmentId: string | null;
  overlapAreaM2: number;
}

/** The per-RLB outcome handed to callers: the record plus status and the quote catchments. */
export interface NutrientRlbResult {
  rlbId: number;
  status: RlbStatus;
  outOfScopeReason: OutOfScopeReason | null;
  record: NutrientRecord;
  /** RLB area in m² as measured by PostGIS (`shape_area`). */
  areaM2: number;
  catchments: NnCatchmentOverlap[];
}

export interface NutrientAssessment {
  rlbs: NutrientRlbResult[];
  dataVersions: Record<string, number>;
  parameters: Record<string, number | string>;
  modelVersions: { nutrientRules: 'V1' | 'V2' };
  /** RLB warnings flattened for the result document (contracts.md §8.3). */
  warnings: { code: string; message: string; rlbId: number }[];
}

// ---- inputs of the pure calculation (what the spatial statements return) ----

/** Reporting attributes and the dwellings count of one RLB (§4). */
export interface RlbAttributes {
  rlbId: number;
  id: string | null;
  name: string | null;
  dwellingCategory: string | null;
  source: string | null;
  dwellings: number;
}

/** The winning feature of a majority layer (§6.2); null when nothing overlaps with area > 0. */
export interface MajorityPick {
  value: string | null;
  areaM2: number;
  ties: number;
}

/** One land-use piece at the (RLB, parcel row, NN row) grain (§6.3). */
export interface Piece {
  cromeId: string;
  luCurrN: number | null;
  luCurrP: number | null;
  nResi: number | null;
  pResi: number | null;
  siteName: string | null;
  oid: string | null;
  areaHa: number;
}

export interface RlbSpatial {
  rlbId: number;
  shapeAreaM2: number;
  wwtw: MajorityPick | null;
  lpa: MajorityPick | null;
  subcatchment: MajorityPick | null;
  /** Pieces in the §6.3 order. */
  pieces: Piece[];
  /** §6.4: summed area (ha) of RLB ∩ NN polygon. */
  coverageHa: number;
  catchments: NnCatchmentOverlap[];
}

/**
 * The lookup rows as lib/reference/repository.ts reads them (its `getWwtwLookup` /
 * `getRatesLookup` own the reads, the §7.2 cell issues and the §5.5 cache); the calculation does
 * not need their row position.
 */
export type WwtwLookupRow = Omit<ReferenceWwtwRow, 'rowIndex'>;
export type RatesLookupRow = Omit<ReferenceRatesRow, 'rowIndex'>;
export type { LookupIssue };

export interface NutrientLookups {
  /** Deduplicated by code, first `row_index` wins. */
  wwtw: ReadonlyMap<number, WwtwLookupRow>;
  /** First row per `nn_catchment` wins. */
  rates: ReadonlyMap<string, RatesLookupRow>;
}
