// Levy data access (levy.md §4–§9): which EDP each site lies in, its charge row for the
// calculation date, the CIL indices when the year differs, then the exact arithmetic. A file job
// prices all its sites in a fixed handful of statements: the active versions with the tables'
// emptiness, the EDPs of every site, the charge rows of every EDP needed, and the index rows only
// if a site needs them. Every query reads the active version only, takes the job's signal and goes
// through the retry table. The single-site `resolveLevy` is the same code with one site.

import type Logger from 'bunyan';
import type { Site } from '../../geo/types.js';
import type { Sql } from '../../db/sql.js';
import { withDbRetry } from '../../db/retry.js';
import { cancellable } from '../../db/cancel.js';
import { JobError } from '../../errors.js';
import { calculateLevyAmounts, penceToString } from './calculator.js';
import { edpMapKey, findEdpsBySite, type EdpKey } from './edp.js';

export interface LevyGbp {
  amountExcludingVat: number;
  amountInflationAdjusted: number;
  baseAmount: number;
  modelVersion: number;
}

/** The `levy.calculated` fields of levy.md §9, stored in the job result and logged once. */
export interface LevyRecord {
  edp_id: number;
  edp_name: string;
  edp_start_date: string;
  calculation_date: string;
  units: number;
  base_charge_per_unit: string;
  provisional_amount: string;
  inflation_adjusted_amount: string;
  start_year_cil_index: string | null;
  calculation_year_cil_index: string | null;
  model_version: number;
  levy_charges_version: number;
  levy_inflation_index_version: number;
}

export interface LevyResolution {
  edpId: number;
  edpName: string;
  levyGbp: LevyGbp;
  record: LevyRecord;
}

export interface ResolveLevyParams {
  sql: Sql;
  site: Site;
  units: number;
  /** UTC calendar date the job started processing (a Date, or `YYYY-MM-DD`); injectable for tests. */
  calculationDate: Date | string;
  signal: AbortSignal;
  log?: Logger;
}

export interface ResolveLeviesParams extends Omit<ResolveLevyParams, 'site' | 'units'> {
  /** The job's sites; one result per site, in this order. */
  sites: readonly Site[];
  /** Dwellings: the job's one number, or per site (the legacy CLI reads them per RLB). */
  units: number | ((site: Site) => number);
}

/** Per site: its levy, or the `levy_edp_unresolved` error (no EDP, or several) for that site. */
export type SiteLevy = LevyResolution | JobError;

export function toCalendarDate(date: Date | string): string {
  if (typeof date === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`calculation date must be YYYY-MM-DD, got ${date}`);
    return date;
  }
  if (Number.isNaN(date.getTime())) throw new RangeError('calculation date is invalid');
  return date.toISOString().slice(0, 10);
}

interface LevyTables {
  edp_boundaries: number | null;
  levy_charges: number | null;
  levy_inflation_index: number | null;
  /** Whether the active version of each table has any row (false when there is no version). */
  chargesPresent: boolean;
  indexPresent: boolean;
}

/** The three active versions and whether the two non-spatial tables have rows, in one statement. */
async function levyTables(sql: Sql, signal: AbortSignal): Promise<LevyTables> {
  const rows = await withDbRetry(() => cancellable(sql<LevyTables[]>`
    WITH v AS (
      SELECT max(active_version) FILTER (WHERE table_name = 'edp_boundaries') AS edp_boundaries,
             max(active_version) FILTER (WHERE table_name = 'levy_charges') AS levy_charges,
             max(active_version) FILTER (WHERE table_name = 'levy_inflation_index') AS levy_inflation_index
      FROM data_active_version
      WHERE table_name IN ('edp_boundaries', 'levy_charges', 'levy_inflation_index'))
    SELECT v.edp_boundaries, v.levy_charges, v.levy_inflation_index,
           EXISTS (SELECT 1 FROM levy_charges c WHERE c.version = v.levy_charges) AS "chargesPresent",
           EXISTS (SELECT 1 FROM levy_inflation_index i WHERE i.version = v.levy_inflation_index) AS "indexPresent"
    FROM v`, signal), { signal });
  const row = rows[0];
  return row ?? { edp_boundaries: null, levy_charges: null, levy_inflation_index: null, chargesPresent: false, indexPresent: false };
}

function dataError(code: 'levy_data_missing' | 'levy_data_invalid', detail: Record<string, unknown>, log: Logger | undefined): JobError {
  const error = new JobError(code, { detail });
  log?.error({ event: { action: 'levy.data_error', reason: detail.reason }, levy: detail }, `levy data error: ${String(detail.reason)}`);
  return error;
}

interface ChargeRow {
  edp_id: number;
  edp_name: string;
  edp_start_date: string;
  base_charge_per_unit: string;
  model_version: number;
}

interface KeyedChargeRow extends ChargeRow {
  key_ord: number;
}

/**
 * The charge rows valid on the date for each key, at most two per key (two mean overlapping
 * windows), in one statement.
 */
