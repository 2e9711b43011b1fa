// nutrient.md §6.4 and contracts.md §8.2 from the NN clips: the summed RLB ∩ NN area per RLB (the
// coverage diagnostic) and, per catchment `Label`, the dissolved overlap with the smallest OID.

import type { NnCatchmentOverlap } from '../types.js';
import { compareCodeUnits } from '../land-use.js';
import { normaliseOid } from './pieces.js';
import { cancellable } from '../../../db/cancel.js';
import type { Tx } from './tx.js';

export async function selectCoverage(tx: Tx, signal: AbortSignal): Promise<Map<number, number>> {
  const rows = await cancellable(
    tx<{ rlb_id: number; area_ha: number }[]>`
      SELECT rlb_id, sum(area_m2 ORDER BY nn_id) / 10000.0 AS area_ha
      FROM nutrient_rlb_nn GROUP BY rlb_id ORDER BY rlb_id`,
    signal,
  );
  return new Map(rows.map((r) => [r.rlb_id, r.area_ha]));
}

interface CatchmentRow {
  rlb_id: number;
  label: string;
  min_oid: string | null;
  area_m2: number;
}

export async function selectCatchments(tx: Tx, signal: AbortSignal): Promise<Map<number, NnCatchmentOverlap[]>> {
  const rows = await cancellable(
    tx<CatchmentRow[]>`
      SELECT rlb_id, label,
             (min(CASE WHEN oid ~ '^[[:space:]]*-?[0-9]+([.][0-9]*)?[[:space:]]*$' THEN oid::numeric END))::text AS min_oid,
             ST_Area(ST_UnaryUnion(ST_Collect(geom ORDER BY nn_id)))::float8 AS area_m2
      FROM nutrient_rlb_nn
      WHERE label IS NOT NULL AND btrim(label) <> ''
      GROUP BY rlb_id, label`,
    signal,
  );
  const out = new Map<number, NnCatchmentOverlap[]>();
  for (const row of rows) {
    if (!(row.area_m2 > 0)) continue;
    const entry: NnCatchmentOverlap = { label: row.label, catchmentId: normaliseOid(row.min_oid), overlapAreaM2: row.area_m2 };
    const list = out.get(row.rlb_id);
    if (list) list.push(entry);
    else out.set(row.rlb_id, [entry]);
  }
  for (const list of out.values()) list.sort((a, b) => compareCodeUnits(a.label, b.label));
  return out;
}
