// Where the public test data lives (../shared/data, or NRF_SHARED_DATA). Tests that need it skip
// visibly when it is absent; everything else generates its own inputs.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