async function chargeRows(sql: Sql, keys: readonly EdpKey[], version: number, calculationDate: string, signal: AbortSignal): Promise<Map<string, ChargeRow[]>> {
  const payload = keys.map((key, i) => ({ ord: i, id: key.id, name: key.id === null ? key.name : null }));
  const rows = await withDbRetry(() => cancellable(sql<KeyedChargeRow[]>`
    SELECT k.ord AS key_ord, c.edp_id, c.edp_name, c.edp_start_date, c.base_charge_per_unit, c.model_version
    FROM jsonb_to_recordset(${sql.json(payload)}::jsonb) AS k(ord int, id int, name text)
    CROSS JOIN LATERAL (
      SELECT edp_id, edp_name, edp_start_date::text AS edp_start_date, base_charge_per_unit::text AS base_charge_per_unit, model_version
      FROM levy_charges
      WHERE version = ${version}
        AND CASE WHEN k.id IS NOT NULL THEN edp_id = k.id ELSE btrim(edp_name) = k.name END
        AND charge_valid_from <= ${calculationDate}::date AND ${calculationDate}::date <= charge_valid_to
      ORDER BY charge_valid_from DESC LIMIT 2) c`, signal), { signal });
  const out = new Map<string, ChargeRow[]>(keys.map((key) => [edpMapKey(key), []]));
  for (const { key_ord: ord, ...charge } of rows) {
    const key = keys[ord];
    if (key) out.get(edpMapKey(key))?.push(charge);
  }
  return out;
}

/** `cil_index` by `charging_year` for the given years, in one statement (first row of a year wins). */
async function indexRows(sql: Sql, years: readonly number[], version: number, signal: AbortSignal): Promise<Map<number, string>> {
  const rows = await withDbRetry(() => cancellable(sql<{ charging_year: number; cil_index: string }[]>`
    SELECT charging_year, cil_index::text AS cil_index FROM levy_inflation_index
    WHERE version = ${version} AND charging_year = ANY(${years}::int[])`, signal), { signal });
  const out = new Map<number, string>();
  for (const row of rows) if (!out.has(row.charging_year)) out.set(row.charging_year, row.cil_index);
  return out;
}

function unresolved(keys: readonly EdpKey[]): JobError {
  return keys.length === 0
    ? new JobError('levy_edp_unresolved', { detail: { reason: 'no_edp' } })
    : new JobError('levy_edp_unresolved', { detail: { reason: 'multiple_edps', edps: keys.map((k) => k.name) } });
}

/**
 * Prices the nutrient levy for every site of a job. Returns, per site in input order, its
 * resolution or its `levy_edp_unresolved` error; throws `levy_data_missing` or
 * `levy_data_invalid` (data) exactly as pricing the sites one after the other would: the first
 * data error a site reaches, in site order, after the `levy.calculated` logs of the sites before
 * it. A data error no site reaches is neither thrown nor logged. Never returns a placeholder amount.
 */
