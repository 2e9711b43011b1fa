// OGC validity (contracts.md §5.8 check 3) decided by GEOS through PostGIS `ST_IsValidDetail`:
// the reference implementation of the OGC rules (self-intersection, bow-ties, ring self-touch,
// holes outside or crossing the shell, overlapping parts), robust on degenerate input, and
// linear-memory on a million vertices. Geometries travel as WKB in batches of bounded size.

import type { MultiPolygon, Polygon } from 'geojson';
import type { Sql } from '../../db/sql.js';
import { toWkb } from '../../geo/wkb.js';
import { cancellable } from '../../db/cancel.js';

export interface ValidityIssue {
  featureIndex: number;
  /** The part that is invalid on its own; null when every part is valid but together they are not. */
  partIndex: number | null;
  reason: string;
  location: [number, number] | null;
}

export interface PolygonalFeature {
  featureIndex: number;
  geometry: Polygon | MultiPolygon;
}

/** Hex WKB bytes per round trip; postgres.js sends parameters as text, so this bounds memory. */
const BATCH_HEX_CHARS = 16 * 1024 * 1024;

interface DetailRow {
  ord: number;
  reason: string | null;
  x: number | null;
  y: number | null;
}

async function firstInvalid(sql: Sql, hexes: string[], signal: AbortSignal): Promise<DetailRow | null> {
  if (hexes.length === 1) {
    // One (possibly huge) geometry: a plain text parameter, without an array literal's extra copy.
    const rows = await cancellable(sql<DetailRow[]>`
      select 1 as ord, v.reason, ST_X(v.location) as x, ST_Y(v.location) as y
      from ST_IsValidDetail(ST_GeomFromWKB(decode(${hexes[0] as string}, 'hex'), 27700)) as v
      where not v.valid`, signal);
    return rows[0] ?? null;
  }
  const rows = await cancellable(sql<DetailRow[]>`
    select u.ord::int as ord, v.reason, ST_X(v.location) as x, ST_Y(v.location) as y
    from unnest(${hexes}::text[]) with ordinality as u(wkb, ord)
    cross join lateral ST_IsValidDetail(ST_GeomFromWKB(decode(u.wkb, 'hex'), 27700)) as v
    where not v.valid
    order by u.ord
    limit 1`, signal);
  return rows[0] ?? null;
}

async function invalidPart(sql: Sql, hex: string, signal: AbortSignal): Promise<number | null> {
  const rows = await cancellable(sql<{ part: number }[]>`
    select (d).path[1]::int as part
    from ST_Dump(ST_GeomFromWKB(decode(${hex}, 'hex'), 27700)) as d
    where not ST_IsValid((d).geom)
    order by 1
    limit 1`, signal);
  const part = rows[0]?.part;
  return part === undefined ? null : part - 1;
}

/** The first feature (in order) that is not OGC-valid, or null when all are. */
export async function findInvalidPolygon(sql: Sql, features: readonly PolygonalFeature[], signal: AbortSignal): Promise<ValidityIssue | null> {
  let start = 0;
  while (start < features.length) {
    const batch: string[] = [];
    let chars = 0;
    let end = start;
    while (end < features.length && (batch.length === 0 || chars < BATCH_HEX_CHARS)) {
      const hex = toWkb((features[end] as PolygonalFeature).geometry).toString('hex');
      batch.push(hex);
      chars += hex.length;
      end += 1;
    }
    const row = await firstInvalid(sql, batch, signal);
    if (row) {
      const feature = features[start + row.ord - 1] as PolygonalFeature;
      const partIndex = feature.geometry.type === 'MultiPolygon' ? await invalidPart(sql, batch[row.ord - 1] as string, signal) : 0;
      return {
        featureIndex: feature.featureIndex,
        partIndex,
        reason: row.reason ?? 'invalid',
        location: row.x === null || row.y === null ? null : [row.x, row.y],
      };
    }
    start = end;
  }
  return null;
}
