// Structural validation of GeoJSON geometry objects: a known type and coordinates nested to the
// right depth with numeric positions. Validates in place (no copies): a million positions cost
// one pass. Callers map a GeometryShapeError to their own code (file → unreadable_geometry_file,
// quote message → invalid_message).

import type { Geometry } from 'geojson';

export class GeometryShapeError extends Error {
  override name = 'GeometryShapeError';
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}

const COORDINATE_DEPTH: Record<string, number> = {
  Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3,
};
const MAX_COLLECTION_DEPTH = 8;

export function isGeometryType(type: unknown): type is Geometry['type'] {
  return typeof type === 'string' && (type in COORDINATE_DEPTH || type === 'GeometryCollection');
}

function checkPosition(value: unknown, path: string): void {
  if (!Array.isArray(value) || value.length < 2) throw new GeometryShapeError(path, 'position_not_an_array_of_two_or_more_numbers');
  for (const n of value as unknown[]) if (typeof n !== 'number') throw new GeometryShapeError(path, 'coordinate_not_a_number');
}

function checkNested(value: unknown, depth: number, path: string): void {
  if (depth === 0) {
    checkPosition(value, path);
    return;
  }
  if (!Array.isArray(value)) throw new GeometryShapeError(path, 'coordinates_not_an_array');
  for (const item of value as unknown[]) checkNested(item, depth - 1, path);
}

/**
 * Returns `value` typed as a Geometry after checking its shape, or null for a JSON null
 * (a Feature without geometry). Throws GeometryShapeError otherwise.
 */
export function asGeometry(value: unknown, path: string, depth = 0): Geometry | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new GeometryShapeError(path, 'geometry_not_an_object');
  const { type } = value as { type?: unknown };
  if (!isGeometryType(type)) throw new GeometryShapeError(path, 'unknown_geometry_type');
  if (type === 'GeometryCollection') {
    const { geometries } = value as { geometries?: unknown };
    if (!Array.isArray(geometries)) throw new GeometryShapeError(path, 'geometries_not_an_array');
    if (depth >= MAX_COLLECTION_DEPTH) throw new GeometryShapeError(path, 'collection_too_deep');
    geometries.forEach((g, i) => {
      if (asGeometry(g, `${path}.geometries[${i}]`, depth + 1) === null) throw new GeometryShapeError(path, 'null_member_geometry');
    });
    return value as Geometry;
  }
  const { coordinates } = value as { coordinates?: unknown };
  // An empty Point (`[]`) is well-formed GeoJSON; it fails later as an empty geometry.
  if (type === 'Point' && Array.isArray(coordinates) && coordinates.length === 0) return value as Geometry;
  checkNested(coordinates, COORDINATE_DEPTH[type] ?? 0, `${path}.coordinates`);
  return value as Geometry;
}