export async function resolveLevies(params: ResolveLeviesParams): Promise<SiteLevy[]> {
  const { sql, sites, units, signal, log } = params;
  if (sites.length === 0) return [];
  const calculationDate = toCalendarDate(params.calculationDate);
  // Checked for the first site before its EDP lookup, so every site reaches these.
  const tables = await levyTables(sql, signal);
  for (const table of ['edp_boundaries', 'levy_charges', 'levy_inflation_index'] as const) {
    if (tables[table] === null) throw dataError('levy_data_missing', { reason: 'no_levy_tables', table, activeVersion: null }, log);
  }
  const edpVersion = tables.edp_boundaries as number;
  const chargesVersion = tables.levy_charges as number;
  const indexVersion = tables.levy_inflation_index as number;
  if (!tables.chargesPresent) {
    throw dataError('levy_data_missing', { reason: 'no_levy_tables', table: 'levy_charges', activeVersion: chargesVersion }, log);
  }

  const lookups = await findEdpsBySite(sql, sites, edpVersion, signal);
  const needed = new Map<string, EdpKey>();
  for (const { keys } of lookups) {
    const key = keys[0];
    if (keys.length === 1 && key && !needed.has(edpMapKey(key))) needed.set(edpMapKey(key), key);
  }
  const charges = needed.size > 0 ? await chargeRows(sql, [...needed.values()], chargesVersion, calculationDate, signal) : new Map<string, ChargeRow[]>();

  const calculationYear = Number(calculationDate.slice(0, 4));
  let indices: Map<number, string> | null = null;
  /** Read once, when the first site needs an index: the years of every charge row, and the calculation year. */
  const indexFor = async (): Promise<Map<number, string>> => {
    if (indices) return indices;
    if (!tables.indexPresent) {
      throw dataError('levy_data_missing', { reason: 'no_levy_tables', table: 'levy_inflation_index', activeVersion: indexVersion }, log);
    }
    const years = new Set([calculationYear]);
    for (const rows of charges.values()) for (const row of rows) years.add(Number(row.edp_start_date.slice(0, 4)));
    indices = await indexRows(sql, [...years].sort((a, b) => a - b), indexVersion, signal);
    return indices;
  };

  const out: SiteLevy[] = [];
  for (const [i, { keys }] of lookups.entries()) {
    const key = keys[0];
    if (keys.length !== 1 || !key) {
      out.push(unresolved(keys));
      continue;
    }
    const rows = charges.get(edpMapKey(key)) ?? [];
    const charge = rows[0];
    if (!charge) {
      throw dataError('levy_data_missing', { reason: 'no_charge', table: 'levy_charges', activeVersion: chargesVersion, edp: key.id ?? key.name, date: calculationDate }, log);
    }
    if (rows.length > 1) {
      throw dataError('levy_data_invalid', { reason: 'overlapping_charges', table: 'levy_charges', activeVersion: chargesVersion, edp: key.id ?? key.name, date: calculationDate }, log);
    }
    if (!Number.isInteger(charge.model_version) || charge.model_version < 1) {
      throw dataError('levy_data_invalid', { reason: 'invalid_model_version', table: 'levy_charges', activeVersion: chargesVersion, modelVersion: charge.model_version }, log);
    }

    const startYear = Number(charge.edp_start_date.slice(0, 4));
    let startIndex: string | null = null;
    let calcIndex: string | null = null;
    if (startYear !== calculationYear) {
      const index = await indexFor();
      startIndex = index.get(startYear) ?? null;
      calcIndex = index.get(calculationYear) ?? null;
      if (startIndex === null || calcIndex === null) {
        const missingYears = [startIndex === null ? startYear : null, calcIndex === null ? calculationYear : null].filter((y) => y !== null);
        throw dataError('levy_data_missing', { reason: 'no_index', table: 'levy_inflation_index', activeVersion: indexVersion, startYear, calculationYear, missingYears }, log);
      }
    }
    const siteUnits = typeof units === 'number' ? units : units(sites[i] as Site);
    out.push(price({ key, charge, units: siteUnits, calculationDate, startIndex, calcIndex, chargesVersion, indexVersion, log }));
  }
  return out;
}

interface PriceInput {
  key: EdpKey;
  charge: ChargeRow;
  units: number;
  calculationDate: string;
  startIndex: string | null;
  calcIndex: string | null;
  chargesVersion: number;
  indexVersion: number;
  log: Logger | undefined;
}

/** The arithmetic and the `levy.calculated` record of one site whose data is complete. */
function price(input: PriceInput): LevyResolution {
  const { key, charge, units, calculationDate, startIndex, calcIndex, chargesVersion, indexVersion, log } = input;
  let amounts;
  try {
    amounts = calculateLevyAmounts({ baseChargePerUnit: charge.base_charge_per_unit, units, startYearIndex: startIndex, calcYearIndex: calcIndex });
  } catch (error) {
    if (error instanceof JobError) {
      const table = error.detail.table === 'levy_inflation_index' ? 'levy_inflation_index' : 'levy_charges';
      throw dataError('levy_data_invalid', { ...error.detail, activeVersion: table === 'levy_charges' ? chargesVersion : indexVersion }, log);
    }
    throw error;
  }

  const edpId = key.id ?? charge.edp_id;
  const edpName = key.featureName ?? charge.edp_name;
  const record: LevyRecord = {
    edp_id: edpId,
    edp_name: edpName,
    edp_start_date: charge.edp_start_date,
    calculation_date: calculationDate,
    units,
    base_charge_per_unit: charge.base_charge_per_unit,
    provisional_amount: penceToString(amounts.provisionalPence),
    inflation_adjusted_amount: penceToString(amounts.inflationAdjustedPence),
    start_year_cil_index: startIndex,
    calculation_year_cil_index: calcIndex,
    model_version: charge.model_version,
    levy_charges_version: chargesVersion,
    levy_inflation_index_version: indexVersion,
  };
  log?.info({ event: { action: 'levy.calculated' }, levy: record }, 'levy.calculated');
  return {
    edpId,
    edpName,
    levyGbp: {
      amountExcludingVat: amounts.amountExcludingVat,
      amountInflationAdjusted: amounts.amountInflationAdjusted,
      baseAmount: amounts.baseAmount,
      modelVersion: charge.model_version,
    },
    record,
  };
}

/**
 * Prices the nutrient levy for one site (a quote): `resolveLevies` with that one site. Throws
 * `levy_edp_unresolved` (input), `levy_data_missing` or `levy_data_invalid` (data).
 */
export async function resolveLevy(params: ResolveLevyParams): Promise<LevyResolution> {
  const { site, ...rest } = params;
  const [result] = await resolveLevies({ ...rest, sites: [site] });
  if (result instanceof JobError) throw result;
  if (!result) throw new Error('resolveLevies returned no result for the site');
  return result;
}
