// H1–H5 (gcn.md §6.3): the pond zone Z, risk-zone pieces inside it, and the overlay of every unit
// with every piece on reduced geometry. Rows keep their geometry in gcn_habitat for the EDP split.

import type postgres from 'postgres';
import { cancellable } from '../../../db/cancel.js';
import type { CarriedZoneAttributes, UnitArea, Zone } from '../types.js';

export interface HabitatPiece {
  /** Position in H5 order (unit, then z). */
  n: number;
  unit: number;
  area: UnitArea;
  z: number;
  rz: Zone;
  shapeArea: number;
  zone: CarriedZoneAttributes;
}

export interface HabitatResult {
  rows: HabitatPiece[];
  /** Area of Z; null when Z is null (no ponds). */
  pondZoneAreaM2: number | null;
}

export async function computeHabitat(tx: postgres.TransactionSql, grid: number, pondBufferM: number, signal: AbortSignal): Promise<HabitatResult> {
  // H1: Z = RP(ST_Union(BUF(p.g, d))) over P3 and P4 ponds.
  await cancellable(tx`
    INSERT INTO gcn_shape (name, g)
    SELECT 'pond_zone', ST_ReducePrecision(ST_Union(ST_Buffer(g, ${pondBufferM}::float8, 'quad_segs=16')), ${grid}::float8)
    FROM gcn_pond_area`, signal);
  // H2: pieces near ponds (z kept), stored reduced because H3 only ever uses them reduced.
  await cancellable(tx`
    INSERT INTO gcn_rzp (z, g_rp)
    SELECT z, ST_ReducePrecision(g, ${grid}::float8) FROM (
      SELECT r.z, ST_Intersection(r.g, p.g) AS g
      FROM gcn_rz r, gcn_shape p
      WHERE p.name = 'pond_zone' AND p.g IS NOT NULL AND NOT ST_IsEmpty(p.g) AND ST_Intersects(r.g, p.g)
    ) near WHERE NOT ST_IsEmpty(g)`, signal);
  // H3–H5: overlay on reduced geometry, positive area only, ordered by unit then piece.
  await cancellable(tx`
    INSERT INTO gcn_habitat (n, u, z, shape_area, g)
    SELECT (row_number() OVER (ORDER BY u, z) - 1)::int, u, z, ST_Area(h), h FROM (
      SELECT u.u, r.z, ST_ReducePrecision(ST_Intersection(u.g_rp, r.g_rp), ${grid}::float8) AS h
      FROM gcn_unit u JOIN gcn_rzp r ON ST_Intersects(u.g_rp, r.g_rp)
    ) overlay WHERE ST_Area(h) > 0`, signal);

  const rows = await cancellable(tx<{ n: number; u: number; area: UnitArea; z: number; rz: Zone; shape_area: number; attrs: Record<string, unknown> }[]>`
    SELECT h.n, h.u, un.area, h.z, r.rz, h.shape_area, r.attrs
    FROM gcn_habitat h JOIN gcn_unit un ON un.u = h.u JOIN gcn_rz r ON r.z = h.z
    ORDER BY h.n`, signal);
  const [zone] = await cancellable(tx<{ area: number | null }[]>`SELECT ST_Area(g)::float8 AS area FROM gcn_shape WHERE name = 'pond_zone'`, signal);
  return {
    rows: rows.map((row) => ({
      n: row.n, unit: row.u, area: row.area, z: row.z, rz: row.rz, shapeArea: row.shape_area,
      zone: { Shape_Leng: row.attrs.Shape_Leng ?? null, MHW: row.attrs.MHW ?? null, Shape_Length: row.attrs.Shape_Length ?? null },
    })),
    pondZoneAreaM2: zone?.area ?? null,
  };
}
