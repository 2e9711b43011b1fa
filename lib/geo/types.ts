// Shapes that cross module boundaries once a boundary file has been read and validated.

import type { MultiPolygon, Polygon, Point, MultiPoint } from 'geojson';

/** Legacy IAT per-feature attributes kept for the CLI's batch mode (nutrient.md §4.2). */
export interface LegacyAttributes {
  id?: string | null;
  name?: string | null;
  dwellingCategory?: string | null;
  source?: string | null;
  /** Raw Dwellings value as read (validated by the nutrient CLI path, not by the reader). */
  dwellings?: unknown;
}

/**
 * One red line boundary (RLB): a validated Polygon or MultiPolygon in EPSG:27700.
 * `rlbId` is 1…n in feature order; `sourceFeature` is the 0-based feature index in the file.
 */
export interface Site {
  rlbId: number;
  sourceFeature: number;
  geometry: Polygon | MultiPolygon;
  /** Present only in CLI legacy mode; the queue path discards attributes. */
  attributes: LegacyAttributes | null;
}

export interface InputFileInfo {
  format: 'shapefile-zip' | 'shapefile' | 'geojson' | 'inline';
  bytes: number;
  sha256: string;
}

export interface InputWarning {
  code: string;
  message: string;
  detail?: Record<string, unknown>;
}

/** A survey pond (gcn.md §3.2), geometry in EPSG:27700. */
export interface SurveyPond {
  featureIndex: number;
  geometry: Point | MultiPoint | Polygon | MultiPolygon;
  pans: 'P' | 'A' | 'NS';
  tmpImp: 'T' | 'F';
}
