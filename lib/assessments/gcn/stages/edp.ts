// EDP delivery areas (gcn.md §6.5–6.6): the active edp_edges rows intersecting E, the single-area
// assignment of each pond (largest overlap, then EDPName by code point, then id) and the split of
// every habitat row into per-area pieces plus a remainder of at least 1 m².

import type postgres from 'postgres';
import { cancellable } from '../../../db/cancel.js';
import { invalidReferenceData } from '../reference.js';
import type { GcnLogger } from '../types.js';

/** Remainders below this are digitising slivers along shared EDP boundaries (gcn.md §6.6). */
export const EDP_REMAINDER_FLOOR_M2 = 1.0;

export async function selectEdpEdges(tx: postgres.TransactionSql, version: number, grid: number, signal: AbortSignal, logger?: GcnLogger): Promise<number> {
  await cancellable(tx`
    INSERT INTO gcn_edp (id, name, attrs, g)
    SELECT d.id, d.attributes->>'EDPName', d.attributes, d.geometry
    FROM edp_edges d, gcn_shape e
    WHERE e.name = 'extent' AND d.version = ${version} AND ST_Intersects(d.geometry, e.g)`, signal);
  const [bad] = await cancellable(tx<{ id: string; name: string | null }[]>`
    SELECT id::text AS id, name FROM gcn_edp WHERE name IS NULL OR btrim(name) = '' ORDER BY id LIMIT 1`, signal);
  if (bad) throw invalidReferenceData('edp_edges', bad.id, bad.name === null ? 'null_edp_name' : 'blank_edp_name', version, logger, bad.name);
  await cancellable(tx`UPDATE gcn_edp SET g_rp = ST_ReducePrecision(g, ${grid}::float8)`, signal);
  const [row] = await cancellable(tx<{ n: number }[]>`SELECT count(*)::int AS n FROM gcn_edp`, signal);
  return row?.n ?? 0;
}

export interface HabitatSplitPiece {
  /** The habitat row (H5 position) this piece belongs to. */
  n: number;
  /** `""` for the remainder outside every EDP area. */
  edpName: string;
  shapeArea: number;
  edge: { Shape_Length: unknown; Shape_Area: unknown } | null;
}

/**
 * §6.6: per habitat row, one piece per intersecting edge in EDPName code-point order, then the
 * remainder when it reaches the floor. With no edge in E the whole row is remainder.
 */
export async function splitHabitatByEdp(tx: postgres.TransactionSql, grid: number, signal: AbortSignal): Promise<HabitatSplitPiece[]> {
  const pieces = await cancellable(tx<{ n: number; name: string; shape_area: number; attrs: Record<string, unknown> }[]>`
    SELECT h.n, e.name, ST_Area(s.g)::float8 AS shape_area, e.attrs
    FROM gcn_habitat h
    JOIN gcn_edp e ON ST_Intersects(h.g, e.g_rp)
    CROSS JOIN LATERAL (SELECT ST_ReducePrecision(ST_Intersection(h.g, e.g_rp), ${grid}::float8) AS g) s
    WHERE ST_Area(s.g) > 0
    ORDER BY h.n, e.name COLLATE "C", e.id`, signal);
  const remainders = await cancellable(tx<{ n: number; shape_area: number }[]>`
    SELECT h.n, ST_Area(CASE WHEN all_edges.g IS NULL THEN h.g
                             ELSE ST_ReducePrecision(ST_Difference(h.g, all_edges.g), ${grid}::float8) END)::float8 AS shape_area
    FROM gcn_habitat h, (SELECT ST_Union(g_rp) AS g FROM gcn_edp) all_edges
    ORDER BY h.n`, signal);

  const byRow = new Map<number, HabitatSplitPiece[]>();
  for (const piece of pieces) {
    const list = byRow.get(piece.n) ?? [];
    list.push({ n: piece.n, edpName: piece.name, shapeArea: piece.shape_area, edge: { Shape_Length: piece.attrs.Shape_Length ?? null, Shape_Area: piece.attrs.Shape_Area ?? null } });
    byRow.set(piece.n, list);
  }
  const out: HabitatSplitPiece[] = [];
  for (const remainder of remainders) {
    out.push(...(byRow.get(remainder.n) ?? []));
    if (remainder.shape_area >= EDP_REMAINDER_FLOOR_M2) out.push({ n: remainder.n, edpName: '', shapeArea: remainder.shape_area, edge: null });
  }
  return out;
}
