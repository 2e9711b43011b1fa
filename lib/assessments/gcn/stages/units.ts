// S1–S5 (gcn.md §6.1): the RLB units, the dissolved buffer disc D, the Buffer unit (disc or ring)
// and the extent E. RP (ST_ReducePrecision) is applied exactly where the spec shows it: D, the ring
// and its RLB union; never to the RLB units themselves or to E.

import type postgres from 'postgres';
import type { GcnConfig } from '../../../config.js';
import type { Site } from '../../../geo/types.js';
import { cancellable } from '../../../db/cancel.js';
import { toWkb } from '../../../geo/wkb.js';

export interface UnitsResult {
  rlbCount: number;
  rlbAreaM2: number;
  extentAreaM2: number;
  bufferUnitAreaM2: number;
  /** Pairs of RLB features sharing positive area (warning gcn_overlapping_rlb_features). */
  overlappingPairs: number;
}

export async function buildUnits(tx: postgres.TransactionSql, rlb: readonly Site[], config: GcnConfig, signal: AbortSignal): Promise<UnitsResult> {
  const grid = config.precisionGridSize;
  // S1: input order, 2D, defensively repaired, polygons only; not precision-reduced.
  await cancellable(tx`
    INSERT INTO gcn_rlb (u, g)
    SELECT (t.ord - 1)::int,
           ST_CollectionExtract(ST_MakeValid(ST_Force2D(ST_GeomFromWKB(decode(t.wkb, 'hex'), 27700))), 3)
    FROM unnest(${rlb.map((site) => toWkb(site.geometry).toString('hex'))}::text[]) WITH ORDINALITY AS t(wkb, ord)`, signal);
  // S2 disc D; the RLB union (for P3 and the ring); S5 extent E (unreduced).
  await cancellable(tx`
    INSERT INTO gcn_shape (name, g)
    SELECT 'rlb_union', ST_Union(g) FROM gcn_rlb
    UNION ALL
    SELECT 'disc', ST_ReducePrecision(ST_Union(ST_Buffer(g, ${config.bufferDistanceM}::float8, 'quad_segs=16')), ${grid}::float8) FROM gcn_rlb`, signal);
  await cancellable(tx`
    INSERT INTO gcn_shape (name, g)
    SELECT 'extent', ST_Union(r.g, d.g)
    FROM gcn_shape r, gcn_shape d WHERE r.name = 'rlb_union' AND d.name = 'disc'`, signal);
  // S3/S4: RLB units 0..n−1, then the Buffer unit n. Ring mode erases the (reduced) RLB union.
  const ring = config.bufferMode === 'ring';
  await cancellable(tx`
    INSERT INTO gcn_unit (u, area, g)
    SELECT u, 'RLB', g FROM gcn_rlb
    UNION ALL
    SELECT (SELECT count(*) FROM gcn_rlb)::int, 'Buffer',
           CASE WHEN ${ring}::boolean
                THEN ST_ReducePrecision(ST_Difference(d.g, ST_ReducePrecision(r.g, ${grid}::float8)), ${grid}::float8)
                ELSE d.g END
    FROM gcn_shape d, gcn_shape r WHERE d.name = 'disc' AND r.name = 'rlb_union'`, signal);
  // H3 overlays reduced units; reducing once here keeps that out of the join.
  await cancellable(tx`UPDATE gcn_unit SET g_rp = ST_ReducePrecision(g, ${grid}::float8)`, signal);

  const [stats] = await cancellable(tx<{ rlb_count: number; rlb_area: number; extent_area: number; buffer_area: number; overlaps: number }[]>`
    SELECT (SELECT count(*) FROM gcn_rlb)::int AS rlb_count,
           (SELECT ST_Area(g) FROM gcn_shape WHERE name = 'rlb_union')::float8 AS rlb_area,
           (SELECT ST_Area(g) FROM gcn_shape WHERE name = 'extent')::float8 AS extent_area,
           (SELECT ST_Area(g) FROM gcn_unit WHERE area = 'Buffer')::float8 AS buffer_area,
           (SELECT count(*) FROM gcn_rlb a JOIN gcn_rlb b ON a.u < b.u AND ST_Intersects(a.g, b.g)
             WHERE ST_Area(ST_Intersection(a.g, b.g)) > 0)::int AS overlaps`, signal);
  if (!stats) throw new Error('unit statistics query returned no row');
  return {
    rlbCount: stats.rlb_count,
    rlbAreaM2: stats.rlb_area,
    extentAreaM2: stats.extent_area,
    bufferUnitAreaM2: stats.buffer_area ?? 0,
    overlappingPairs: stats.overlaps,
  };
}
