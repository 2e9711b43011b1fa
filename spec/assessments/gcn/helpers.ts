// Builders for the GCN specs: hand-made reference layers inserted straight into a cloned database
// (a version per call, optionally activated), squares and points as Sites and SurveyPonds.

import type { MultiPoint, MultiPolygon, Point, Polygon } from 'geojson';
import type { GcnConfig } from '../../../lib/config.js';
import type { Sql } from '../../../lib/db/sql.js';
import type { Site, SurveyPond } from '../../../lib/geo/types.js';

export const ORIGIN: readonly [number, number] = [450000, 100000];

export function gcnConfig(overrides: Partial<GcnConfig> = {}): GcnConfig {
  return { bufferDistanceM: 250, pondBufferDistanceM: 250, precisionGridSize: 0.0001, bufferMode: 'disc', ...overrides };
}

/** Square x0–x1 × y0–y1 relative to `origin`. */
export function square(x0: number, x1: number, y0: number, y1: number, origin: readonly [number, number] = ORIGIN): Polygon {
  const [ox, oy] = origin;
  return { type: 'Polygon', coordinates: [[[ox + x0, oy + y0], [ox + x0, oy + y1], [ox + x1, oy + y1], [ox + x1, oy + y0], [ox + x0, oy + y0]]] };
}

export function point(x: number, y: number, origin: readonly [number, number] = ORIGIN): Point {
  return { type: 'Point', coordinates: [origin[0] + x, origin[1] + y] };
}

export function site(geometry: Polygon | MultiPolygon, index = 0, id: string | null = null): Site {
  return { rlbId: index + 1, sourceFeature: index, geometry, attributes: id === null ? null : { id } };
}

export function pond(geometry: SurveyPond['geometry'], pans: SurveyPond['pans'] = 'P', tmpImp: SurveyPond['tmpImp'] = 'F', featureIndex = 0): SurveyPond {
  return { featureIndex, geometry, pans, tmpImp };
}

/** Zones R/A/G of gcn.md §10.4: Red 0–50 × 0–50, Amber 50–100 × 0–50, Green 0–50 × 50–100. */
export const RAG_ZONES: ZoneFeature[] = [
  { geometry: square(0, 50, 0, 50), attributes: { RZ: 'Red' } },
  { geometry: square(50, 100, 0, 50), attributes: { RZ: 'Amber' } },
  { geometry: square(0, 50, 50, 100), attributes: { RZ: 'Green' } },
];

export interface ZoneFeature {
  geometry: Polygon | MultiPolygon | Point | MultiPoint;
  attributes: Record<string, unknown>;
}

export type GcnLayer = 'gcn_risk_zones' | 'edp_edges' | 'gcn_ponds';

/** Inserts features as `version` of `table` in one statement; with `activate` points data_active_version at it. */
export async function insertLayer(sql: Sql, table: GcnLayer, version: number, features: readonly ZoneFeature[], activate = true): Promise<void> {
  const geometries = features.map((f) => JSON.stringify(f.geometry));
  const attributes = features.map((f) => JSON.stringify(f.attributes));
  const multi = table !== 'gcn_ponds';
  await sql`INSERT INTO ${sql(table)} (version, geometry, attributes)
    SELECT ${version}, CASE WHEN ${multi}::boolean THEN ST_Multi(g) ELSE g END, a::jsonb
    FROM unnest(${geometries}::text[], ${attributes}::text[]) AS t(j, a),
         LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(j), 27700) AS g) geom`;
  if (activate) await activateVersion(sql, table, version);
}

export async function activateVersion(sql: Sql, table: GcnLayer, version: number): Promise<void> {
  await sql`INSERT INTO data_active_version (table_name, active_version) VALUES (${table}, ${version})
            ON CONFLICT (table_name) DO UPDATE SET active_version = EXCLUDED.active_version, updated_at = now()`;
}

/** Clears the GCN layers and their pointers so each case starts from nothing. */
export async function resetGcnLayers(sql: Sql): Promise<void> {
  await sql`DELETE FROM gcn_risk_zones`;
  await sql`DELETE FROM edp_edges`;
  await sql`DELETE FROM gcn_ponds`;
  await sql`DELETE FROM data_active_version WHERE table_name IN ('gcn_risk_zones', 'edp_edges', 'gcn_ponds')`;
}

/** One EDP edge covering a big square around the origin, so EDP checks pass in cases about other things. */
export const WIDE_EDGE: ZoneFeature = { geometry: square(-5000, 5000, -5000, 5000), attributes: { EDPName: 'Wide', Shape_Length: 40000, Shape_Area: 1e8 } };
