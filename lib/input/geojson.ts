// GeoJSON files (contracts.md §5.5), in the normative order: decode + parse → top-level `crs`
// → unclosed rings → document shape. No `crs` member means EPSG:4326 (RFC 7946).

import { resolveCrsMember } from './crs/names.js';
import { inputError } from './errors.js';
import type { DecodedLayer, FeatureRecord } from './features.js';
import { assertRingsClosed } from './geometry/closure.js';
import { asGeometry, GeometryShapeError, isGeometryType } from './geometry/structure.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }); // strips a leading BOM

function unreadable(reason: string, extra: Record<string, unknown> = {}, cause?: unknown): never {
  throw inputError('unreadable_geometry_file', { reason, ...extra }, cause);
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch (error) {
    return unreadable('not_utf8', {}, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return unreadable('invalid_json', {}, error);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function properties(value: unknown): Record<string, unknown> | null {
  return isObject(value) ? value : null;
}

/** Candidate features before shape checks: the loosest reading that step 3 can scan. */
function looseFeatures(document: Record<string, unknown>): { geometry: unknown; properties: unknown }[] {
  if (document.type === 'FeatureCollection' && Array.isArray(document.features)) {
    return (document.features as unknown[]).map((f) => (isObject(f) ? { geometry: f.geometry, properties: f.properties } : { geometry: null, properties: null }));
  }
  if (document.type === 'Feature') return [{ geometry: document.geometry, properties: document.properties }];
  return [{ geometry: document, properties: null }];
}

/** Step 3 runs before the shape is known to be right, so it reads only what is well-formed. */
function scanForOpenRings(document: Record<string, unknown>, lenient: boolean): void {
  const records: FeatureRecord[] = [];
  looseFeatures(document).forEach((f, index) => {
    try {
      records.push({ index, geometry: asGeometry(f.geometry, 'geometry'), properties: null });
    } catch (error) {
      if (!(error instanceof GeometryShapeError)) throw error;
    }
  });
  assertRingsClosed(records, { lenient });
}

function featureOf(value: unknown, index: number): FeatureRecord {
  if (!isObject(value) || value.type !== 'Feature') unreadable('not_a_feature', { featureIndex: index });
  if (!Object.hasOwn(value, 'geometry')) unreadable('feature_without_geometry_member', { featureIndex: index });
  try {
    return { index, geometry: asGeometry(value.geometry, `features[${index}].geometry`), properties: properties(value.properties) };
  } catch (error) {
    if (error instanceof GeometryShapeError) unreadable(error.reason, { featureIndex: index, path: error.path }, error);
    throw error;
  }
}

function documentFeatures(document: Record<string, unknown>): FeatureRecord[] {
  if (document.type === 'FeatureCollection') {
    if (!Array.isArray(document.features)) unreadable('features_not_an_array');
    return (document.features as unknown[]).map(featureOf);
  }
  if (document.type === 'Feature') return [featureOf(document, 0)];
  if (isGeometryType(document.type)) {
    try {
      return [{ index: 0, geometry: asGeometry(document, 'geometry'), properties: null }];
    } catch (error) {
      if (error instanceof GeometryShapeError) unreadable(error.reason, { featureIndex: 0, path: error.path }, error);
      throw error;
    }
  }
  return unreadable('not_geojson', { type: typeof document.type === 'string' ? document.type : null });
}

export function decodeGeoJson(bytes: Uint8Array, options: { lenient?: boolean } = {}): DecodedLayer {
  const document = parseJson(bytes); // 1.
  if (!isObject(document)) unreadable('not_a_json_object');
  const crs = resolveCrsMember(document.crs) ?? 4326; // 2.
  scanForOpenRings(document, options.lenient ?? false); // 3.
  return { features: documentFeatures(document), crs }; // 4.
}
