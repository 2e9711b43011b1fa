// nutrient.md §6.1: the job's RLBs as a temporary table (dropped on commit) with a GiST index and
// fresh statistics, so the planner picks index joins even for large batches. Geometry goes in as
// WKB (bit-exact coordinates) through one bound JSON parameter; only areas come back.

import wkx from 'wkx';
import type { MultiPolygon, Polygon } from 'geojson';
import { cancellable } from '../../../db/cancel.js';
import type { Tx } from './tx.js';

export interface RlbGeometry {
  rlbId: number;
  geometry: Polygon | MultiPolygon;
  /** 27700 unless the caller hands WGS84 (transformed in PostGIS, §6.1). */
  srid?: 27700 | 4326;
}

export async function createRlbTable(tx: Tx, rlbs: readonly RlbGeometry[], signal: AbortSignal): Promise<Map<number, number>> {
  await cancellable(tx`CREATE TEMPORARY TABLE nutrient_rlb (rlb_id int PRIMARY KEY, geom geometry(Geometry, 27700) NOT NULL) ON COMMIT DROP`, signal);
  const payload = rlbs.map((r) => ({ id: r.rlbId, srid: r.srid ?? 27700, wkb: wkx.Geometry.parseGeoJSON(r.geometry).toWkb().toString('hex') }));
  const rows = await cancellable(
    tx<{ rlb_id: number; shape_area: number }[]>`
      INSERT INTO nutrient_rlb (rlb_id, geom)
      SELECT e.id, CASE WHEN e.srid = 27700 THEN ST_SetSRID(ST_GeomFromWKB(decode(e.wkb, 'hex')), 27700)
                        ELSE ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(e.wkb, 'hex')), e.srid), 27700) END
      FROM jsonb_to_recordset(${tx.json(payload)}::jsonb) AS e(id int, srid int, wkb text)
      RETURNING rlb_id, ST_Area(geom)::float8 AS shape_area`,
    signal,
  );
  await cancellable(tx`CREATE INDEX ON nutrient_rlb USING gist (geom)`, signal);
  await cancellable(tx`ANALYZE nutrient_rlb`, signal);
  return new Map(rows.map((r) => [r.rlb_id, r.shape_area]));
}

/**
 * RLB ∩ NN polygon, once per pair with positive area (the RLB itself when the polygon covers it).
 * The pieces (§6.3), the coverage diagnostic (§6.4) and the quote catchments all read these clips,
 * so each RLB is cut by each NN polygon once.
 */
export async function createNnClipTable(tx: Tx, nnVersion: number, signal: AbortSignal): Promise<void> {
  await cancellable(
    tx`CREATE TEMPORARY TABLE nutrient_rlb_nn (
         rlb_id int NOT NULL, nn_id uuid NOT NULL, site_name text, oid text, label text,
         geom geometry(Geometry, 27700) NOT NULL, area_m2 float8 NOT NULL) ON COMMIT DROP`,
    signal,
  );
  await cancellable(
    tx`
      INSERT INTO nutrient_rlb_nn (rlb_id, nn_id, site_name, oid, label, geom, area_m2)
      SELECT r.rlb_id, n.id, n.attributes->>'N2K_Site_N', n.attributes->>'OID', n.attributes->>'Label', c.geom, ST_Area(c.geom)
      FROM nutrient_rlb r
      JOIN nn_catchments n ON n.version = ${nnVersion} AND ST_Intersects(n.geometry, r.geom)
      CROSS JOIN LATERAL (
        SELECT CASE WHEN ST_Covers(n.geometry, r.geom) THEN r.geom
                    ELSE ST_CollectionExtract(ST_Intersection(r.geom, n.geometry), 3) END AS geom
      ) c
      WHERE ST_Area(c.geom) > 0`,
    signal,
  );
  await cancellable(tx`CREATE INDEX ON nutrient_rlb_nn USING gist (geom)`, signal);
  await cancellable(tx`ANALYZE nutrient_rlb_nn`, signal);
}
