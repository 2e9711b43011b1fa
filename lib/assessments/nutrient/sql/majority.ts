// nutrient.md §6.2: the largest-overlap feature of each of three layers per RLB, in one statement.
// Candidates with zero area are dropped (E15); ties go to the smaller value (as text, code-point
// order), then the smaller feature id, and the number of features tied on the top area is returned
// for `majority_tie`. A feature that covers the RLB overlaps it by exactly the RLB's area, so the
// costly intersection with a large polygon is skipped (and such features tie exactly, as they should).
// The overlaps are computed once per layer as a plain join (so the planner can loop over the few
// large features and reuse each one's prepared geometry), then one LEFT JOIN LATERAL per layer
// picks the winner per RLB.

import type { MajorityPick } from '../types.js';
import { cancellable } from '../../../db/cancel.js';
import type { Tx } from './tx.js';

interface MajorityRow {
  rlb_id: number;
  wwtw_value: string | null; wwtw_area: number | null; wwtw_ties: number | null;
  lpa_value: string | null; lpa_area: number | null; lpa_ties: number | null;
  opcat_value: string | null; opcat_area: number | null; opcat_ties: number | null;
}

export interface MajorityResult {
  wwtw: MajorityPick | null;
  lpa: MajorityPick | null;
  subcatchment: MajorityPick | null;
}

export async function selectMajorities(
  tx: Tx,
  versions: { wwtw_catchments: number; lpa_boundaries: number; subcatchments: number },
  signal: AbortSignal,
): Promise<Map<number, MajorityResult>> {
  const rows = await cancellable(
    tx<MajorityRow[]>`
      WITH wc AS MATERIALIZED (
        SELECT r.rlb_id, f.attributes->>'WwTw_ID' AS value, f.id,
               (CASE WHEN ST_Covers(f.geometry, r.geom) THEN ST_Area(r.geom) ELSE ST_Area(ST_Intersection(f.geometry, r.geom)) END)::float8 AS area
        FROM wwtw_catchments f JOIN nutrient_rlb r ON ST_Intersects(f.geometry, r.geom)
        WHERE f.version = ${versions.wwtw_catchments}
      ), lc AS MATERIALIZED (
        SELECT r.rlb_id, f.attributes->>'NAME' AS value, f.id,
               (CASE WHEN ST_Covers(f.geometry, r.geom) THEN ST_Area(r.geom) ELSE ST_Area(ST_Intersection(f.geometry, r.geom)) END)::float8 AS area
        FROM lpa_boundaries f JOIN nutrient_rlb r ON ST_Intersects(f.geometry, r.geom)
        WHERE f.version = ${versions.lpa_boundaries}
      ), sc AS MATERIALIZED (
        SELECT r.rlb_id, f.attributes->>'OPCAT_NAME' AS value, f.id,
               (CASE WHEN ST_Covers(f.geometry, r.geom) THEN ST_Area(r.geom) ELSE ST_Area(ST_Intersection(f.geometry, r.geom)) END)::float8 AS area
        FROM subcatchments f JOIN nutrient_rlb r ON ST_Intersects(f.geometry, r.geom)
        WHERE f.version = ${versions.subcatchments}
      )
      SELECT r.rlb_id,
        w.value AS wwtw_value, w.area AS wwtw_area, w.ties AS wwtw_ties,
        l.value AS lpa_value, l.area AS lpa_area, l.ties AS lpa_ties,
        s.value AS opcat_value, s.area AS opcat_area, s.ties AS opcat_ties
      FROM nutrient_rlb r
      LEFT JOIN LATERAL (
        SELECT c.value, c.area, (count(*) FILTER (WHERE c.area = c.top) OVER ())::int AS ties
        FROM (SELECT x.*, max(x.area) OVER () AS top FROM wc x WHERE x.rlb_id = r.rlb_id AND x.area > 0) c
        ORDER BY c.area DESC, c.value COLLATE "C" ASC, c.id ASC LIMIT 1
      ) w ON true
      LEFT JOIN LATERAL (
        SELECT c.value, c.area, (count(*) FILTER (WHERE c.area = c.top) OVER ())::int AS ties
        FROM (SELECT x.*, max(x.area) OVER () AS top FROM lc x WHERE x.rlb_id = r.rlb_id AND x.area > 0) c
        ORDER BY c.area DESC, c.value COLLATE "C" ASC, c.id ASC LIMIT 1
      ) l ON true
      LEFT JOIN LATERAL (
        SELECT c.value, c.area, (count(*) FILTER (WHERE c.area = c.top) OVER ())::int AS ties
        FROM (SELECT x.*, max(x.area) OVER () AS top FROM sc x WHERE x.rlb_id = r.rlb_id AND x.area > 0) c
        ORDER BY c.area DESC, c.value COLLATE "C" ASC, c.id ASC LIMIT 1
      ) s ON true
      ORDER BY r.rlb_id`,
    signal,
  );
  const pick = (value: string | null, area: number | null, ties: number | null): MajorityPick | null =>
    area === null ? null : { value, areaM2: area, ties: ties ?? 1 };
  return new Map(rows.map((row) => [row.rlb_id, {
    wwtw: pick(row.wwtw_value, row.wwtw_area, row.wwtw_ties),
    lpa: pick(row.lpa_value, row.lpa_area, row.lpa_ties),
    subcatchment: pick(row.opcat_value, row.opcat_area, row.opcat_ties),
  }]));
}
