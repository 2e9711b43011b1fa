// Builds `impact_template`: PostGIS, every migration, and (when the public data is present) the
// reference fixtures loaded and activated exactly as `bin/worker load-data --activate` would.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { migrate } from '../../lib/db/migrate.js';
import { loadReferenceFiles } from '../../lib/reference/loader.js';
import { describeFailures } from '../../lib/reference/report.js';
import { loadSyntheticCoefficients } from '../../lib/reference/generator/load.js';
import { hasSharedData, sharedPath } from './data.js';

export const TEMPLATE_DB = 'impact_template';

/** Every file of shared/data/reference that the loader takes (lookups, CSV, GeoPackages). */
export function referenceFixtureFiles(): string[] {
  const dir = sharedPath('reference');
  return readdirSync(dir).filter((f) => /\.(gpkg|sqlite|csv)$/i.test(f)).sort().map((f) => path.join(dir, f));
}

export async function buildTemplate(adminUrl: string, log: (line: string) => void = () => undefined): Promise<void> {
  const started = performance.now();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const url = adminUrl.replace(/\/[^/]*$/, `/${TEMPLATE_DB}`);
  const sql = postgres(url, { max: 2, onnotice: () => undefined });
  try {
    const result = await migrate(sql);
    log(`template: ${result.applied.length} migrations applied`);
    if (!hasSharedData()) {
      log('template: public data absent, reference tables left empty');
      return;
    }
    const loadStarted = performance.now();
    const reports = await loadReferenceFiles(sql, referenceFixtureFiles(), { activate: true });
    const failures = describeFailures(reports);
    if (failures.length > 0 || reports.some((r) => !r.activated)) throw new Error(`template fixtures failed QC: ${failures.join('; ')}`);
    log(`template: ${reports.length} reference tables loaded and activated in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
    // Preset `test` (nutrient.md §11.4): 100,000 hexagons within the fixture NN catchments, seed 27700.
    const synthetic = await loadSyntheticCoefficients(sql, { preset: 'test', within: sharedPath('reference', 'nn_catchments.gpkg') });
    if (!synthetic.report.activated) throw new Error(`template coefficient layer failed QC: ${describeFailures([synthetic.report]).join('; ')}`);
    log(`template: coefficient_layer preset test (${synthetic.report.rows} rows, sha256 ${synthetic.manifest.sha256.slice(0, 12)}…) in ${synthetic.seconds.toFixed(1)} s`);
  } finally {
    await sql.end();
  }
  log(`template: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
