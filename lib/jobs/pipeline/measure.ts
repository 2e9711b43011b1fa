// Area and bounding box of each validated site (contracts.md §8.3 `rlbs[]`), measured in PostGIS
// like every other area of the service. Only the job's own boundaries go in; numbers come back.

import { cancellable } from '../../db/cancel.js';
import { withDbRetry } from '../../db/retry.js';
import type { Sql } from '../../db/sql.js';
import type { Site } from '../../geo/types.js';

export interface SiteMeasure {
  areaM2: number;
  bbox: [number, number, number, number];
}

export async function measureSites(sql: Sql, sites: readonly Site[], signal: AbortSignal): Promise<Map<number, SiteMeasure>> {
  signal.throwIfAborted();
  if (sites.length === 0) return new Map();
  return withDbRetry(() => measureOnce(sql, sites, signal), { signal });
}

async function measureOnce(sql: Sql, sites: readonly Site[], signal: AbortSignal): Promise<Map<number, SiteMeasure>> {
  const rows = await cancellable(sql<{ ord: string; area: number; xmin: number; ymin: number; xmax: number; ymax: number }[]>`
    SELECT ord, ST_Area(g)::float8 AS area, ST_XMin(g)::float8 AS xmin, ST_YMin(g)::float8 AS ymin,
           ST_XMax(g)::float8 AS xmax, ST_YMax(g)::float8 AS ymax
    FROM (SELECT ord, ST_SetSRID(ST_GeomFromGeoJSON(j), 27700) AS g
          FROM unnest(${sites.map((s) => JSON.stringify(s.geometry))}::text[]) WITH ORDINALITY AS t(j, ord)) AS s`, signal);
  const out = new Map<number, SiteMeasure>();
  for (const row of rows) {
    const site = sites[Number(row.ord) - 1];
    if (site) out.set(site.rlbId, { areaM2: row.area, bbox: [row.xmin, row.ymin, row.xmax, row.ymax] });
  }
  return out;
}
