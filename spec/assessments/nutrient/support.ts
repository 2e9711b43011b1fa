// Shared set-up of the nutrient database specs: a clone of the template (fixtures + the `test`
// coefficient layer), boundaries read through lib/input, and runs of the real module.

import type { NutrientConfig } from '../../../lib/config.js';
import type { Sql } from '../../../lib/db/sql.js';
import type { Site } from '../../../lib/geo/types.js';
import { readBoundaryFromPath } from '../../../lib/input/index.js';
import { legacyDescriber, runNutrientAssessment, type NutrientRun } from '../../../lib/assessments/nutrient/index.js';
import { loadSyntheticCoefficients } from '../../../lib/reference/generator/load.js';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { params } from './fixtures.js';

export { params };

export const INPUT_LIMITS = {
  maxFileBytes: 2_097_152, maxInputBytes: 50_000_000, zipMaxEntries: 10, zipMaxRawEntries: 50,
  zipMaxEntryBytes: 20_971_520, zipMaxTotalBytes: 20_971_520, zipMaxCompressionRatio: 100,
};

export async function activeVersion(sql: Sql, table: string): Promise<number | null> {
  const rows = await sql<{ v: number }[]>`SELECT active_version AS v FROM data_active_version WHERE table_name = ${table}`;
  return rows[0]?.v ?? null;
}

/**
 * A private database with the fixtures and a coefficient layer: the template's `test` layer, or
 * the given preset loaded (and activated) into the clone.
 */
export async function nutrientDb(preset: 'test' | 'test-urban' = 'test'): Promise<TestDatabase> {
  const db = await cloneTemplate();
  try {
    const hasLayer = (await activeVersion(db.sql, 'coefficient_layer')) !== null;
    if (preset !== 'test' || !hasLayer) {
      await loadSyntheticCoefficients(db.sql, { preset, within: 'nn_catchments', signal: AbortSignal.timeout(600_000) });
    }
    return db;
  } catch (error) {
    await db.drop();
    throw error;
  }
}

export async function readSites(sql: Sql, file: string, lenient = false): Promise<Site[]> {
  const result = await readBoundaryFromPath(file, { sql, keepAttributes: true, lenient, signal: AbortSignal.timeout(120_000), limits: INPUT_LIMITS });
  return result.sites;
}

/** Legacy replay (§4.2) of the given sites with the given parameters. */
export function assess(sql: Sql, sites: readonly Site[], overrides: Partial<NutrientConfig> = {}, dwellings: number | null = null): Promise<NutrientRun> {
  return runNutrientAssessment({ sql, sites, describe: legacyDescriber(dwellings), params: params(overrides), signal: AbortSignal.timeout(300_000) });
}

/** Numeric comparison of §12.1: null ⇒ 0; 0.01 absolute, and 2 % relative where |expected| ≥ 0.1. */
export function withinTolerance(actual: number | null, expected: number | null): boolean {
  const a = actual ?? 0;
  const e = expected ?? 0;
  const diff = Math.abs(a - e);
  if (diff > 0.01 + 1e-9) return false;
  return Math.abs(e) < 0.1 || diff / Math.abs(e) <= 0.02;
}
