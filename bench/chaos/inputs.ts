// Inputs of the chaos workload from whichever reference world the stack loaded: random sites
// inside the NN catchments (plus the scenario sites with the public data), quote sites screened to
// be assessable and inside exactly one EDP, and a GCN boundary with survey ponds.

import type { Polygon } from 'geojson';
import type { Config } from '../../lib/config.js';
import type { Sql } from '../../lib/db/sql.js';
import { runNutrientAssessment } from '../../lib/assessments/nutrient/index.js';
import { readBoundaryFromPath } from '../../lib/input/index.js';
import { DEMO_SITES, ORIGIN } from '../../demo/world.js';
import { gcnSurveyPair } from '../lib/inputs.js';
import { geojsonFile, randomNnSites, scenarioSites, toSite, type BenchSite } from '../lib/sites.js';
import type { WorkloadInputs } from './workload.js';

async function inOneEdp(sql: Sql, polygon: Polygon): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM edp_boundaries e
    JOIN data_active_version a ON a.table_name = 'edp_boundaries' AND a.active_version = e.version
    WHERE ST_Intersects(e.geometry, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(polygon)}), 27700))
      AND ST_Area(ST_Intersection(e.geometry, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(polygon)}), 27700))) > 0`;
  return row?.n === 1;
}

/** Sites a quote can be priced for: assessed (in scope) and inside exactly one EDP. */
async function quoteable(sql: Sql, config: Config, candidates: readonly BenchSite[], want: number, signal: AbortSignal): Promise<Polygon[]> {
  const out: Polygon[] = [];
  for (const site of candidates) {
    if (out.length >= want) break;
    const assessment = await runNutrientAssessment({ sql, sites: [toSite(site.polygon)], params: config.nutrient, signal, dwellings: 10 });
    if (assessment.rlbs[0]?.status === 'assessed' && (await inOneEdp(sql, site.polygon))) out.push(site.polygon);
  }
  if (out.length === 0) throw new Error('no candidate site is quoteable (assessed and inside exactly one EDP)');
  return out;
}

function worldGcn(): WorkloadInputs['gcn'] {
  const ponds = {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } },
    features: DEMO_SITES.gcnPonds.map(([x, y, pans, tmp]) => ({ type: 'Feature', properties: { PANS: pans, TmpImp: tmp }, geometry: { type: 'Point', coordinates: [ORIGIN.x + x, ORIGIN.y + y] } })),
  };
  return { boundary: { ext: 'geojson', bytes: geojsonFile(DEMO_SITES.gcnSites) }, ponds: { ext: 'geojson', bytes: Buffer.from(JSON.stringify(ponds)) } };
}

export async function chaosInputs(sql: Sql, config: Config, dataDir: string | null, signal: AbortSignal): Promise<WorkloadInputs & { gcnCentre: [number, number] }> {
  const random = await randomNnSites(sql, 160, 4242, signal);
  const scenarios = dataDir ? scenarioSites(dataDir) : [];
  const fileSites = [...scenarios, ...random];
  const quoteSites = await quoteable(sql, config, [...scenarios, ...random], 30, signal);
  if (dataDir) {
    const pair = await gcnSurveyPair(dataDir);
    return { fileSites, quoteSites, gcn: { boundary: { ext: 'zip', bytes: pair.boundaryZip }, ponds: { ext: 'zip', bytes: pair.pondsZip } }, gcnCentre: await centreOfShapefile(sql, pair.boundaryPath, config, signal) };
  }
  return { fileSites, quoteSites, gcn: worldGcn(), gcnCentre: [ORIGIN.x + 4000, ORIGIN.y + 5500] };
}

async function centreOfShapefile(sql: Sql, file: string, config: Config, signal: AbortSignal): Promise<[number, number]> {
  const sites = (await readBoundaryFromPath(file, { sql, signal, limits: config.input })).sites;
  const [c] = await sql<{ x: number; y: number }[]>`
    SELECT ST_X(c)::float8 AS x, ST_Y(c)::float8 AS y FROM (SELECT ST_Centroid(ST_Collect(ST_GeomFromGeoJSON(j))) AS c
      FROM unnest(${sites.map((s) => JSON.stringify(s.geometry))}::text[]) AS j) s`;
  return [c?.x ?? 0, c?.y ?? 0];
}
