// Direct timings against the database, no queue: the nutrient spatial statements (steps 1–4 of
// nutrient.md §2, each statement timed by the module itself) and the arithmetic, per single site
// and for the 245-site replay; GCN runs through timeGcnAssessment; and one EXPLAIN (ANALYZE,
// BUFFERS) of every spatial statement, captured with auto_explain from the server log.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import type { Config } from '../../lib/config.js';
import type { Sql } from '../../lib/db/sql.js';
import type { Site } from '../../lib/geo/types.js';
import { runSpatialSteps } from '../../lib/assessments/nutrient/spatial.js';
import { calculateNutrient } from '../../lib/assessments/nutrient/calculate.js';
import { legacyDescriber } from '../../lib/assessments/nutrient/index.js';
import { timeGcnAssessment } from '../../lib/assessments/gcn/bench.js';
import type { SurveyPond } from '../../lib/geo/types.js';
import { summarise, type Summary } from './stats.js';
import { toSite, type BenchSite } from './sites.js';

export interface NutrientRunTiming {
  spatialMs: number;
  loadMs: number;
  majorityMs: number;
  piecesMs: number;
  coverageMs: number;
  calculateMs: number;
  pieceRows: number;
}

async function timeNutrient(sql: Sql, config: Config, sites: readonly Site[], dwellingsOf: (site: Site) => number, signal: AbortSignal): Promise<NutrientRunTiming> {
  const started = performance.now();
  const spatial = await runSpatialSteps({ sql, rlbs: sites.map((s) => ({ rlbId: s.rlbId, geometry: s.geometry })), sqlTimeoutMs: config.nutrient.sqlTimeoutMs, signal });
  const spatialMs = performance.now() - started;
  const calcStarted = performance.now();
  calculateNutrient(sites.map((site) => ({
    attributes: { rlbId: site.rlbId, id: null, name: null, dwellingCategory: null, source: null, dwellings: dwellingsOf(site) },
    spatial: spatial.spatial.get(site.rlbId) as NonNullable<ReturnType<typeof spatial.spatial.get>>,
  })), spatial.lookups, config.nutrient);
  const t = spatial.timings;
  let pieceRows = 0;
  for (const s of spatial.spatial.values()) pieceRows += s.pieces.length;
  return {
    spatialMs, loadMs: t.loadMs, majorityMs: t.majorityMs, piecesMs: t.piecesMs, coverageMs: t.coverageMs,
    calculateMs: performance.now() - calcStarted, pieceRows,
  };
}

export interface NutrientSummary {
  runs: number;
  spatial: Summary;
  load: Summary;
  majority: Summary;
  pieces: Summary;
  coverage: Summary;
  calculate: Summary;
  pieceRows: Summary;
}

function summariseRuns(runs: readonly NutrientRunTiming[]): NutrientSummary {
  const of = (key: keyof NutrientRunTiming): Summary => summarise(runs.map((r) => r[key]));
  return { runs: runs.length, spatial: of('spatialMs'), load: of('loadMs'), majority: of('majorityMs'), pieces: of('piecesMs'), coverage: of('coverageMs'), calculate: of('calculateMs'), pieceRows: of('pieceRows') };
}

/** Each site as its own one-RLB run, after `warmup` untimed runs (warm caches and plans). */
export async function timeSingleSites(sql: Sql, config: Config, sites: readonly BenchSite[], signal: AbortSignal, warmup = 5): Promise<NutrientSummary> {
  for (const site of sites.slice(0, warmup)) await timeNutrient(sql, config, [toSite(site.polygon)], () => site.dwellings, signal);
  const runs: NutrientRunTiming[] = [];
  for (const site of sites) runs.push(await timeNutrient(sql, config, [toSite(site.polygon)], () => site.dwellings, signal));
  return summariseRuns(runs);
}

/** The 245-site replay (legacy describer: per-feature Dwellings), `times` runs after one warm-up. */
export async function timeBatch(sql: Sql, config: Config, sites: readonly Site[], signal: AbortSignal, times = 3): Promise<NutrientSummary & { runsMs: number[] }> {
  const describe = legacyDescriber(10);
  const dwellingsOf = (site: Site): number => describe(site).dwellings;
  await timeNutrient(sql, config, sites, dwellingsOf, signal);
  const runs: NutrientRunTiming[] = [];
  for (let i = 0; i < times; i += 1) runs.push(await timeNutrient(sql, config, sites, dwellingsOf, signal));
  return { ...summariseRuns(runs), runsMs: runs.map((r) => Math.round(r.spatialMs + r.calculateMs)) };
}

export async function timeGcn(sql: Sql, config: Config, rlb: Site[], ponds: SurveyPond[] | null, signal: AbortSignal, runs: number): Promise<{ median: number; all: Summary }> {
  const options = { rlb, surveyPonds: ponds, uniqueRef: 'bench', config: config.gcn, sql, signal };
  await timeGcnAssessment(options, 1);
  const timing = await timeGcnAssessment(options, runs);
  return { median: Math.round(timing.medianMs * 10) / 10, all: summarise(timing.runsMs) };
}

export interface ExplainCapture {
  /** Index names the plans scanned (GiST use shows here). */
  indexes: string[];
  /** Plan text of each spatial statement, as auto_explain logged it. */
  plans: string[];
}

/**
 * Runs the spatial steps once on a dedicated connection with auto_explain (ANALYZE, BUFFERS) and
 * returns the plans it wrote to the server log. Nothing of the module is changed or copied.
 */
export async function explainSpatial(databaseUrl: string, logFile: string, config: Config, site: BenchSite, signal: AbortSignal): Promise<ExplainCapture> {
  const offset = statSync(logFile).size;
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql`LOAD 'auto_explain'`;
    await sql`SELECT set_config('auto_explain.log_min_duration', '0', false), set_config('auto_explain.log_analyze', 'on', false),
                     set_config('auto_explain.log_buffers', 'on', false), set_config('auto_explain.log_timing', 'on', false)`;
    await runSpatialSteps({ sql, rlbs: [{ rlbId: 1, geometry: site.polygon }], sqlTimeoutMs: config.nutrient.sqlTimeoutMs, signal });
  } finally {
    await sql.end({ timeout: 5 });
  }
  const text = readFileSync(logFile, 'utf8').slice(offset);
  const plans = text.split(/\n(?=\S.*LOG:\s+duration: )/).filter((p) => /coefficient_layer|wwtw_catchments|nn_catchments|nutrient_rlb/.test(p) && p.includes('Query Text'));
  const indexes = new Set<string>();
  for (const m of text.matchAll(/(?:Index Scan|Index Only Scan|Bitmap Index Scan) (?:using|on) (\S+)/g)) indexes.add(m[1] ?? '');
  return { indexes: [...indexes].sort(), plans: plans.map((p) => p.trim()) };
}

export const serverLogOf = (dataDir: string): string => path.join(dataDir, 'server.log');
