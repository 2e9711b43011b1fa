// Boundaries for the benchmark and the chaos run: the public scenario sites, and deterministic
// random sites (0.01–20 ha, log-uniform, star-shaped so always simple) whose centres PostGIS
// draws inside the active NN catchments. Everything is EPSG:27700.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Polygon } from 'geojson';
import type { Sql } from '../../lib/db/sql.js';
import type { Site } from '../../lib/geo/types.js';
import { seededRandom } from './stats.js';

export interface BenchSite {
  name: string;
  polygon: Polygon;
  dwellings: number;
}

const CRS_27700 = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } };

/** A GeoJSON file body (legacy `crs` member, so the reader keeps British National Grid). */
export function geojsonFile(polygons: readonly Polygon[]): Buffer {
  return Buffer.from(JSON.stringify({
    type: 'FeatureCollection',
    crs: CRS_27700,
    features: polygons.map((geometry) => ({ type: 'Feature', properties: {}, geometry })),
  }));
}

export function toSite(polygon: Polygon, rlbId = 1): Site {
  return { rlbId, sourceFeature: rlbId - 1, geometry: polygon, attributes: null };
}

function shoelace(ring: readonly [number, number][]): number {
  let twice = 0;
  for (let i = 0; i < ring.length - 1; i += 1) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    twice += x1 * y2 - x2 * y1;
  }
  return twice / 2;
}

/** A simple polygon of exactly `areaM2` around (cx, cy): vertices at increasing angles on a jittered ellipse. */
export function starPolygon(cx: number, cy: number, areaM2: number, random: () => number): Polygon {
  const vertices = 5 + Math.floor(random() * 5);
  const aspect = 1 + random() * 1.5;
  const rotation = random() * Math.PI;
  const unit: [number, number][] = [];
  for (let k = 0; k < vertices; k += 1) {
    const angle = ((k + 0.2 + random() * 0.6) / vertices) * 2 * Math.PI;
    const radius = 0.8 + random() * 0.2;
    const ex = Math.cos(angle) * radius * aspect;
    const ey = Math.sin(angle) * radius;
    unit.push([ex * Math.cos(rotation) - ey * Math.sin(rotation), ex * Math.sin(rotation) + ey * Math.cos(rotation)]);
  }
  unit.push(unit[0] as [number, number]);
  const scale = Math.sqrt(areaM2 / shoelace(unit));
  // Millimetre coordinates, like survey-grade boundaries; the scale keeps neighbours far apart.
  const ring = unit.map(([x, y]): [number, number] => [Math.round((cx + x * scale) * 1000) / 1000, Math.round((cy + y * scale) * 1000) / 1000]);
  ring[ring.length - 1] = ring[0] as [number, number];
  return { type: 'Polygon', coordinates: [ring] };
}

/** `count` random sites with centres inside the active NN catchments (same seed → same sites). */
export async function randomNnSites(sql: Sql, count: number, seed: number, signal: AbortSignal): Promise<BenchSite[]> {
  signal.throwIfAborted();
  const centres = await sql<{ x: number; y: number }[]>`
    SELECT ST_X(d.geom)::float8 AS x, ST_Y(d.geom)::float8 AS y
    FROM ST_Dump(ST_GeneratePoints(
      (SELECT ST_Union(n.geometry) FROM nn_catchments n
        JOIN data_active_version a ON a.table_name = 'nn_catchments' AND a.active_version = n.version),
      ${count}::int, ${seed}::int)) AS d
    ORDER BY d.path[1]`;
  const random = seededRandom(seed);
  return centres.map((c, i) => {
    // Log-uniform between 0.01 and 20 ha: most planning sites are small, a few are large.
    const areaHa = 0.01 * Math.pow(2000, random());
    return { name: `random-${String(i + 1).padStart(3, '0')}`, polygon: starPolygon(c.x, c.y, areaHa * 10_000, random), dwellings: 1 + Math.floor(random() * 150) };
  });
}

interface ManifestEntry { geometry: string; dwellings: number; name: string }

/** The ten generated scenario sites of nutrient.md §12.6 with their manifest dwellings. */
export function scenarioSites(dataDir: string): BenchSite[] {
  const dir = path.join(dataDir, 'inputs/generated');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ManifestEntry[];
  const dwellings = new Map(manifest.map((m) => [path.basename(m.geometry), m.dwellings]));
  return readdirSync(dir).filter((f) => f.endsWith('.geojson')).sort().map((file) => {
    const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { features: { geometry: Polygon }[] };
    const polygon = doc.features[0]?.geometry;
    if (!polygon || polygon.type !== 'Polygon') throw new Error(`${file}: expected one Polygon feature`);
    return { name: path.basename(file, '.geojson'), polygon, dwellings: dwellings.get(file) ?? 10 };
  });
}
