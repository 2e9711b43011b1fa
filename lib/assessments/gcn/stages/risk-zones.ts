// S6–S7 (gcn.md §6.1): risk-zone features of the active version clipped to the extent E, one piece
// per source feature, numbered by `ORDER BY id`; then the RZ domain check on the selected rows only
// (a bad row outside E is never read, so it cannot fail a job).

import type postgres from 'postgres';
import { cancellable } from '../../../db/cancel.js';
import { invalidReferenceData } from '../reference.js';
import { ZONES, type GcnLogger } from '../types.js';

export interface RiskZonePiece {
  z: number;
  RZ: string;
  area_m2: number;
}

export async function selectRiskZones(tx: postgres.TransactionSql, version: number, signal: AbortSignal, logger?: GcnLogger): Promise<RiskZonePiece[]> {
  await cancellable(tx`
    INSERT INTO gcn_rz (z, id, rz, attrs, g)
    SELECT (row_number() OVER (ORDER BY r.id) - 1)::int, r.id, r.attributes->>'RZ', r.attributes, ST_Intersection(r.geometry, e.g)
    FROM gcn_risk_zones r, gcn_shape e
    WHERE e.name = 'extent' AND r.version = ${version} AND ST_Intersects(r.geometry, e.g)`, signal);

  const [bad] = await cancellable(tx<{ id: string; rz: string | null }[]>`
    SELECT id::text AS id, rz FROM gcn_rz
    WHERE rz IS NULL OR rz NOT IN ${tx([...ZONES])}
    ORDER BY z LIMIT 1`, signal);
  if (bad) throw invalidReferenceData('gcn_risk_zones', bad.id, bad.rz === null ? 'null_rz' : 'unknown_rz', version, logger, bad.rz);

  return cancellable(tx<RiskZonePiece[]>`SELECT z, rz AS "RZ", ST_Area(g)::float8 AS area_m2 FROM gcn_rz ORDER BY z`, signal);
}
