// Coordinate range and reprojection (contracts.md §5.7): every position is finite and inside the
// declared CRS's domain before reprojection; WGS 84 input goes to British National Grid with
// proj4 (lib/geo/bng.ts) and must land inside the BNG domain too. Z and M values are dropped.

import type { Geometry, Position } from 'geojson';
import { createWgs84ToBng, type PositionTransform } from '../../geo/bng.js';
import type { SupportedCrs } from '../crs/names.js';
import { inputError } from '../errors.js';
import type { FeatureRecord } from '../features.js';
import { everyPosition, mapPositions } from './walk.js';

interface Domain {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export const CRS_DOMAINS: Record<SupportedCrs, Domain> = {
  4326: { minX: -180, maxX: 180, minY: -90, maxY: 90 },
  27700: { minX: 0, maxX: 700_000, minY: 0, maxY: 1_300_000 },
};

function inside(domain: Domain, position: Position): boolean {
  const [x, y] = position as [number, number];
  // Comparisons are false for NaN, so non-finite values fail here too.
  return x >= domain.minX && x <= domain.maxX && y >= domain.minY && y <= domain.maxY;
}

/** Throws `coordinates_out_of_range` naming the first offending feature and position. */
export function assertInDomain(features: readonly FeatureRecord[], crs: SupportedCrs, stage: 'declared' | 'reprojected'): void {
  const domain = CRS_DOMAINS[crs];
  for (const feature of features) {
    if (!feature.geometry) continue;
    let offending: Position | null = null;
    everyPosition(feature.geometry, (p) => {
      if (inside(domain, p)) return true;
      offending = p;
      return false;
    });
    if (offending) {
      const [x, y] = offending as Position;
      throw inputError('coordinates_out_of_range', {
        featureIndex: feature.index, crs: `EPSG:${crs}`, stage,
        position: [Number.isFinite(x) ? x : String(x), Number.isFinite(y) ? y : String(y)],
      });
    }
  }
}

const to2d = (p: Position): Position => [p[0] as number, p[1] as number];

/** `{type, coordinates}` only: foreign members (a quote's `crs`, GeoJSON extras) are left behind. */
function bare(geometry: Geometry): Geometry {
  return geometry.type === 'GeometryCollection'
    ? { type: geometry.type, geometries: geometry.geometries.map(bare) }
    : ({ type: geometry.type, coordinates: geometry.coordinates } as Geometry);
}

/** BNG input that is already 2D keeps its positions: a million of them are not copied for nothing. */
function to2dFeature(feature: FeatureRecord): FeatureRecord {
  const { geometry } = feature;
  if (!geometry) return feature;
  return { ...feature, geometry: everyPosition(geometry, (p) => p.length === 2) ? bare(geometry) : mapPositions(geometry, to2d) };
}

/** Range-checks, reprojects to EPSG:27700 when needed, and drops Z/M. */
export function toBritishNationalGrid(features: readonly FeatureRecord[], crs: SupportedCrs, transform: PositionTransform = createWgs84ToBng()): FeatureRecord[] {
  assertInDomain(features, crs, 'declared');
  if (crs === 27700) return features.map(to2dFeature);
  const map = (p: Position): Position => transform(p[0] as number, p[1] as number);
  const projected = features.map((f) => ({ ...f, geometry: f.geometry && mapPositions(f.geometry, map) }));
  assertInDomain(projected, 27700, 'reprojected');
  return projected;
}
