// levy_charges and levy_inflation_index from CSV (levy.md §2–3). Every rule is blocking: the
// whole load is rejected on any failure, so values are checked in TypeScript before insert.

import type { TabularData } from '../readers/tabular.js';
import { fromViolations, type QcCheck } from '../report.js';
import { requiredColumnsCheck, rowCountCheck } from '../qc/sql-check.js';
import { activeRowCount, finishTabularLoad, insertJsonRows, stopwatch, type LoadContext, type TableLoadOutcome } from './context.js';

export const LEVY_CHARGE_COLUMNS = ['edp_id', 'edp_name', 'edp_start_date', 'charge_valid_from', 'charge_valid_to', 'base_charge_per_unit', 'model_version'] as const;
export const LEVY_INDEX_COLUMNS = ['charging_year', 'cil_index'] as const;

type Cell = string | number | null | undefined;
const str = (v: Cell): string => (v === null || v === undefined ? '' : String(v).trim());

/** CSV line of a data row (header is line 1). */
const lineOf = (index: number): number => index + 2;

function isIsoDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const INT = /^[+-]?\d+$/;
const DECIMAL = /^\d{1,10}(\.\d{1,2})?$/;

function nonNullCheck(data: TabularData, columns: readonly string[]): QcCheck {
  const blanks = data.rows.flatMap((row, i) => columns.filter((c) => c in row && str(row[c]) === '').map((column) => ({ line: lineOf(i), column })));
  return fromViolations('all columns non-null', 'blocking', blanks);
}

export async function loadLevyCharges(ctx: LoadContext, data: TabularData): Promise<TableLoadOutcome> {
  const clock = { lap: stopwatch(), timings: {} };
  const rows = data.rows.map((r, i) => ({
    line: lineOf(i), edp_id: str(r.edp_id), edp_name: str(r.edp_name), edp_start_date: str(r.edp_start_date),
    charge_valid_from: str(r.charge_valid_from), charge_valid_to: str(r.charge_valid_to),
    base_charge_per_unit: str(r.base_charge_per_unit), model_version: str(r.model_version),
  }));
  const bad = <T>(pred: (r: (typeof rows)[number]) => T | null): T[] => rows.flatMap((r) => { const v = pred(r); return v === null ? [] : [v]; });
  const positiveInt = (v: string): boolean => INT.test(v) && Number(v) >= 1 && Number(v) <= 2147483647;
  const windows = rows.filter((r) => positiveInt(r.edp_id) && isIsoDate(r.charge_valid_from) && isIsoDate(r.charge_valid_to));
  const overlaps = windows.flatMap((a, i) => windows.slice(i + 1)
    .filter((b) => Number(a.edp_id) === Number(b.edp_id) && a.charge_valid_from <= b.charge_valid_to && b.charge_valid_from <= a.charge_valid_to)
    .map((b) => ({ edp_id: Number(a.edp_id), lines: [a.line, b.line], windows: [[a.charge_valid_from, a.charge_valid_to], [b.charge_valid_from, b.charge_valid_to]] })));
  const startKeys = new Map<string, number>();
  const duplicateStarts = bad((r) => {
    const key = `${Number(r.edp_id)}|${r.charge_valid_from}`;
    const first = startKeys.get(key);
    if (first === undefined) { startKeys.set(key, r.line); return null; }
    return { edp_id: r.edp_id, charge_valid_from: r.charge_valid_from, lines: [first, r.line] };
  });
  const namesById = new Map<string, Set<string>>();
  const idsByName = new Map<string, Set<string>>();
  for (const r of rows) {
    namesById.set(r.edp_id, (namesById.get(r.edp_id) ?? new Set()).add(r.edp_name));
    idsByName.set(r.edp_name, (idsByName.get(r.edp_name) ?? new Set()).add(r.edp_id));
  }
  const nameConflicts = [
    ...[...namesById].filter(([, s]) => s.size > 1).map(([edp_id, s]) => ({ edp_id, names: [...s] })),
    ...[...idsByName].filter(([, s]) => s.size > 1).map(([edp_name, s]) => ({ edp_name, ids: [...s] })),
  ];
  const checks: QcCheck[] = [
    requiredColumnsCheck(data.columns, LEVY_CHARGE_COLUMNS),
    rowCountCheck(rows.length, await activeRowCount(ctx)),
    nonNullCheck(data, LEVY_CHARGE_COLUMNS),
    fromViolations('edp_id and model_version integers ≥ 1', 'blocking', bad((r) => (r.edp_id && !positiveInt(r.edp_id)) || (r.model_version && !positiveInt(r.model_version)) ? { line: r.line, edp_id: r.edp_id, model_version: r.model_version } : null)),
    fromViolations('dates are calendar dates (YYYY-MM-DD)', 'blocking', bad((r) => {
      const wrong = (['edp_start_date', 'charge_valid_from', 'charge_valid_to'] as const).filter((k) => r[k] && !isIsoDate(r[k]));
      return wrong.length > 0 ? { line: r.line, columns: wrong } : null;
    })),
    fromViolations('charge_valid_to ≥ charge_valid_from', 'blocking', bad((r) => isIsoDate(r.charge_valid_from) && isIsoDate(r.charge_valid_to) && r.charge_valid_to < r.charge_valid_from ? { line: r.line, from: r.charge_valid_from, to: r.charge_valid_to } : null)),
    fromViolations('base_charge_per_unit > 0', 'blocking', bad((r) => r.base_charge_per_unit && (!DECIMAL.test(r.base_charge_per_unit) || Number(r.base_charge_per_unit) <= 0) ? { line: r.line, base_charge_per_unit: r.base_charge_per_unit } : null)),
    fromViolations('base_charge_per_unit integral (whole pounds)', 'blocking', bad((r) => DECIMAL.test(r.base_charge_per_unit) && !/^\d+(\.0*)?$/.test(r.base_charge_per_unit) ? { line: r.line, base_charge_per_unit: r.base_charge_per_unit, reason: 'fractional_base_charge' } : null)),
    fromViolations('charge windows of one edp_id do not overlap', 'blocking', overlaps),
    fromViolations('(edp_id, charge_valid_from) unique', 'blocking', duplicateStarts),
    fromViolations('one edp_name per edp_id and vice versa', 'blocking', nameConflicts),
  ];
  return finishTabularLoad(rows.length, checks, clock, () =>
    insertJsonRows(ctx, LEVY_CHARGE_COLUMNS, rows.map(({ line: _line, ...r }) => ({ ...r, edp_id: Number(r.edp_id), model_version: Number(r.model_version) }))));
}

