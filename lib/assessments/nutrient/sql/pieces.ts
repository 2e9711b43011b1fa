// nutrient.md §6.3: land-use pieces RLB ∩ coefficient parcel ∩ NN polygon. The parcels are cut by
// the per-RLB NN clips (one row per RLB × NN row), so every returned row is already at the
// (RLB, parcel row, NN row) grain the per-piece rounding of §7.3 needs. Overlapping parcels each
// yield a piece. Only ids, coefficients and areas leave the database. A parcel wholly inside the
// clip is its own piece: its area is taken directly (the clip, repeated across the parcels it meets,
// is a prepared geometry, so the test is cheap), and only boundary parcels are intersected.

import type { Piece } from '../types.js';
import { cancellable } from '../../../db/cancel.js';
import type { Tx } from './tx.js';

interface PieceRow {
  rlb_id: number;
  crome_id: string;
  lu_curr_n_coeff: number | null;
  lu_curr_p_coeff: number | null;
  n_resi_coeff: number | null;
  p_resi_coeff: number | null;
  site_name: string | null;
  oid: string | null;
  area_ha: number;
}

export async function selectPieces(tx: Tx, coefficientVersion: number, signal: AbortSignal): Promise<Map<number, Piece[]>> {
  const rows = await cancellable(
    tx<PieceRow[]>`
      SELECT q.rlb_id, q.crome_id, q.lu_curr_n_coeff, q.lu_curr_p_coeff, q.n_resi_coeff, q.p_resi_coeff,
             q.site_name, q.oid, q.area_m2 / 10000.0 AS area_ha
      FROM (
        SELECT c.rlb_id, c.nn_id, c.site_name, c.oid, p.id AS parcel_id, p.crome_id,
               p.lu_curr_n_coeff, p.lu_curr_p_coeff, p.n_resi_coeff, p.p_resi_coeff,
               (CASE WHEN ST_Covers(c.geom, p.geometry) THEN ST_Area(p.geometry)
                     ELSE ST_Area(ST_Intersection(p.geometry, c.geom)) END)::float8 AS area_m2
        FROM nutrient_rlb_nn c
        JOIN coefficient_layer p ON p.version = ${coefficientVersion} AND ST_Intersects(p.geometry, c.geom)
      ) q
      WHERE q.area_m2 > 0
      ORDER BY q.rlb_id, q.crome_id COLLATE "C",
               CASE WHEN q.oid ~ '^[[:space:]]*-?[0-9]+([.][0-9]*)?[[:space:]]*$' THEN q.oid::numeric END NULLS LAST, q.oid COLLATE "C",
               q.parcel_id, q.nn_id`,
    signal,
  );
  const out = new Map<number, Piece[]>();
  for (const row of rows) {
    const piece: Piece = {
      cromeId: row.crome_id,
      luCurrN: row.lu_curr_n_coeff,
      luCurrP: row.lu_curr_p_coeff,
      nResi: row.n_resi_coeff,
      pResi: row.p_resi_coeff,
      siteName: row.site_name,
      oid: normaliseOid(row.oid),
      areaHa: row.area_ha,
    };
    const list = out.get(row.rlb_id);
    if (list) list.push(piece);
    else out.set(row.rlb_id, [piece]);
  }
  return out;
}

/** `OID` as text: an integral value is written without a fractional part ("31", not "31.0"). */
export function normaliseOid(raw: string | null): string | null {
  if (raw === null) return null;
  const trimmed = raw.trim();
  const integral = /^(-?\d+)(\.0*)?$/.exec(trimmed);
  return integral ? String(BigInt(integral[1] ?? '0')) : trimmed;
}
