// The two lookups of nutrient.md §5.3–5.4 at their active versions, read inside the job's snapshot.
// Values come from the loader's parsed columns; the raw text kept beside them tells which cells
// were non-blank but unparseable (§7.2), so a used row can raise `lookup_value_unparseable`.

import { parseLenient } from '../numbers.js';
import type { LookupIssue, NutrientLookups, RatesLookupRow, WwtwLookupRow } from '../types.js';
import { cancellable } from '../../../db/cancel.js';
import type { Tx } from './tx.js';

interface WwtwRow {
  wwtw_code: number | null;
  wwtw_name: string | null;
  wwtw_subcatchment: string | null;
  n_temp: number | null;
  n_perm: number | null;
  p_temp: number | null;
  p_perm: number | null;
  raw: Record<string, unknown> | null;
}

interface RatesRow {
  nn_catchment: string | null;
  occupancy_rate: number | null;
  water_usage: number | null;
  raw: Record<string, unknown> | null;
}

/** Raw keys: the SQLite source column, else the internal name (whichever the loader kept). */
function issuesOf(raw: Record<string, unknown> | null, columns: readonly (readonly [string, string])[]): LookupIssue[] {
  if (raw === null) return [];
  const issues: LookupIssue[] = [];
  for (const [source, internal] of columns) {
    const value = source in raw ? raw[source] : raw[internal];
    const parsed = parseLenient(value);
    if (parsed.issue !== null) issues.push({ column: source, raw: parsed.issue });
  }
  return issues;
}

const WWTW_COLUMNS = [
  ['Nitrogen_2025_2030', 'nitrogen_conc_2025_2030_mg_l'],
  ['Nitrogen_2030_onwards', 'nitrogen_conc_2030_onwards_mg_l'],
  ['Phosphorus_2025_2030', 'phosphorus_conc_2025_2030_mg_l'],
  ['Phosphorus_2030_onwards', 'phosphorus_conc_2030_onwards_mg_l'],
] as const;

const RATES_COLUMNS = [
  ['Occ_Rate', 'occupancy_rate'],
  ['Water_Usage_L_Day', 'water_usage_l_per_person_day'],
] as const;

export async function readWwtwLookup(tx: Tx, version: number, signal: AbortSignal): Promise<Map<number, WwtwLookupRow>> {
  const rows = await cancellable(
    tx<WwtwRow[]>`
      SELECT wwtw_code, wwtw_name, wwtw_subcatchment,
             nitrogen_conc_2025_2030_mg_l AS n_temp, nitrogen_conc_2030_onwards_mg_l AS n_perm,
             phosphorus_conc_2025_2030_mg_l AS p_temp, phosphorus_conc_2030_onwards_mg_l AS p_perm, raw
      FROM wwtw_lookup WHERE version = ${version} AND wwtw_code IS NOT NULL
      ORDER BY row_index`,
    signal,
  );
  const wwtw = new Map<number, WwtwLookupRow>();
  for (const row of rows) {
    if (row.wwtw_code === null || wwtw.has(row.wwtw_code)) continue; // first row_index wins (Q9)
    wwtw.set(row.wwtw_code, {
      code: row.wwtw_code,
      name: row.wwtw_name,
      subcatchment: row.wwtw_subcatchment,
      nitrogen20252030: row.n_temp,
      nitrogen2030Onwards: row.n_perm,
      phosphorus20252030: row.p_temp,
      phosphorus2030Onwards: row.p_perm,
      issues: issuesOf(row.raw, WWTW_COLUMNS),
    });
  }
  return wwtw;
}

export async function readRatesLookup(tx: Tx, version: number, signal: AbortSignal): Promise<Map<string, RatesLookupRow>> {
  const rows = await cancellable(
    tx<RatesRow[]>`
      SELECT nn_catchment, occupancy_rate, water_usage_l_per_person_day AS water_usage, raw
      FROM rates_lookup WHERE version = ${version} AND nn_catchment IS NOT NULL
      ORDER BY row_index`,
    signal,
  );
  const rates = new Map<string, RatesLookupRow>();
  for (const row of rows) {
    if (row.nn_catchment === null || rates.has(row.nn_catchment)) continue; // first row wins
    rates.set(row.nn_catchment, {
      nnCatchment: row.nn_catchment,
      occupancyRate: row.occupancy_rate,
      waterUsage: row.water_usage,
      issues: issuesOf(row.raw, RATES_COLUMNS),
    });
  }
  return rates;
}

/**
 * The in-process lookup cache of §5.5, keyed by (table, version): a version's rows never change,
 * so a job only reads a lookup when its active version is new to this process. Create one per
 * worker and pass it to every job; nothing else is cached across jobs.
 */
export interface LookupCache {
  wwtw: Map<number, Promise<Map<number, WwtwLookupRow>>>;
  rates: Map<number, Promise<Map<string, RatesLookupRow>>>;
}

export function createLookupCache(): LookupCache {
  return { wwtw: new Map(), rates: new Map() };
}

export async function readLookups(
  tx: Tx,
  versions: { wwtw_lookup: number; rates_lookup: number },
  signal: AbortSignal,
  cache: LookupCache | null = null,
): Promise<NutrientLookups> {
  if (cache === null) {
    return { wwtw: await readWwtwLookup(tx, versions.wwtw_lookup, signal), rates: await readRatesLookup(tx, versions.rates_lookup, signal) };
  }
  return {
    wwtw: await cached(cache.wwtw, versions.wwtw_lookup, () => readWwtwLookup(tx, versions.wwtw_lookup, signal)),
    rates: await cached(cache.rates, versions.rates_lookup, () => readRatesLookup(tx, versions.rates_lookup, signal)),
  };
}

async function cached<T>(map: Map<number, Promise<T>>, version: number, read: () => Promise<T>): Promise<T> {
  const hit = map.get(version);
  if (hit) return hit;
  const pending = read();
  map.set(version, pending);
  // A failed read (abort, timeout) must not poison the cache for the next job.
  pending.catch(() => map.delete(version));
  return pending;
}
