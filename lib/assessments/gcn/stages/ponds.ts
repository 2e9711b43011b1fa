// P1–P4 (gcn.md §6.2): load the route's ponds, clip them to the extent E, and split them into RLB
// ponds (touching any RLB unit; clipped to the RLB union) and Buffer ponds (the rest, extent-clipped).
// No precision reduction on pond geometry.

import type postgres from 'postgres';
import type { SurveyPond } from '../../../geo/types.js';
import { cancellable } from '../../../db/cancel.js';
import { toWkb } from '../../../geo/wkb.js';

export interface PondCounts {
  read: number;
  inExtent: number;
  rlb: number;
  buffer: number;
}

export async function loadPonds(
  tx: postgres.TransactionSql,
  source: { survey: readonly SurveyPond[] } | { nationalVersion: number },
  signal: AbortSignal,
): Promise<PondCounts> {

  if ('survey' in source) {
    // P1 survey: file order; polygonal ponds repaired to polygons, points forced to 2D.
    const ponds = source.survey;
    await cancellable(tx`
      INSERT INTO gcn_pond (k, pans, tmpimp, g)
      SELECT (t.ord - 1)::int, t.pans, t.tmpimp,
             CASE WHEN ST_Dimension(t.g) = 2 THEN ST_CollectionExtract(ST_MakeValid(ST_Force2D(t.g)), 3) ELSE ST_Force2D(t.g) END
      FROM (SELECT ord, pans, tmpimp, ST_GeomFromWKB(decode(wkb, 'hex'), 27700) AS g
            FROM unnest(${ponds.map((p) => toWkb(p.geometry).toString('hex'))}::text[], ${ponds.map((p) => p.pans)}::text[], ${ponds.map((p) => p.tmpImp)}::text[])
                 WITH ORDINALITY AS u(wkb, pans, tmpimp, ord)) t`, signal);
  } else {
    // P1 national: geometry only, every pond NS/F, ordered by id.
    await cancellable(tx`
      INSERT INTO gcn_pond (k, pans, tmpimp, g)
      SELECT (row_number() OVER (ORDER BY p.id) - 1)::int, 'NS', 'F', ST_Force2D(p.geometry)
      FROM gcn_ponds p, gcn_shape e
      WHERE e.name = 'extent' AND p.version = ${source.nationalVersion} AND ST_Intersects(p.geometry, e.g)`, signal);
  }

  // P2 extent clip (empty results dropped), then P3/P4. A pond is an RLB pond when it touches any
  // RLB unit; its geometry becomes its part inside the RLB union. Ids number each class in P1 order.
  const [counts] = await cancellable(tx<{ read: number; in_extent: number }[]>`
    WITH pc AS (
      SELECT p.k, p.pans, p.tmpimp, ST_Intersection(p.g, e.g) AS g
      FROM gcn_pond p, gcn_shape e
      WHERE e.name = 'extent' AND ST_Intersects(p.g, e.g)
    ), kept AS (
      SELECT pc.*, EXISTS (SELECT 1 FROM gcn_rlb r WHERE ST_Intersects(pc.g, r.g)) AS in_rlb
      FROM pc WHERE NOT ST_IsEmpty(pc.g)
    ), placed AS (
      SELECT k.k, k.pans, k.tmpimp,
             CASE WHEN k.in_rlb THEN 'RLB' ELSE 'Buffer' END AS area,
             CASE WHEN k.in_rlb THEN ST_Intersection(k.g, u.g) ELSE k.g END AS g
      FROM kept k, gcn_shape u WHERE u.name = 'rlb_union'
    ), inserted AS (
      INSERT INTO gcn_pond_area (k, area, seq, pans, tmpimp, g)
      SELECT k, area, (row_number() OVER (PARTITION BY area ORDER BY k) - 1)::int, pans, tmpimp, g
      FROM placed WHERE NOT ST_IsEmpty(g)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM gcn_pond)::int AS read, (SELECT count(*) FROM kept)::int AS in_extent`, signal);
  const [split] = await cancellable(tx<{ rlb: number; buffer: number }[]>`
    SELECT count(*) FILTER (WHERE area = 'RLB')::int AS rlb, count(*) FILTER (WHERE area = 'Buffer')::int AS buffer FROM gcn_pond_area`, signal);
  if (!counts || !split) throw new Error('pond count query returned no row');
  return { read: counts.read, inExtent: counts.in_extent, rlb: split.rlb, buffer: split.buffer };
}
