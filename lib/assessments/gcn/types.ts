// Terminology (gcn.md):
//   RLB / unit   — each red line boundary feature is one analysis unit (0..n−1); the dissolved
//                  250 m buffer is unit n (`Area = 'Buffer'`).
//   extent E     — union of the RLB features and the buffer disc; nothing outside it is read.
//   piece z      — one risk-zone feature clipped to E, numbered in `ORDER BY id` (S6).
//   pond zone Z  — the dissolved pond buffers; habitat is only counted inside it (H1).
//   route        — `survey` (ponds from the developer's file) or `national` (table gcn_ponds).

import type { GcnConfig } from '../../config.js';
import type { Sql } from '../../db/sql.js';
import type { InputWarning, Site, SurveyPond } from '../../geo/types.js';

export type Zone = 'Red' | 'Amber' | 'Green';
export type UnitArea = 'RLB' | 'Buffer';
export type Pans = 'P' | 'A' | 'NS';
export type TmpImp = 'T' | 'F';
export type GcnRoute = 'survey' | 'national';

export const ZONES: readonly Zone[] = ['Red', 'Amber', 'Green'];

/** The minimum the assessment needs from a logger (bunyan's Logger satisfies it). */
export interface GcnLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

export interface GcnAssessmentOptions {
  /** Validated red line boundaries in EPSG:27700, in file order. */
  rlb: readonly Site[];
  /** `null` selects the national route (table gcn_ponds). */
  surveyPonds: readonly SurveyPond[] | null;
  /** Goes into the PSV identity columns only; must be non-empty. */
  uniqueRef: string;
  config: GcnConfig;
  sql: Sql;
  /** Adds `intermediates` (gcn.md §7.1, §10.2). */
  debug?: boolean;
  signal: AbortSignal;
  /** Warnings readSurveyPonds returned; `gcn_*` codes (gcn_tmpimp_defaulted) are carried into the document. */
  surveyWarnings?: readonly InputWarning[];
  /** Receives the ERROR record of a data error (gcn.md §8). */
  logger?: GcnLogger;
}

export interface HabitatRow {
  unit: number;
  Area: UnitArea;
  RZ: Zone;
  Shape_Area: number;
}

export interface FrequencyRow {
  PANS: Pans;
  Area: UnitArea;
  MaxZone: Zone;
  TmpImp: TmpImp;
  FREQUENCY: number;
}

export interface HabitatSplitRow extends HabitatRow {
  EDPName: string;
}

export interface FrequencySplitRow {
  PANS: Pans;
  Area: UnitArea;
  MaxZone: Zone;
  TmpImp: TmpImp;
  EDPName: string;
  FREQUENCY: number;
}

export interface GcnSummaryCounts {
  rlb_features: number;
  rlb_area_m2: number;
  extent_area_m2: number;
  risk_zone_features: number;
  ponds_read: number;
  ponds_in_extent: number;
  ponds_rlb: number;
  ponds_buffer: number;
  ponds_without_risk_zone: number;
  ponds_outside_edp: number;
  habitat_outside_edp_m2: number;
}

export type GcnWarningCode =
  | 'gcn_tmpimp_defaulted'
  | 'gcn_no_ponds'
  | 'gcn_no_risk_zones'
  | 'gcn_ponds_without_risk_zone'
  | 'gcn_outside_edp_areas'
  | 'gcn_overlapping_rlb_features';

export interface GcnWarning {
  code: GcnWarningCode;
  message: string;
  count: number;
}

/** One P3/P4 pond after classification (gcn.md §7.1 `intermediates.ponds`). */
export interface PondIntermediate {
  Pond_ID: string;
  PANS: Pans;
  TmpImp: TmpImp;
  Area: UnitArea;
  CONCATENATE_RZ: string | null;
  MaxZone: Zone | null;
  /** `""` outside every EDP area; null when the pond has no MaxZone (not split). */
  EDPName: string | null;
}

export interface GcnIntermediates {
  ponds: PondIntermediate[];
  /** S6 pieces (diagnostic, §10.2). */
  risk_zone_pieces: { z: number; RZ: string; area_m2: number }[];
  /** Area of the pond zone Z (H1); null when Z is null. */
  pond_zone_area_m2: number | null;
  /** Area of the Buffer unit (disc or ring). */
  buffer_unit_area_m2: number;
}

/** The gcn.md §7.1 document: the `gcn` member of the contracts.md §8.3 result. */
export interface GcnResultDocument {
  assessment_type: 'gcn';
  unique_ref: string;
  route: GcnRoute;
  buffer_mode: GcnConfig['bufferMode'];
  data_versions: { gcn_risk_zones: number; gcn_ponds: number | null; edp_edges: number };
  habitat_impact: HabitatRow[];
  pond_frequency: FrequencyRow[];
  habitat_impact_edp_split: HabitatSplitRow[];
  pond_frequency_edp_split: FrequencySplitRow[];
  summary: GcnSummaryCounts;
  warnings: GcnWarning[];
  intermediates?: GcnIntermediates;
}

/** Risk-zone feature attributes the PSV files carry unchanged (gcn.md §7.2 columns 9, 10, 12). */
export interface CarriedZoneAttributes {
  Shape_Leng: unknown;
  MHW: unknown;
  Shape_Length: unknown;
}

/** A habitat row with what only the PSV layout needs. */
export interface HabitatDetail extends HabitatRow {
  z: number;
  zone: CarriedZoneAttributes;
}

export interface HabitatSplitDetail extends HabitatDetail {
  EDPName: string;
  /** The unsplit row's area (`Shape_Area_1`). */
  unsplitArea: number;
  /** The EDP edge's own attributes (`Shape_Length_2`, `Shape_Area_2`); null on remainder rows. */
  edge: { Shape_Length: unknown; Shape_Area: unknown } | null;
}

/** Everything the PSV writers need beyond the document. */
export interface GcnPsvTables {
  uniqueRef: string;
  /** Per RLB unit, in unit order: its `Id` attribute (null when absent) and 0-based file feature index. */
  rlbFeatures: { id: string | null; sourceFeature: number }[];
  habitat: HabitatDetail[];
  habitatSplit: HabitatSplitDetail[];
  frequency: FrequencyRow[];
  frequencySplit: FrequencySplitRow[];
}

export interface GcnAssessmentOutput {
  document: GcnResultDocument;
  tables: GcnPsvTables;
}
