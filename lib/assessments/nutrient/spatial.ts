// Steps 1–4 of nutrient.md §2 in one REPEATABLE READ transaction: versions resolved once, the RLBs
// loaded once, then the majority, pieces, coverage and catchment statements against that snapshot.
// Reference geometry never leaves PostgreSQL; the statement timeout is NUTRIENT_SQL_TIMEOUT_MS.

import type { Sql } from '../../db/sql.js';
import { withDbRetry } from '../../db/retry.js';
import { getRatesLookup, getWwtwLookup, type LookupCache } from '../../reference/repository.js';
import { selectCatchments, selectCoverage } from './sql/coverage.js';
import { selectMajorities } from './sql/majority.js';
import { selectPieces } from './sql/pieces.js';
import { createNnClipTable, createRlbTable, type RlbGeometry } from './sql/rlb-table.js';
import { cancellable } from '../../db/cancel.js';
import { resolveNutrientVersions, type NutrientVersions } from './sql/versions.js';
import type { NutrientLookups, RlbSpatial } from './types.js';

export interface SpatialTimings {
  versionsMs: number;
  loadMs: number;
  majorityMs: number;
  piecesMs: number;
  coverageMs: number;
  lookupsMs: number;
}

export interface SpatialResult {
  versions: NutrientVersions;
  spatial: Map<number, RlbSpatial>;
  lookups: NutrientLookups;
  timings: SpatialTimings;
}

export interface SpatialOptions {
  sql: Sql;
  rlbs: readonly RlbGeometry[];
  sqlTimeoutMs: number;
  signal: AbortSignal;
  lookupCache?: LookupCache | null;
}

export async function runSpatialSteps(options: SpatialOptions): Promise<SpatialResult> {
  const { sql, rlbs, signal } = options;
  return withDbRetry(
    () =>
      sql.begin('isolation level repeatable read', async (tx) => {
        const clock = stopwatch();
        // Bound parameters through set_config (SET cannot take one). Custom plans let the planner
        // match `version = <v>` against the partial GiST index of the coefficient layer; JIT costs
        // far more to compile than these index-driven statements take to run.
        await cancellable(
          tx`SELECT set_config('statement_timeout', ${String(options.sqlTimeoutMs)}, true),
                    set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true)`,
          signal,
        );
        const versions = await resolveNutrientVersions(tx, signal);
        const versionsMs = clock();
        const areas = await createRlbTable(tx, rlbs, signal);
        await createNnClipTable(tx, versions.nn_catchments, signal);
        const loadMs = clock();
        const majorities = await selectMajorities(tx, versions, signal);
        const majorityMs = clock();
        const pieces = await selectPieces(tx, versions.coefficient_layer, signal);
        const piecesMs = clock();
        const coverage = await selectCoverage(tx, signal);
        const catchments = await selectCatchments(tx, signal);
        const coverageMs = clock();
        // Read in this snapshot; a version already in the worker's cache is not read again (§5.5).
        const cache = options.lookupCache ?? undefined;
        const lookups: NutrientLookups = {
          wwtw: await getWwtwLookup(tx, versions.wwtw_lookup, { cache, signal }),
          rates: await getRatesLookup(tx, versions.rates_lookup, { cache, signal }),
        };
        const lookupsMs = clock();
        const spatial = new Map<number, RlbSpatial>();
        for (const rlb of rlbs) {
          const m = majorities.get(rlb.rlbId);
          spatial.set(rlb.rlbId, {
            rlbId: rlb.rlbId,
            shapeAreaM2: areas.get(rlb.rlbId) ?? 0,
            wwtw: m?.wwtw ?? null,
            lpa: m?.lpa ?? null,
            subcatchment: m?.subcatchment ?? null,
            pieces: pieces.get(rlb.rlbId) ?? [],
            coverageHa: coverage.get(rlb.rlbId) ?? 0,
            catchments: catchments.get(rlb.rlbId) ?? [],
          });
        }
        return { versions, spatial, lookups, timings: { versionsMs, loadMs, majorityMs, piecesMs, coverageMs, lookupsMs } };
      }),
    { signal },
  );
}

function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    return Math.round(elapsed * 10) / 10;
  };
}
