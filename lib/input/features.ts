// What every reader hands to the shared pipeline: features in file order with their declared CRS.

import type { Geometry } from 'geojson';
import type { SupportedCrs } from './crs/names.js';

export interface FeatureRecord {
  /** 0-based position in the file (`sourceFeature`, `featureIndex`). */
  index: number;
  /** Structurally valid GeoJSON geometry (positions may still carry Z/M), or null. */
  geometry: Geometry | null;
  /** Attributes as read; null where the format has none. */
  properties: Record<string, unknown> | null;
}

export interface DecodedLayer {
  features: FeatureRecord[];
  crs: SupportedCrs;
}
