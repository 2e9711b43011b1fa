// Job input files built in memory from the public data (never copied into the repository): zipped
// shapefiles for the GCN survey pair, and the 245-site Broads & Wensum batch as a queue-ready
// GeoJSON file (the queue path refuses the holes that legacy replay accepts, so holes are filled).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import type { Polygon, MultiPolygon } from 'geojson';
import type { Sql } from '../../lib/db/sql.js';
import type { Config } from '../../lib/config.js';
import { readBoundaryFromPath } from '../../lib/input/index.js';
import type { Site } from '../../lib/geo/types.js';

const PARTS = ['shp', 'shx', 'dbf', 'prj', 'cpg'] as const;

export async function zipShapefile(dir: string, stem: string): Promise<Buffer> {
  const zip = new JSZip();
  for (const ext of PARTS) zip.file(`${stem}.${ext}`, readFileSync(path.join(dir, `${stem}.${ext}`)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export interface GcnPair {
  boundaryZip: Buffer;
  pondsZip: Buffer;
  /** Paths for direct (in-process) runs. */
  boundaryPath: string;
  pondsPath: string;
}

export async function gcnSurveyPair(dataDir: string): Promise<GcnPair> {
  const gcn = path.join(dataDir, 'inputs/gcn');
  return {
    boundaryZip: await zipShapefile(path.join(gcn, 'SiteBoundaries'), 'SiteBoundary_00001'),
    pondsZip: await zipShapefile(path.join(gcn, 'SitePonds'), 'SitePonds_00001'),
    boundaryPath: path.join(gcn, 'SiteBoundaries/SiteBoundary_00001.shp'),
    pondsPath: path.join(gcn, 'SitePonds/SitePonds_00001.shp'),
  };
}

export const BATCH_PATH = 'inputs/nutrients/BnW_cleaned_110925/BnW_cleaned_110925.shp';

export interface Batch {
  /** As legacy replay reads it (lenient: holes kept, repeated vertices removed). */
  replaySites: Site[];
  /** The same sites with interior rings dropped, as one GeoJSON file for a queue job. */
  queueFile: Buffer;
}

function withoutHoles(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: geometry.coordinates.slice(0, 1) };
  return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.slice(0, 1)) };
}

export async function broadsWensumBatch(sql: Sql, config: Config, dataDir: string, signal: AbortSignal): Promise<Batch> {
  const read = await readBoundaryFromPath(path.join(dataDir, BATCH_PATH), { sql, keepAttributes: true, lenient: true, signal, limits: config.input });
  const queueFile = Buffer.from(JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } },
    features: read.sites.map((s) => ({ type: 'Feature', properties: {}, geometry: withoutHoles(s.geometry) })),
  }));
  return { replaySites: read.sites, queueFile };
}
