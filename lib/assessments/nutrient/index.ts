// The nutrient assessment (nutrient.md): PostGIS steps 1–4, then the arithmetic of steps 5–10.
// Callers: the job pipeline (file and quote jobs) and `bin/worker assess`.

import type { NutrientConfig } from '../../config.js';
import type { Sql } from '../../db/sql.js';
import type { Site } from '../../geo/types.js';
import { calculateNutrient } from './calculate.js';
import { runSpatialSteps, type SpatialTimings } from './spatial.js';
import type { LookupCache } from '../../reference/repository.js';
import type { NutrientAssessment, RlbAttributes } from './types.js';

export type { NutrientAssessment, NutrientRecord, NutrientRlbResult, NutrientWarning, RlbStatus, OutOfScopeReason } from './types.js';
export { writeNutrientCsv } from './csv.js';
export { toResultRlbNutrient, toQuoteCatchments, summariseNutrient } from './result.js';
export { legacyDescriber } from './legacy.js';

/** The reporting fields and dwellings of one RLB (nutrient.md §4), minus its number. */
export type RlbDescription = Omit<RlbAttributes, 'rlbId'>;

/** Job-level reporting fields (§4 table): `id` is the job id (file job) or the quote reference. */
export interface NutrientJobFields {
  id: string | null;
  name?: string | null;
  dwellingCategory?: string | null;
  source?: string | null;
}

export interface RunNutrientOptions {
  sql: Sql;
  sites: readonly Site[];
  params: NutrientConfig;
  signal: AbortSignal;
  /** The job's dwellings, for every RLB (file and quote jobs). */
  dwellings?: number;
  /** Per-RLB dwellings; wins over `dwellings`. */
  dwellingsFor?: (site: Site) => number;
  job?: NutrientJobFields;
  /** Full per-RLB description; wins over everything above (legacy replay: `legacyDescriber`). */
  describe?: (site: Site) => RlbDescription;
  lookupCache?: LookupCache | null;
}

export interface NutrientRun extends NutrientAssessment {
  timings: SpatialTimings & { calculateMs: number };
}

function describerOf(options: RunNutrientOptions): (site: Site) => RlbDescription {
  if (options.describe) return options.describe;
  const job = options.job ?? { id: null };
  return (site) => {
    const dwellings = options.dwellingsFor ? options.dwellingsFor(site) : options.dwellings;
    // The edge validates dwellings (contracts.md §3); reaching here without them is a bug.
    if (dwellings === undefined || !Number.isSafeInteger(dwellings) || dwellings < 0) {
      throw new TypeError(`nutrient assessment needs an integer dwellings count >= 0 for RLB ${site.rlbId}`);
    }
    return {
      id: blankToNull(job.id),
      name: blankToNull(job.name),
      dwellingCategory: blankToNull(job.dwellingCategory),
      source: blankToNull(job.source),
      dwellings,
    };
  };
}

/** Text attributes that are empty or whitespace-only become null (§4). */
export function blankToNull(value: string | null | undefined): string | null {
  return value === null || value === undefined || value.trim() === '' ? null : value;
}

export async function runNutrientAssessment(options: RunNutrientOptions): Promise<NutrientRun> {
  const { params, signal } = options;
  // Describe first: a missing dwellings count fails before any database work.
  const describe = describerOf(options);
  const described = options.sites.map((site) => ({ site, attributes: { rlbId: site.rlbId, ...describe(site) } }));
  const spatial = await runSpatialSteps({
    sql: options.sql,
    rlbs: options.sites.map((s) => ({ rlbId: s.rlbId, geometry: s.geometry })),
    sqlTimeoutMs: params.sqlTimeoutMs,
    signal,
    lookupCache: options.lookupCache ?? null,
  });
  signal.throwIfAborted();
  const started = performance.now();
  const rlbs = calculateNutrient(
    described.map((d) => ({ attributes: d.attributes, spatial: spatial.spatial.get(d.site.rlbId) as NonNullable<ReturnType<typeof spatial.spatial.get>> })),
    spatial.lookups,
    params,
  );
  const calculateMs = Math.round((performance.now() - started) * 10) / 10;
  return {
    rlbs,
    dataVersions: { ...spatial.versions },
    parameters: parametersOf(params),
    modelVersions: { nutrientRules: params.ruleset === 'v1' ? 'V1' : 'V2' },
    warnings: rlbs.flatMap((r) => r.record.warnings.map((w) => ({ code: w.code, message: w.message, rlbId: r.rlbId }))),
    timings: { ...spatial.timings, calculateMs },
  };
}

/** The effective values, echoed in the result as `parameters` (§3). */
export function parametersOf(params: NutrientConfig): Record<string, number | string> {
  return {
    ruleset: params.ruleset,
    wwtwPermitFactor: params.wwtwPermitFactor,
    bufferPercent: params.bufferPercent,
    fallbackWwtwId: params.fallbackWwtwId,
    fallbackWwtwName: params.fallbackWwtwName,
    fallbackLpa: params.fallbackLpa,
    sudsRemovalPercent: params.sudsRemovalPercent,
    sudsFlowCapturePercent: params.sudsFlowCapturePercent,
    sudsThresholdDwellings: params.sudsThresholdDwellings,
    greenspaceThresholdHa: params.greenspaceThresholdHa,
    greenspacePercent: params.greenspacePercent,
    greenspaceNCoeff: params.greenspaceNCoeff,
    greenspacePCoeff: params.greenspacePCoeff,
    daysPerYear: params.daysPerYear,
    sqlTimeoutMs: params.sqlTimeoutMs,
  };
}
