// Where the public test data lives (../shared/data, or NRF_SHARED_DATA). Tests that need it skip
// visibly when it is absent; everything else generates its own inputs.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DATA_DIR = process.env.NRF_SHARED_DATA ?? path.resolve(REPO_ROOT, '../shared/data');

export function hasSharedData(): boolean {
  return existsSync(path.join(SHARED_DATA_DIR, 'reference'));
}

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DATA_DIR, ...parts);
}

/** `{ skip }` option for describe/test: a visible reason when the public data is missing. */
export function needsSharedData(): { skip?: string } {
  return hasSharedData() ? {} : { skip: `public test data not found at ${SHARED_DATA_DIR} (set NRF_SHARED_DATA)` };
}

/** A zip of one shapefile of the public data (`dir/stem.{shp,shx,dbf,prj,cpg}`), as a job's upload. */
export async function zipSharedShapefile(dir: string, stem: string): Promise<Buffer> {
  const zip = new JSZip();
  for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) zip.file(`${stem}.${ext}`, readFileSync(sharedPath(dir, `${stem}.${ext}`)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
