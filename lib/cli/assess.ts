// `bin/worker assess FILE --type nutrient|gcn [--dwellings N] [--survey-ponds FILE] [--ruleset v1|v2]
// [--format json|csv|psv] [--out DIR] [--lenient-geometry]` (DESIGN.md, contracts.md §10): one
// assessment against the configured database, no queue. GCN runs are delegated to assess-gcn.ts.
// Exit status: 0 done, 2 rejected input (coded error JSON on stdout), 1 other coded failure,
// 64 usage, 78 configuration.

import { loadConfig, type Config } from '../config.js';
import type { Sql } from '../db/sql.js';
import { readBoundaryFromPath } from '../input/index.js';
import { legacyDescriber, runNutrientAssessment, writeNutrientCsv } from '../assessments/nutrient/index.js';
import { leviesByRlb, levyModelFor, type LeviesByRlb, type LevyResolution } from '../assessments/levy/index.js';
import type { AssessmentResultsDocument } from '../delivery/result-document.js';
import { buildNutrientDocument } from '../jobs/result-document.js';
import { measureSites } from '../jobs/pipeline/measure.js';
import type { NutrientAssessment } from '../assessments/nutrient/types.js';
import type { Site } from '../geo/types.js';
import type { BoundaryFeature } from './boundaries-zip.js';
import { cliDocumentContext, cliFileInfo, runCliAssessment, sharedValue, type AssessCliOptions } from './assess-run.js';
import { parseArgs, reportConfigError } from './common.js';

export type { AssessCliOptions } from './assess-run.js';

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

export async function runNutrientAssess(options: AssessCliOptions): Promise<number> {
  return runCliAssessment(options, (sql) => assessNutrient(options, sql), {
    stdout: (run, json) => (options.format === 'csv' ? writeNutrientCsv(run.assessment.rlbs) : json),
    tables: (run, basename) => (options.format === 'csv' ? [[`${basename}_nutrients.csv`, writeNutrientCsv(run.assessment.rlbs)]] : []),
    boundaryFeatures: (run) => nutrientBoundaryFeatures(run.sites, run.assessment, run.levy),
  });
}

interface NutrientCliRun {
  sites: Site[];
  assessment: NutrientAssessment;
  levy: Map<number, LevyResolution | null>;
  document: AssessmentResultsDocument;
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
  const records = assessment.rlbs.map((r) => r.record);
  const document = buildNutrientDocument(cliDocumentContext(options.config, {
    assessmentType: 'nutrient',
    startedAt,
    job: {
      developmentName: sharedValue(records.map((r) => r.Name)),
      dwellingType: sharedValue(records.map((r) => r.Dwel_Cat)),
      numberOfDwellings: sharedValue(records.map((r) => r.Dwellings)),
      input: cliFileInfo(options.file, boundary.info),
      surveyPonds: null,
    },
    phasesMs: { download: 0, validate: validateMs, assess: assessMs, levy: levyMs },
    warnings: [...boundary.warnings.map((w) => ({ code: w.code, message: w.message })), ...levy.warnings],
  }), { sites: boundary.sites, measures, assessment, levy: levy.byRlb });
  return { sites: boundary.sites, assessment, levy: levy.byRlb, document };
}

/**
 * The levy per RLB, priced with that RLB's dwellings as the queue path prices a file job
 * (levy.md): an RLB in no EDP or in several gets a null levy and `levy_edp_unresolved`.
 */
async function priceLevy(sql: Sql, sites: readonly Site[], assessment: NutrientAssessment, date: Date, signal: AbortSignal): Promise<LeviesByRlb> {
  const model = levyModelFor('nutrient');
  if (!model) return { byRlb: new Map(sites.map((s) => [s.rlbId, null])), warnings: [] };
  const dwellings = new Map(assessment.rlbs.map((r) => [r.rlbId, r.record.Dwellings]));
  return leviesByRlb(sites, await model.resolveMany({ sql, sites, units: (site) => dwellings.get(site.rlbId) ?? 0, calculationDate: date, signal }));
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
