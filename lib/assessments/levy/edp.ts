// Which EDP a site lies in (levy.md §5): active `edp_boundaries` rows that intersect the site
// with a positive area (touching does not count), keyed by an integer `EDP_Id` attribute when
// present, else by the trimmed `EDP_Name`. Only names and attributes come back from PostGIS.

import type { Site } from '../../geo/types.js';
import type { Sql } from '../../db/sql.js';
import { withDbRetry } from '../../db/retry.js';
import { cancellable } from '../../db/cancel.js';

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

export async function findEdps(sql: Sql, site: Site, version: number, signal: AbortSignal): Promise<EdpLookup> {
  const geojson = JSON.stringify(site.geometry);
  const rows = await withDbRetry(() => cancellable(sql<{ name: string | null; attributes: Record<string, unknown> }[]>`
    WITH s AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geojson}::text), 27700) AS g)
    SELECT e.name, e.attributes
    FROM edp_boundaries e, s
    WHERE e.version = ${version}
      AND ST_Intersects(e.geometry, s.g)
      AND ST_Area(ST_Intersection(e.geometry, s.g)) > 0`, signal), { signal });
  const byKey = new Map<string, EdpKey>();
  for (const row of rows) {
    const key = edpKeyOf(row.name, row.attributes ?? {});
    // A feature with neither an id nor a name cannot be keyed; QC requires EDP_Name, so skip it.
    if (!key) continue;
    const mapKey = key.id !== null ? `id:${key.id}` : `name:${key.name}`;
    if (!byKey.has(mapKey)) byKey.set(mapKey, key);
  }
  return { keys: [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}
