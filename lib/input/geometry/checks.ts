// Geometry checks on reprojected features (contracts.md §5.8). Each check runs across all
// features before the next, so the reported code does not depend on feature order; the first
// offending feature (and part) is named. Lenient mode (CLI only, §10) removes repeated
// consecutive vertices first and accepts holes.

import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { Sql } from '../../db/sql.js';
import { polygonsOf, samePosition } from '../../geo/planar.js';
import type { ErrorDetail } from '../../errors.js';
import { inputError } from '../errors.js';
import type { FeatureRecord } from '../features.js';
import { findInvalidPolygon } from './validity.js';

export interface GeometryCheckOptions {
  sql: Sql;
  signal: AbortSignal;
  lenient?: boolean;
  /** Quote boundaries (§5.9) accept a Polygon only. */
  polygonOnly?: boolean;
}

export interface CheckedFeature {
  record: FeatureRecord;
  geometry: Polygon | MultiPolygon;
}

function isEmpty(geometry: Geometry): boolean {
  switch (geometry.type) {
    case 'Point':
    case 'MultiPoint':
    case 'LineString':
    case 'Polygon':
    case 'MultiPolygon':
      return geometry.coordinates.length === 0;
    case 'MultiLineString':
      return geometry.coordinates.every((line) => line.length === 0);
    case 'GeometryCollection':
      return geometry.geometries.every(isEmpty);
  }
}

function isPolygonal(geometry: Geometry): geometry is Polygon | MultiPolygon {
  return geometry.type === 'Polygon' || geometry.type === 'MultiPolygon';
}

/** Check 1 for one feature: why it has no shape, or null. */
function shapeProblem(geometry: Geometry | null): ErrorDetail | null {
  if (geometry === null) return { reason: 'null_geometry' };
  if (isEmpty(geometry)) return { reason: 'empty_geometry' };
  if (!isPolygonal(geometry)) return null;
  const parts = polygonsOf(geometry);
  for (let partIndex = 0; partIndex < parts.length; partIndex += 1) {
    const rings = parts[partIndex] as Position[][];
    if (rings.length === 0) return { partIndex, reason: 'empty_polygon' };
    const short = rings.findIndex((ring) => ring.length < 4);
    if (short >= 0) return { partIndex, ringIndex: short, reason: 'ring_has_fewer_than_4_positions' };
    if (isCollinear(rings[0] as Position[])) return { partIndex, reason: 'zero_area' };
  }
  return null;
}

/**
 * True when every vertex lies on one line: the ring encloses nothing. (A zero shoelace sum is not
 * enough: a symmetric bow-tie sums to zero yet is a self-intersection, check 3's business.)
 */
function isCollinear(ring: readonly Position[]): boolean {
  const [x0 = 0, y0 = 0] = ring[0] ?? [];
  const second = ring.find(([x, y]) => x !== x0 || y !== y0);
  if (!second) return true;
  const dx = (second[0] as number) - x0;
  const dy = (second[1] as number) - y0;
  return ring.every(([x = 0, y = 0]) => dx * (y - y0) - dy * (x - x0) === 0);
}

function withoutRepeats(ring: Position[]): Position[] {
  return ring.filter((p, i) => i === 0 || !samePosition(p, ring[i - 1] as Position));
}

function removeRepeatedVertices(geometry: Geometry | null): Geometry | null {
  if (geometry?.type === 'Polygon') return { type: 'Polygon', coordinates: geometry.coordinates.map(withoutRepeats) };
  if (geometry?.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((rings) => rings.map(withoutRepeats)) };
  return geometry;
}

function firstRepeat(ring: Position[]): number {
  for (let i = 1; i < ring.length; i += 1) if (samePosition(ring[i] as Position, ring[i - 1] as Position)) return i;
  return -1;
}

/** Runs checks 1–6 and returns the polygonal features, in order, ready to become sites. */
export async function checkBoundaryGeometry(features: readonly FeatureRecord[], options: GeometryCheckOptions): Promise<CheckedFeature[]> {
  const records = options.lenient ? features.map((f) => ({ ...f, geometry: removeRepeatedVertices(f.geometry) })) : features;

  for (const record of records) { // 1. present, non-empty, a real area
    const problem = shapeProblem(record.geometry);
    if (problem) throw inputError('invalid_geometry', { featureIndex: record.index, ...problem });
  }
  const checked: CheckedFeature[] = [];
  for (const record of records) { // 2. polygons only
    const geometry = record.geometry as Geometry;
    const accepted = options.polygonOnly ? geometry.type === 'Polygon' : isPolygonal(geometry);
    if (!accepted || !isPolygonal(geometry)) throw inputError('unsupported_geometry_type', { featureIndex: record.index, geometryType: geometry.type });
    checked.push({ record, geometry });
  }
  // 3. OGC validity
  const invalid = await findInvalidPolygon(options.sql, checked.map((c) => ({ featureIndex: c.record.index, geometry: c.geometry })), options.signal);
  if (invalid) throw inputError('self_intersecting_geometry', { ...invalid });

  if (!options.lenient) {
    for (const { record, geometry } of checked) { // 4. no holes
      const partIndex = polygonsOf(geometry).findIndex((rings) => rings.length > 1);
      if (partIndex >= 0) throw inputError('geometry_has_holes', { featureIndex: record.index, partIndex, ringIndex: 1 });
    }
    for (const { record, geometry } of checked) { // 5. no repeated consecutive vertices
      const parts = polygonsOf(geometry);
      for (let partIndex = 0; partIndex < parts.length; partIndex += 1) {
        const exterior = parts[partIndex]?.[0] ?? [];
        const vertexIndex = firstRepeat(exterior);
        if (vertexIndex >= 0) throw inputError('duplicate_vertices', { featureIndex: record.index, partIndex, vertexIndex, position: exterior[vertexIndex] });
      }
    }
  }
  if (checked.length === 0) throw inputError('no_polygon_found', { features: 0 }); // 6.
  return checked;
}
