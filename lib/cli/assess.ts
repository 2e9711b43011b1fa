// `bin/worker assess FILE --type nutrient|gcn [--dwellings N] [--survey-ponds FILE] [--ruleset v1|v2]
// [--format json|csv|psv] [--out DIR] [--lenient-geometry]` (DESIGN.md, contracts.md §10): one
// assessment against the configured database, no queue. GCN runs are delegated to assess-gcn.ts.
// Exit status: 0 done, 2 rejected input (coded error JSON on stdout), 1 other coded failure,
// 64 usage, 78 configuration.

import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createSql, type Sql } from '../db/sql.js';
import { JobError } from '../errors.js';
import { readBoundaryFromPath } from '../input/index.js';
import { legacyDescriber, runNutrientAssessment, writeNutrientCsv } from '../assessments/nutrient/index.js';
import { levyModelFor, type LevyResolution } from '../assessments/levy/index.js';
import type { AssessmentResultsDocument } from '../delivery/result-document.js';
import { buildNutrientDocument } from '../jobs/result-document.js';
import { measureSites } from '../jobs/pipeline/measure.js';
import type { NutrientAssessment } from '../assessments/nutrient/types.js';
import type { Site } from '../geo/types.js';
import { artefactBasename, writeBoundariesZip, type BoundaryFeature } from './boundaries-zip.js';
import { parseArgs, reportConfigError } from './common.js';

export interface AssessCliOptions {
  file: string;
  type: 'nutrient' | 'gcn';
  /** `--dwellings`: the count for features without a `Dwellings` attribute. */
  dwellings: number | null;
  surveyPonds: string | null;
  /** `--ruleset`, already applied to `config.nutrient.ruleset`. */
  ruleset: 'v1' | 'v2' | null;
  format: 'json' | 'csv' | 'psv';
  outDir: string | null;
  /** `--lenient-geometry`: holes accepted, repeated vertices removed (contracts.md §10). */
  lenient: boolean;
  config: Config;
  signal: AbortSignal;
  /** Where the result JSON (or the coded error) is printed. */
  stdout: (text: string) => void;
}

const USAGE = 'Usage: bin/worker assess FILE --type nutrient|gcn [--dwellings N] [--survey-ponds FILE] [--ruleset v1|v2] [--format json|csv|psv] [--out DIR] [--lenient-geometry]';
const CONFIG_OPTIONAL = ['SQS_QUEUE_URL', 'AWS_S3_INPUT_BUCKET', 'BACKEND_BASE_URL'] as const;

class UsageError extends Error {}

function parseFlags(args: string[]): Omit<AssessCliOptions, 'config' | 'signal' | 'stdout'> {
  let parsed;
  try {
    parsed = parseArgs(args, ['lenient-geometry']);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positional, flags } = parsed;
  const known = new Set(['type', 'dwellings', 'survey-ponds', 'ruleset', 'format', 'out', 'lenient-geometry']);
  for (const key of flags.keys()) if (!known.has(key)) throw new UsageError(`unknown flag --${key}`);
  const text = (key: string): string | null => {
    const value = flags.get(key);
    return typeof value === 'string' ? value : null;
  };
  const file = positional[0];
  if (file === undefined || positional.length > 1) throw new UsageError('exactly one FILE is required');
  const type = text('type');
  if (type !== 'nutrient' && type !== 'gcn') throw new UsageError('--type must be nutrient or gcn');
  const dwellingsText = text('dwellings');
  if (dwellingsText !== null && !/^\d+$/.test(dwellingsText)) throw new UsageError('--dwellings must be a whole number >= 0');
  const ruleset = text('ruleset');
  if (ruleset !== null && ruleset !== 'v1' && ruleset !== 'v2') throw new UsageError('--ruleset must be v1 or v2');
  const format = text('format') ?? 'json';
  if (format !== 'json' && format !== 'csv' && format !== 'psv') throw new UsageError('--format must be json, csv or psv');
  if (format === 'csv' && type !== 'nutrient') throw new UsageError('--format csv is for --type nutrient');
  if (format === 'psv' && type !== 'gcn') throw new UsageError('--format psv is for --type gcn');
  return {
    file,
    type,
    dwellings: dwellingsText === null ? null : Number(dwellingsText),
    surveyPonds: text('survey-ponds'),
    ruleset,
    format,
    outDir: text('out'),
    lenient: flags.get('lenient-geometry') === true,
  };
}

