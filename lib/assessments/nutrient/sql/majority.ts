// nutrient.md §6.2: the largest-overlap feature of each of three layers per RLB, in one statement.
// Candidates with zero area are dropped (E15); ties go to the smaller value (as text, code-point
// order), then the smaller feature id, and the number of features tied on the top area is returned
// for `majority_tie`. A feature that covers the RLB overlaps it by exactly the RLB's area, so the
// costly intersection with a large polygon is skipped (and such features tie exactly, as they should).

import type { MajorityPick } from '../types.js';
import { runCancellable, type Tx } from './run.js';

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
  const rows = await runCancellable(
    tx<MajorityRow[]>`
      SELECT r.rlb_id,
        w.value AS wwtw_value, w.area AS wwtw_area, w.ties AS wwtw_ties,
        l.value AS lpa_value, l.area AS lpa_area, l.ties AS lpa_ties,
        s.value AS opcat_value, s.area AS opcat_area, s.ties AS opcat_ties
      FROM nutrient_rlb r
      LEFT JOIN LATERAL (
        SELECT c.value, c.area, (count(*) FILTER (WHERE c.area = c.top) OVER ())::int AS ties
        FROM (
          SELECT x.value, x.id, x.area, max(x.area) OVER () AS top
          FROM (
            SELECT f.attributes->>'WwTw_ID' AS value, f.id,
                   (CASE WHEN ST_Covers(f.geometry, r.geom) THEN ST_Area(r.geom) ELSE ST_Area(ST_Intersection(f.geometry, r.geom)) END)::float8 AS area
            FROM wwtw_catchments f
            WHERE f.version = ${versions.wwtw_catchments} AND ST_Intersects(f.geometry, r.geom)
          ) x WHERE x.area > 0
        ) c
        ORDER BY c.area DESC, c.value COLLATE "C" ASC, c.id ASC
        LIMIT 1
      ) w ON true
      LEFT JOIN LATERAL (
        SELECT c.value, c.area, (count(*) FILTER (WHERE c.area = c.top) OVER ())::int AS ties
        FROM (
          SELECT x.value, x.id, x.area, max(x.area) OVER () AS top
          FROM (
            SELECT f.attributes->>'NAME' AS value, f.id,
                   (CASE WHEN ST_Covers(f.geometry, r.geom) THEN ST_Area(r.geom) ELSE ST_Area(ST_Intersection(f.geometry, r.geom)) END)::float8 AS area
            FROM lpa_boundaries f
            WHERE f.version = ${versions.lpa_boundaries} AND ST_Intersects(f.geometry, r.geom)
          ) x WHERE x.area > 0
        ) c
        ORDER BY c.area DESC, c.value COLLATE "C" ASC, c.id ASC
        LIMIT 1
      ) l ON true
      LEFT JOIN LATERAL (
        SELECT c.value, c.area, (count(*) FILTER (WHERE c.area = c.top) OVER ())::int AS ties
        FROM (
          SELECT x.value, x.id, x.area, max(x.area) OVER () AS top
          FROM (
            SELECT f.attributes->>'OPCAT_NAME' AS value, f.id,
                   (CASE WHEN ST_Covers(f.geometry, r.geom) THEN ST_Area(r.geom) ELSE ST_Area(ST_Intersection(f.geometry, r.geom)) END)::float8 AS area
            FROM subcatchments f
            WHERE f.version = ${versions.subcatchments} AND ST_Intersects(f.geometry, r.geom)
          ) x WHERE x.area > 0
        ) c
        ORDER BY c.area DESC, c.value COLLATE "C" ASC, c.id ASC
        LIMIT 1
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