export async function loadLevyInflationIndex(ctx: LoadContext, data: TabularData): Promise<TableLoadOutcome> {
  const clock = { lap: stopwatch(), timings: {} };
  const rows = data.rows.map((r, i) => ({ line: lineOf(i), charging_year: str(r.charging_year), cil_index: str(r.cil_index) }));
  const years = new Map<string, number>();
  const duplicates = rows.flatMap((r) => {
    const key = INT.test(r.charging_year) ? String(Number(r.charging_year)) : r.charging_year;
    const first = years.get(key);
    if (first === undefined) { years.set(key, r.line); return []; }
    return [{ charging_year: r.charging_year, lines: [first, r.line] }];
  });
  const checks: QcCheck[] = [
    requiredColumnsCheck(data.columns, LEVY_INDEX_COLUMNS),
    rowCountCheck(rows.length, await activeRowCount(ctx)),
    nonNullCheck(data, LEVY_INDEX_COLUMNS),
    fromViolations('charging_year is a calendar year', 'blocking', rows.filter((r) => r.charging_year && !(/^\d{4}$/.test(r.charging_year))).map((r) => ({ line: r.line, charging_year: r.charging_year }))),
    fromViolations('charging_year unique', 'blocking', duplicates),
    fromViolations('cil_index > 0', 'blocking', rows.filter((r) => r.cil_index && (!/^\d{1,6}(\.\d{1,4})?$/.test(r.cil_index) || Number(r.cil_index) <= 0)).map((r) => ({ line: r.line, cil_index: r.cil_index, reason: 'non_positive_index' }))),
  ];
  return finishTabularLoad(rows.length, checks, clock, () =>
    insertJsonRows(ctx, LEVY_INDEX_COLUMNS, rows.map((r) => ({ charging_year: Number(r.charging_year), cil_index: r.cil_index }))));
}
