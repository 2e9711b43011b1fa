// The quote job's inline boundary (contracts.md §5.9): one bare GeoJSON Polygon, EPSG:27700 unless
// its legacy `crs` member says otherwise, checked like a file boundary but Polygon-only.

import type { Geometry } from 'geojson';
import type { Sql } from '../db/sql.js';
import type { Site } from '../geo/types.js';
import { resolveCrsMember } from './crs/names.js';
import { asFileRole, inputError } from './errors.js';
import type { FeatureRecord } from './features.js';
import { checkBoundaryGeometry } from './geometry/checks.js';
import { assertRingsClosed } from './geometry/closure.js';
import { toBritishNationalGrid } from './geometry/project.js';
import { asGeometry, GeometryShapeError, isGeometryType } from './geometry/structure.js';
import { everyPosition } from './geometry/walk.js';

export interface QuoteBoundaryOptions {
  sql: Sql;
  signal: AbortSignal;
}

const FIELD = 'boundaryGeojson.boundaryGeometryOriginal';

function structured(value: Record<string, unknown>): Geometry {
  try {
    return asGeometry(value, FIELD) as Geometry;
  } catch (error) {
    if (error instanceof GeometryShapeError) throw inputError('invalid_message', { field: `${FIELD}.coordinates`, reason: error.reason }, error);
    throw error;
  }
}

/** Every position within |x| ≤ 180 and |y| ≤ 90: degrees or metres? We cannot tell. */
function looksLikeDegrees(geometry: Geometry): boolean {
  let positions = 0;
  const all = everyPosition(geometry, (p) => {
    positions += 1;
    return Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90;
  });
  return all && positions > 0;
}

/** Validates `boundaryGeometryOriginal` (with its optional `crs` member) → exactly one Site. */
export function validateQuoteBoundary(geometry: unknown, options: QuoteBoundaryOptions): Promise<Site[]> {
  return asFileRole('message', async () => {
    if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
      throw inputError('invalid_message', { field: FIELD, reason: 'not_an_object' });
    }
    const value = geometry as Record<string, unknown>;
    if (typeof value.type !== 'string' || !Array.isArray(value.coordinates)) {
      throw inputError('invalid_message', { field: FIELD, reason: 'not_a_geometry' });
    }
    const declared = resolveCrsMember(value.crs); // 2.
    if (!isGeometryType(value.type)) throw inputError('unsupported_geometry_type', { featureIndex: 0, geometryType: value.type });
    const shape = structured(value);
    if (declared === null && looksLikeDegrees(shape)) throw inputError('missing_crs', { reason: 'degree_like_coordinates_without_crs' }); // 3.
    const features: FeatureRecord[] = [{ index: 0, geometry: shape, properties: null }];
    assertRingsClosed(features); // 4.
    const projected = toBritishNationalGrid(features, declared ?? 27700);
    const [checked] = await checkBoundaryGeometry(projected, { sql: options.sql, signal: options.signal, polygonOnly: true });
    if (!checked) throw inputError('no_polygon_found', {});
    return [{ rlbId: 1, sourceFeature: 0, geometry: checked.geometry, attributes: null }];
  });
}
