// Builds `impact_template`: PostGIS, every migration, and (when the public data is present) the
// reference fixtures loaded and activated exactly as `bin/worker load-data --activate` would.

import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { migrate } from '../../lib/db/migrate.js';
import { loadReferenceFiles } from '../../lib/reference/loader.js';
import { describeFailures } from '../../lib/reference/report.js';
import { loadSyntheticCoefficients } from '../../lib/reference/generator/load.js';
import { hasSharedData, sharedPath } from './data.js';
import { writeSyntheticWorld } from '../../demo/world.js';

export const TEMPLATE_DB = 'impact_template';

/** Every file of shared/data/reference that the loader takes (lookups, CSV, GeoPackages). */
export function referenceFixtureFiles(): string[] {
  const dir = sharedPath('reference');
  return readdirSync(dir).filter((f) => /\.(gpkg|sqlite|csv)$/i.test(f)).sort().map((f) => path.join(dir, f));
}

/**
 * Without the public data, every reference table still gets an active version: the demo's
 * synthetic world through the real loader, so specs that need "some" reference data run anyway
 * (specs that need the Natural England fixtures skip through needsSharedData()).
 */
async function loadSyntheticWorld(sql: postgres.Sql, log: (line: string) => void): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nrf-template-world-'));
  try {
    const reports = await loadReferenceFiles(sql, await writeSyntheticWorld(dir), { activate: true });
    const failures = describeFailures(reports);
    if (failures.length > 0 || reports.some((r) => !r.activated)) throw new Error(`synthetic world failed QC: ${failures.join('; ')}`);
    const synthetic = await loadSyntheticCoefficients(sql, { within: 'nn_catchments', parcels: 8_000 });
    if (!synthetic.report.activated) throw new Error(`synthetic coefficient layer failed QC: ${describeFailures([synthetic.report]).join('; ')}`);
    log(`template: public data absent; synthetic reference world loaded (${reports.length} tables, ${synthetic.report.rows} parcels)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
      await loadSyntheticWorld(sql, log);
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
