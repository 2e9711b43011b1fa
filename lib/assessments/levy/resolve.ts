// Levy data access (levy.md §4–§9): which EDP the site lies in, its charge row for the
// calculation date, the CIL indices when the year differs, then the exact arithmetic. Every
// query reads the active version only, takes the job's signal and goes through the retry table.

import type Logger from 'bunyan';
import type { Site } from '../../geo/types.js';
import type { Sql } from '../../db/sql.js';
import { withDbRetry } from '../../db/retry.js';
import { cancellable } from '../../db/cancel.js';
import { JobError } from '../../errors.js';
import { calculateLevyAmounts, penceToString } from './calculator.js';
import { findEdps } from './edp.js';

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

const LEVY_VERSIONED = ['edp_boundaries', 'levy_charges', 'levy_inflation_index'] as const;
type LevyTable = (typeof LEVY_VERSIONED)[number];

export function toCalendarDate(date: Date | string): string {
  if (typeof date === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`calculation date must be YYYY-MM-DD, got ${date}`);
    return date;
  }
  if (Number.isNaN(date.getTime())) throw new RangeError('calculation date is invalid');
  return date.toISOString().slice(0, 10);
}

async function activeVersions(sql: Sql, signal: AbortSignal): Promise<Record<LevyTable, number | null>> {
  const rows = await withDbRetry(() => cancellable(sql<{ table_name: string; active_version: number }[]>`
    SELECT table_name, active_version FROM data_active_version WHERE table_name IN ${sql(LEVY_VERSIONED)}`, signal), { signal });
  const out: Record<LevyTable, number | null> = { edp_boundaries: null, levy_charges: null, levy_inflation_index: null };
  for (const row of rows) out[row.table_name as LevyTable] = row.active_version;
  return out;
}

function dataError(code: 'levy_data_missing' | 'levy_data_invalid', detail: Record<string, unknown>, log: Logger | undefined): JobError {
  const error = new JobError(code, { detail });
  log?.error({ event: { action: 'levy.data_error', reason: detail.reason }, levy: detail }, `levy data error: ${String(detail.reason)}`);
  return error;
}

async function hasRows(sql: Sql, table: 'levy_charges' | 'levy_inflation_index', version: number, signal: AbortSignal): Promise<boolean> {
  const rows = await withDbRetry(() => cancellable(sql<{ found: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM ${sql(table)} WHERE version = ${version}) AS found`, signal), { signal });
  return rows[0]?.found === true;
}

interface ChargeRow {
  edp_id: number;
  edp_name: string;
  edp_start_date: string;
  base_charge_per_unit: string;
  model_version: number;
}

/**
 * Prices the nutrient levy for one site. Throws `levy_edp_unresolved` (input), `levy_data_missing`
 * or `levy_data_invalid` (data); never returns a placeholder amount.
 */
export async function resolveLevy(params: ResolveLevyParams): Promise<LevyResolution> {
  const { sql, site, units, signal, log } = params;
  const calculationDate = toCalendarDate(params.calculationDate);
  const versions = await activeVersions(sql, signal);
  if (versions.edp_boundaries === null) {
    throw dataError('levy_data_missing', { reason: 'no_levy_tables', table: 'edp_boundaries', activeVersion: null }, log);
  }
  for (const table of ['levy_charges', 'levy_inflation_index'] as const) {
    const version = versions[table];
    if (version === null) throw dataError('levy_data_missing', { reason: 'no_levy_tables', table, activeVersion: null }, log);
  }
  const chargesVersion = versions.levy_charges as number;
  const indexVersion = versions.levy_inflation_index as number;
  if (!(await hasRows(sql, 'levy_charges', chargesVersion, signal))) {
    throw dataError('levy_data_missing', { reason: 'no_levy_tables', table: 'levy_charges', activeVersion: chargesVersion }, log);
  }

  const edp = await findEdps(sql, site, versions.edp_boundaries, signal);
  if (edp.keys.length === 0) throw new JobError('levy_edp_unresolved', { detail: { reason: 'no_edp' } });
  if (edp.keys.length > 1) throw new JobError('levy_edp_unresolved', { detail: { reason: 'multiple_edps', edps: edp.keys.map((k) => k.name) } });
  const key = edp.keys[0]!;

  const charges = await withDbRetry(() => cancellable(sql<ChargeRow[]>`
    SELECT edp_id, edp_name, edp_start_date::text AS edp_start_date, base_charge_per_unit::text AS base_charge_per_unit, model_version
    FROM levy_charges
    WHERE version = ${chargesVersion}
      AND ${key.id !== null ? sql`edp_id = ${key.id}` : sql`btrim(edp_name) = ${key.name}`}
      AND charge_valid_from <= ${calculationDate}::date AND ${calculationDate}::date <= charge_valid_to
    ORDER BY charge_valid_from DESC LIMIT 2`, signal), { signal });
  const charge = charges[0];
  if (!charge) {
    throw dataError('levy_data_missing', { reason: 'no_charge', table: 'levy_charges', activeVersion: chargesVersion, edp: key.id ?? key.name, date: calculationDate }, log);
  }
  if (charges.length > 1) {
    throw dataError('levy_data_invalid', { reason: 'overlapping_charges', table: 'levy_charges', activeVersion: chargesVersion, edp: key.id ?? key.name, date: calculationDate }, log);
  }

  if (!Number.isInteger(charge.model_version) || charge.model_version < 1) {
    throw dataError('levy_data_invalid', { reason: 'invalid_model_version', table: 'levy_charges', activeVersion: chargesVersion, modelVersion: charge.model_version }, log);
  }

  const startYear = Number(charge.edp_start_date.slice(0, 4));
  const calculationYear = Number(calculationDate.slice(0, 4));
  let startIndex: string | null = null;
  let calcIndex: string | null = null;
  if (startYear !== calculationYear) {
    if (!(await hasRows(sql, 'levy_inflation_index', indexVersion, signal))) {
      throw dataError('levy_data_missing', { reason: 'no_levy_tables', table: 'levy_inflation_index', activeVersion: indexVersion }, log);
    }
    const rows = await withDbRetry(() => cancellable(sql<{ charging_year: number; cil_index: string }[]>`
      SELECT charging_year, cil_index::text AS cil_index FROM levy_inflation_index
      WHERE version = ${indexVersion} AND charging_year IN (${startYear}, ${calculationYear})`, signal), { signal });
    startIndex = rows.find((r) => r.charging_year === startYear)?.cil_index ?? null;
    calcIndex = rows.find((r) => r.charging_year === calculationYear)?.cil_index ?? null;
    if (startIndex === null || calcIndex === null) {
      const missingYears = [startIndex === null ? startYear : null, calcIndex === null ? calculationYear : null].filter((y) => y !== null);
      throw dataError('levy_data_missing', { reason: 'no_index', table: 'levy_inflation_index', activeVersion: indexVersion, startYear, calculationYear, missingYears }, log);
    }
  }

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