export async function assessCommand(args: string[]): Promise<number> {
  let flags;
  try {
    flags = parseFlags(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 64;
  }
  const loaded = reportConfigError(() => loadConfig(process.env, { role: 'cli', optional: CONFIG_OPTIONAL }));
  if (!loaded) return 78;
  const config: Config = flags.ruleset === null ? loaded : { ...loaded, nutrient: { ...loaded.nutrient, ruleset: flags.ruleset } };
  const options: AssessCliOptions = { ...flags, config, signal: new AbortController().signal, stdout: (t) => void process.stdout.write(t) };
  if (options.type === 'gcn') {
    // Lazy: the GCN code is loaded only for GCN runs.
    const { runGcnAssess } = await import('./assess-gcn.js');
    return runGcnAssess(options);
  }
  return runNutrientAssess(options);
}

/** Prints the §6 envelope; input rejections exit 2, other coded failures 1. */
export function reportJobError(error: JobError, stdout: (text: string) => void): number {
  stdout(`${JSON.stringify({ error: error.toEnvelope() })}\n`);
  return error.kind === 'input' ? 2 : 1;
}

export async function runNutrientAssess(options: AssessCliOptions): Promise<number> {
  const sql = createSql(options.config.db, { applicationName: 'nrf-impact-worker/assess', max: 2 });
  try {
    const run = await assessNutrient(options, sql);
    const json = `${JSON.stringify(run.document, null, 2)}\n`;
    if (options.outDir === null) {
      options.stdout(options.format === 'csv' ? writeNutrientCsv(run.assessment.rlbs) : json);
      return 0;
    }
    const written = await writeArtefacts(options, run, json);
    options.stdout(`${JSON.stringify({ written })}\n`);
    return 0;
  } catch (error) {
    if (error instanceof JobError) return reportJobError(error, options.stdout);
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

interface NutrientCliRun {
  sites: Site[];
  assessment: NutrientAssessment;
  levy: Map<number, LevyResolution | null>;
  document: AssessmentResultsDocument;
}

/** The single value every RLB shares, else null (a batch of different developments). */
function common<T>(values: readonly T[]): T | null {
  const first = values[0];
  return first !== undefined && values.every((v) => v === first) ? first : null;
}

async function assessNutrient(options: AssessCliOptions, sql: Sql): Promise<NutrientCliRun> {
  const startedAt = new Date();
  const { signal } = options;
  const t0 = performance.now();
  const boundary = await readBoundaryFromPath(options.file, { sql, keepAttributes: true, lenient: options.lenient, signal, limits: options.config.input });
  const validateMs = Math.round(performance.now() - t0);
  const assessment = await runNutrientAssessment({ sql, sites: boundary.sites, describe: legacyDescriber(options.dwellings), params: options.config.nutrient, signal });
  const assessMs = Math.round(performance.now() - t0) - validateMs;
  const levy = await priceLevy(sql, boundary.sites, assessment, startedAt, signal);
  const levyMs = Math.round(performance.now() - t0) - validateMs - assessMs;
  const measures = await measureSites(sql, boundary.sites, signal);
  const finishedAt = new Date();
  const records = assessment.rlbs.map((r) => r.record);
  const document = buildNutrientDocument({
    jobId: 'cli',
    assessmentType: 'nutrient',
    job: {
      developmentName: common(records.map((r) => r.Name)),
      dwellingType: common(records.map((r) => r.Dwel_Cat)),
      numberOfDwellings: common(records.map((r) => r.Dwellings)),
      submittedAt: startedAt.toISOString(),
      input: { bucket: null, key: path.basename(options.file), format: boundary.info.format === 'inline' ? null : boundary.info.format, bytes: boundary.info.bytes, sha256: boundary.info.sha256 },
      surveyPonds: null,
    },
    correlationId: randomUUID().replace(/-/g, ''),
    serviceVersion: options.config.serviceVersion,
    timings: {
      receivedAt: startedAt.toISOString(),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      phasesMs: { download: 0, validate: validateMs, assess: assessMs, levy: levyMs },
    },
    warnings: [...boundary.warnings.map((w) => ({ code: w.code, message: w.message })), ...levy.warnings],
  }, { sites: boundary.sites, measures, assessment, levy: levy.byRlb });
  return { sites: boundary.sites, assessment, levy: levy.byRlb, document };
}

/**
 * The levy per RLB, priced with that RLB's dwellings as the queue path prices a file job
 * (levy.md): an RLB in no EDP or in several gets a null levy and `levy_edp_unresolved`.
 */
async function priceLevy(sql: Sql, sites: readonly Site[], assessment: NutrientAssessment, date: Date, signal: AbortSignal): Promise<{ byRlb: Map<number, LevyResolution | null>; warnings: { code: string; message: string; rlbId: number }[] }> {
  const model = levyModelFor('nutrient');
  const byRlb = new Map<number, LevyResolution | null>();
  const warnings: { code: string; message: string; rlbId: number }[] = [];
  const dwellings = new Map(assessment.rlbs.map((r) => [r.rlbId, r.record.Dwellings]));
  for (const site of sites) {
    try {
      byRlb.set(site.rlbId, model ? await model.resolve({ sql, site, units: dwellings.get(site.rlbId) ?? 0, calculationDate: date, signal }) : null);
    } catch (error) {
      if (!(error instanceof JobError) || error.code !== 'levy_edp_unresolved') throw error;
      byRlb.set(site.rlbId, null);
      warnings.push({ code: 'levy_edp_unresolved', message: 'The site does not lie in exactly one Environmental Delivery Plan area, so no levy was calculated for it.', rlbId: site.rlbId });
    }
  }
  return { byRlb, warnings };
}

async function writeArtefacts(options: AssessCliOptions, run: NutrientCliRun, json: string): Promise<string[]> {
  const dir = options.outDir as string;
  const basename = artefactBasename(options.file);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, data: string | Buffer): Promise<void> => {
    const file = path.join(dir, name);
    await writeFile(file, data);
    written.push(file);
  };
  if (options.format === 'csv') await put(`${basename}_nutrients.csv`, writeNutrientCsv(run.assessment.rlbs));
  await put(`${basename}_result.json`, json);
  await put(`${basename}_boundaries.zip`, await writeBoundariesZip(nutrientBoundaryFeatures(run.sites, run.assessment, run.levy), basename));
  return written;
}

/** The §10 attribute table for a nutrient run (GCN columns null). */
export function nutrientBoundaryFeatures(sites: readonly Site[], assessment: NutrientAssessment, levy: ReadonlyMap<number, LevyResolution | null> = new Map(), jobId = 'cli'): BoundaryFeature[] {
  const byId = new Map(assessment.rlbs.map((r) => [r.rlbId, r]));
  return [...sites].sort((a, b) => a.rlbId - b.rlbId).map((site) => {
    const result = byId.get(site.rlbId);
    const r = result?.record;
    const assessed = result?.status === 'assessed';
    return {
      geometry: site.geometry,
      attributes: {
        RLB_ID: site.rlbId,
        JOB_ID: jobId,
        NAME: r?.Name ?? null,
        AREA_HA: r?.Dev_Area_Ha ?? 0,
        STATUS: result?.status ?? 'out_of_scope',
        N_TOTAL: assessed && r ? r.N_Total : null,
        P_TOTAL: assessed && r ? r.P_Total : null,
        WWTW_ID: r?.Majority_WwTw_ID ?? null,
        WWTW_NAME: r?.WwTW_name ?? null,
        NN_CATCH: result && result.catchments.length > 0 ? result.catchments.map((c) => c.label).join('; ') : null,
        EDP_ID: levy.get(site.rlbId)?.edpId ?? null,
        LEVY_GBP: levy.get(site.rlbId)?.levyGbp.amountInflationAdjusted ?? null,
        RED_M2: null,
        AMBER_M2: null,
        GREEN_M2: null,
      },
    };
  });
}
