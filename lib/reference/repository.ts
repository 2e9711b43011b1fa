// Reads of versioned reference data: the active version per table, and the two lookups as typed
// maps cached in-process by (table, version) (nutrient.md §5.5). Geometry never comes back here;
// spatial work stays in PostGIS.

import { cancellable } from '../db/cancel.js';
import type { Tx } from './versions.js';
import { parseLenient } from './lenient.js';
import { REFERENCE_TABLES, isLoadableTable } from './tables.js';
import { RATES_SOURCE_COLUMNS, WWTW_SOURCE_COLUMNS } from './load/lookups.js';

export { REFERENCE_TABLES, READINESS_TABLES, NUTRIENT_TABLES, GCN_TABLES, LEVY_TABLES, type ReferenceTable } from './tables.js';

/** Active version per table (null: no pointer). Unknown table names are an error. */
export async function resolveActiveVersions(sql: Tx, tables: readonly string[], signal?: AbortSignal): Promise<Record<string, number | null>> {
  for (const t of tables) if (!isLoadableTable(t)) throw new Error(`unknown reference table ${t}`);
  const rows = await cancellable(sql<{ table_name: string; active_version: number }[]>`
    SELECT table_name, active_version FROM data_active_version WHERE table_name = ANY(${tables as string[]}::text[])`, signal);
  const out: Record<string, number | null> = {};
  for (const t of tables) out[t] = rows.find((r) => r.table_name === t)?.active_version ?? null;
  return out;
}

export interface LookupIssue {
  /** Source column name (e.g. `Nitrogen_2025_2030`). */
  column: string;
  raw: string;
}

export interface WwtwLookupRow {
  rowIndex: number;
  code: number;
  /** Verbatim (trailing spaces kept). */
  name: string | null;
  subcatchment: string | null;
  nitrogen20252030: number | null;
  nitrogen2030Onwards: number | null;
  phosphorus20252030: number | null;
  phosphorus2030Onwards: number | null;
  /** Cells of this row that were non-blank but not numeric (read as null). */
  issues: LookupIssue[];
}

export interface RatesLookupRow {
  rowIndex: number;
  nnCatchment: string;
  occupancyRate: number | null;
  waterUsageLPerPersonDay: number | null;
  issues: LookupIssue[];
}

/** The in-process lookup cache, keyed by (table, version). One per worker; pass it explicitly. */
export interface LookupCache {
  get<T>(table: string, version: number, load: () => Promise<T>): Promise<T>;
  readonly size: number;
  clear(): void;
}

export function createLookupCache(): LookupCache {
  const entries = new Map<string, Promise<unknown>>();
  return {
    get<T>(table: string, version: number, load: () => Promise<T>): Promise<T> {
      const key = `${table}@${version}`;
      const hit = entries.get(key);
      if (hit) return hit as Promise<T>;
      const pending = load();
      entries.set(key, pending);
      // A failed read (abort, timeout) must not poison the cache for the next job.
      pending.catch(() => entries.delete(key));
      return pending;
    },
    get size() { return entries.size; },
    clear() { entries.clear(); },
  };
}

function issuesOf(raw: Record<string, unknown>, columns: readonly string[]): LookupIssue[] {
  return columns.flatMap((column) => {
    const { issue } = parseLenient(raw[column]);
    return issue ? [{ column, raw: issue.raw }] : [];
  });
}

interface WwtwDbRow {
  row_index: number; wwtw_code: number; wwtw_name: string | null; wwtw_subcatchment: string | null; raw: Record<string, unknown>;
  n1: number | null; n2: number | null; p1: number | null; p2: number | null;
}

interface RatesDbRow {
  row_index: number; nn_catchment: string; occupancy_rate: number | null; water: number | null; raw: Record<string, unknown>;
}

export interface LookupReadOptions {
  cache?: LookupCache;
  signal?: AbortSignal;
}

/** `table` at `version`, through the worker's cache when one is given (a version never changes). */
function readVersion<T>(table: 'wwtw_lookup' | 'rates_lookup', version: number, options: LookupReadOptions, read: () => Promise<T>): Promise<T> {
  return options.cache ? options.cache.get(table, version, read) : read();
}

/** Rows arrive in row_index order, so the first row of each key wins (nutrient.md §5.3–5.4). */
function firstRowPerKey<K, R, V>(rows: Iterable<R>, keyOf: (row: R) => K, toValue: (row: R) => V): Map<K, V> {
  const out = new Map<K, V>();
  for (const row of rows) {
    const key = keyOf(row);
    if (!out.has(key)) out.set(key, toValue(row));
  }
  return out;
}

/** wwtw_lookup at `version`, deduplicated by code (first row_index wins; code-less rows dropped). */
export async function getWwtwLookup(sql: Tx, version: number, options: LookupReadOptions = {}): Promise<ReadonlyMap<number, WwtwLookupRow>> {
  const c = WWTW_SOURCE_COLUMNS;
  return readVersion('wwtw_lookup', version, options, async () => firstRowPerKey(
    await cancellable(sql<WwtwDbRow[]>`
      SELECT row_index, wwtw_code, wwtw_name, wwtw_subcatchment, raw,
        nitrogen_conc_2025_2030_mg_l AS n1, nitrogen_conc_2030_onwards_mg_l AS n2,
        phosphorus_conc_2025_2030_mg_l AS p1, phosphorus_conc_2030_onwards_mg_l AS p2
      FROM wwtw_lookup WHERE version = ${version} AND wwtw_code IS NOT NULL ORDER BY row_index`, options.signal),
    (r) => r.wwtw_code,
    (r): WwtwLookupRow => ({
      rowIndex: r.row_index, code: r.wwtw_code, name: r.wwtw_name, subcatchment: r.wwtw_subcatchment,
      nitrogen20252030: r.n1, nitrogen2030Onwards: r.n2, phosphorus20252030: r.p1, phosphorus2030Onwards: r.p2,
      issues: issuesOf(r.raw, [c.n2025, c.n2030, c.p2025, c.p2030]),
    }),
  ));
}

/** rates_lookup at `version`, keyed by exact nn_catchment (first row wins). */
export async function getRatesLookup(sql: Tx, version: number, options: LookupReadOptions = {}): Promise<ReadonlyMap<string, RatesLookupRow>> {
  const c = RATES_SOURCE_COLUMNS;
  return readVersion('rates_lookup', version, options, async () => firstRowPerKey(
    await cancellable(sql<RatesDbRow[]>`
      SELECT row_index, nn_catchment, occupancy_rate, water_usage_l_per_person_day AS water, raw
      FROM rates_lookup WHERE version = ${version} AND nn_catchment IS NOT NULL ORDER BY row_index`, options.signal),
    (r) => r.nn_catchment,
    (r): RatesLookupRow => ({
      rowIndex: r.row_index, nnCatchment: r.nn_catchment, occupancyRate: r.occupancy_rate, waterUsageLPerPersonDay: r.water,
      issues: issuesOf(r.raw, [c.occupancy, c.water]),
    }),
  ));
}

/** The manifest as a plain list (for /health and reports). */
export const MANIFEST_TABLES: readonly string[] = REFERENCE_TABLES;
