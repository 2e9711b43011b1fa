// What every spatial reader hands the loader: WKB straight from the file (PostGIS parses it),
// the declared CRS, and the attributes as plain JSON values.

export type AttributeValue = string | number | boolean | null;
export type Attributes = Record<string, AttributeValue>;

export interface SourceFeature {
  /** Names the feature in QC reports: the GeoPackage fid, else the 0-based position in the source. */
  index: number;
  /** ISO/OGC WKB (2D, Z or M); PostGIS forces 2D. */
  wkb: Buffer;
  /** EPSG code of this feature's geometry, or null when the source declares none. */
  srid: number | null;
  attributes: Attributes;
}

export interface FeatureSource {
  format: 'gpkg' | 'shapefile' | 'geojson';
  /** Layer (table) name inside the file, or the file's base name. */
  layer: string;
  /** Attribute columns present in the source (for the required-columns rule). */
  columns: string[];
  /** EPSG code declared by the file, or null when it declares none. */
  declaredSrid: number | null;
  /** Warnings noticed while opening (missing CRS, skipped empty geometries, …). */
  warnings: string[];
  /** Feature count when known up front (for progress lines). */
  count: number | null;
  features(): AsyncIterable<SourceFeature> | Iterable<SourceFeature>;
  close(): void;
}

export class ReaderError extends Error {
  override readonly name = 'ReaderError';
}
