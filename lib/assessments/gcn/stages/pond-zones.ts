// F1 and §6.5 step 1–2 (gcn.md): for every P3/P4 pond, the distinct zones of the S6 pieces it
// touches (unreduced geometry, inner join semantics are applied by the caller) and the one EDP
// area it is assigned to: largest overlap, then EDPName by code point (C collation), then id.

import type postgres from 'postgres';
import { cancellable } from '../../../db/cancel.js';
import type { Pans, TmpImp, UnitArea } from '../types.js';

export interface PondZoneRow {
  area: UnitArea;
  seq: number;
  pans: Pans;
  tmpImp: TmpImp;
  /** Distinct zone names of the touched pieces (unsorted; empty when it touches none). */
  zones: string[];
  /** The winning EDP area, or null when the pond touches none. */
  edpName: string | null;
}

export async function pondZones(tx: postgres.TransactionSql, signal: AbortSignal): Promise<PondZoneRow[]> {
  const rows = await cancellable(tx<{ area: UnitArea; seq: number; pans: Pans; tmpimp: TmpImp; zones: string[] | null; edp_name: string | null }[]>`
    SELECT p.area, p.seq, p.pans, p.tmpimp,
           (SELECT array_agg(DISTINCT r.rz) FROM gcn_rz r WHERE ST_Intersects(p.g, r.g)) AS zones,
           (SELECT e.name FROM gcn_edp e WHERE ST_Intersects(p.g, e.g)
             ORDER BY ST_Area(ST_Intersection(p.g, e.g)) DESC, e.name COLLATE "C", e.id LIMIT 1) AS edp_name
    FROM gcn_pond_area p
    ORDER BY CASE p.area WHEN 'RLB' THEN 0 ELSE 1 END, p.seq`, signal);
  return rows.map((row) => ({ area: row.area, seq: row.seq, pans: row.pans, tmpImp: row.tmpimp, zones: row.zones ?? [], edpName: row.edp_name }));
}
