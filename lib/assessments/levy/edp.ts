// Which EDP a site lies in (levy.md §5): active `edp_boundaries` rows that intersect the site
// with a positive area (touching does not count), keyed by an integer `EDP_Id` attribute when
// present, else by the trimmed `EDP_Name`. The sites of a job go to PostGIS together, as WKB in
// one bound parameter, and one statement finds the EDPs of all of them; only site ordinals,
// names and attributes come back.

import type { Site } from '../../geo/types.js';
import type { Sql } from '../../db/sql.js';
import { withDbRetry } from '../../db/retry.js';
import { cancellable } from '../../db/cancel.js';
import { toWkb } from '../../geo/wkb.js';

export interface EdpKey {
  /** `EDP_Id` when the feature carries an integer one. */
  id: number | null;
  /** Trimmed `EDP_Name` (the key when `id` is null). */
  name: string;
  /** `EDP_Name` of the feature, or null when the feature has none. */
  featureName: string | null;
}

export interface EdpLookup {
  /** Distinct keys, sorted by name; exactly one is needed to price a levy. */
  keys: EdpKey[];
}

/** Case-insensitive attribute read: GeoPackage column names vary in case between sources. */
function attribute(attributes: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(attributes)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function integerId(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) && n >= 1 ? n : null;
  }
  return null;
}

export function edpKeyOf(name: string | null, attributes: Record<string, unknown>): EdpKey | null {
  const rawName = attribute(attributes, 'EDP_Name') ?? name;
  const featureName = typeof rawName === 'string' && rawName.trim() !== '' ? rawName.trim() : null;
  const id = integerId(attribute(attributes, 'EDP_Id'));
  if (id !== null) return { id, name: featureName ?? `EDP ${id}`, featureName };
  if (featureName === null) return null;
  return { id: null, name: featureName, featureName };
}

/**
 * The EDP keys of every site, in input order, in one statement. Sites are validated 2D EPSG:27700
 * polygons: their WKB carries the doubles bit for bit and is tagged 27700, as the GeoJSON text
 * with `ST_SetSRID(…, 27700)` was before.
 *
 * "Positive area" is `ST_Intersects AND (ST_Covers OR ST_Area(ST_Intersection) > 0)`. The
 * `ST_Covers` shortcut is exact, not an approximation: input validation only lets through
 * OGC-valid polygons whose every part has a non-collinear shell (contracts.md §5.8 checks 1 and
 * 3), so a site has positive area, and an EDP that covers it intersects it in the whole site,
 * whose area is positive. When the EDP does not cover the site, the overlay decides as before; a
 * site that only touches an EDP along an edge or at a point is neither covered nor overlapped
 * with area. The shortcut skips `ST_Intersection` for the usual site well inside one EDP, and
 * `ST_Covers` uses PostGIS's prepared-geometry cache while consecutive rows share the EDP.
 */
export async function findEdpsBySite(sql: Sql, sites: readonly Site[], version: number, signal: AbortSignal): Promise<EdpLookup[]> {
  if (sites.length === 0) return [];
  const hexes = sites.map((site) => toWkb(site.geometry).toString('hex'));
  const rows = await withDbRetry(() => cancellable(sql<{ ord: number; name: string | null; attributes: Record<string, unknown> }[]>`
    SELECT s.ord::int AS ord, e.name, e.attributes
    FROM unnest(${hexes}::text[]) WITH ORDINALITY AS s(wkb, ord)
    CROSS JOIN LATERAL (SELECT ST_GeomFromWKB(decode(s.wkb, 'hex'), 27700) AS g) site
    JOIN edp_boundaries e ON e.version = ${version} AND ST_Intersects(e.geometry, site.g)
    WHERE ST_Covers(e.geometry, site.g) OR ST_Area(ST_Intersection(e.geometry, site.g)) > 0`, signal), { signal });
  const bySite = sites.map(() => new Map<string, EdpKey>());
  for (const row of rows) {
    const byKey = bySite[row.ord - 1];
    const key = edpKeyOf(row.name, row.attributes ?? {});
    // A feature with neither an id nor a name cannot be keyed; QC requires EDP_Name, so skip it.
    if (!byKey || !key) continue;
    const mapKey = edpMapKey(key);
    if (!byKey.has(mapKey)) byKey.set(mapKey, key);
  }
  return bySite.map((byKey) => ({ keys: [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name)) }));
}

/** The identity of an EDP key: its id when it has one, else its trimmed name. */
export function edpMapKey(key: EdpKey): string {
  return key.id !== null ? `id:${key.id}` : `name:${key.name}`;
}
