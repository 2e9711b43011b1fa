// wwtw_lookup and rates_lookup from the lookups SQLite (nutrient.md §5.3–5.4): raw source
// values kept in `raw`, numbers parsed leniently (§7.2), warnings for duplicates, code-less rows
// and unparseable cells. Lookup problems never block a load: jobs raise them per RLB.

import type { TabularData } from '../readers/tabular.js';
import { parseLenient, parseLenientCode } from '../lenient.js';
import { fromViolations, type QcCheck } from '../report.js';
import { requiredColumnsCheck, rowCountCheck } from '../qc/sql-check.js';
import { activeRowCount, finishTabularLoad, insertJsonRows, stopwatch, type LoadContext, type TableLoadOutcome } from './context.js';

export const WWTW_SOURCE_COLUMNS = {
  code: 'WwTW_code', name: 'WwTW_name', subcatchment: 'Subcatchment_name',
  n2025: 'Nitrogen_2025_2030', n2030: 'Nitrogen_2030_onwards', p2025: 'Phosphorus_2025_2030', p2030: 'Phosphorus_2030_onwards',
} as const;

export const RATES_SOURCE_COLUMNS = { catchment: 'NN_Catchment', occupancy: 'Occ_Rate', water: 'Water_Usage_L_Day' } as const;

type Raw = Record<string, string | number | null>;

interface Unparseable { row_index: number; column: string; raw: string }

function text(v: string | number | null | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}

const WWTW_COLUMNS = ['row_index', 'raw', 'wwtw_code', 'wwtw_name', 'wwtw_subcatchment', 'nitrogen_conc_2025_2030_mg_l',
  'nitrogen_conc_2030_onwards_mg_l', 'phosphorus_conc_2025_2030_mg_l', 'phosphorus_conc_2030_onwards_mg_l'] as const;
const RATES_COLUMNS = ['row_index', 'raw', 'nn_catchment', 'occupancy_rate', 'water_usage_l_per_person_day'] as const;

/** A lenient reader of one source row's cells that lists each unparseable cell (read as null). */
function cellReader(raw: Raw, row_index: number, unparseable: Unparseable[]): (column: string, parser?: typeof parseLenient) => number | null {
  return (column, parser = parseLenient) => {
    const r = parser(raw[column]);
    if (r.issue) unparseable.push({ row_index, column, raw: r.issue.raw });
    return r.value;
  };
}

export async function loadWwtwLookup(ctx: LoadContext, data: TabularData): Promise<TableLoadOutcome> {
  const clock = { lap: stopwatch(), timings: {} };
  const c = WWTW_SOURCE_COLUMNS;
  const unparseable: Unparseable[] = [];
  const byCode = new Map<number, { row_index: number; name: string | null }[]>();
  const codeless: { row_index: number; name: string | null }[] = [];
  const rows = data.rows.map((raw: Raw, row_index) => {
    const parse = cellReader(raw, row_index, unparseable);
    const issuesBefore = unparseable.length;
    const wwtw_code = parse(c.code, parseLenientCode);
    const wwtw_name = text(raw[c.name]);
    // Blank codes are "code-less" (nutrient.md §5.3: 128 rows); junk codes are listed as unparseable.
    if (wwtw_code === null && unparseable.length === issuesBefore) codeless.push({ row_index, name: wwtw_name });
    else if (wwtw_code !== null) byCode.set(wwtw_code, [...(byCode.get(wwtw_code) ?? []), { row_index, name: wwtw_name }]);
    return {
      row_index, raw, wwtw_code, wwtw_name,
      wwtw_subcatchment: text(raw[c.subcatchment]),
      nitrogen_conc_2025_2030_mg_l: parse(c.n2025), nitrogen_conc_2030_onwards_mg_l: parse(c.n2030),
      phosphorus_conc_2025_2030_mg_l: parse(c.p2025), phosphorus_conc_2030_onwards_mg_l: parse(c.p2030),
    };
  });
  const duplicates = [...byCode.entries()].filter(([, list]) => list.length > 1).map(([code, list]) => ({ code, rows: list, firstWins: list[0]?.row_index }));
  const checks: QcCheck[] = [
    requiredColumnsCheck(data.columns, Object.values(c)),
    rowCountCheck(rows.length, await activeRowCount(ctx)),
    fromViolations('duplicate wwtw_code (first row wins)', 'warning', duplicates),
    fromViolations('rows without a code (never matched)', 'warning', codeless),
    fromViolations('unparseable values (read as null)', 'warning', unparseable),
  ];
  return finishTabularLoad(rows.length, checks, clock, () => insertJsonRows(ctx, WWTW_COLUMNS, rows));
}

export async function loadRatesLookup(ctx: LoadContext, data: TabularData): Promise<TableLoadOutcome> {
  const clock = { lap: stopwatch(), timings: {} };
  const c = RATES_SOURCE_COLUMNS;
  const unparseable: Unparseable[] = [];
  const seen = new Map<string, number>();
  const duplicates: { nn_catchment: string; row_index: number; firstRow: number }[] = [];
  const rows = data.rows.map((raw: Raw, row_index) => {
    const parse = cellReader(raw, row_index, unparseable);
    const nn_catchment = text(raw[c.catchment]);
    if (nn_catchment !== null) {
      const first = seen.get(nn_catchment);
      if (first === undefined) seen.set(nn_catchment, row_index);
      else duplicates.push({ nn_catchment, row_index, firstRow: first });
    }
    return { row_index, raw, nn_catchment, occupancy_rate: parse(c.occupancy), water_usage_l_per_person_day: parse(c.water) };
  });
  const checks: QcCheck[] = [
    requiredColumnsCheck(data.columns, Object.values(c)),
    rowCountCheck(rows.length, await activeRowCount(ctx)),
    fromViolations('duplicate nn_catchment (first row wins)', 'warning', duplicates),
    fromViolations('unparseable values (read as null)', 'warning', unparseable),
  ];
  return finishTabularLoad(rows.length, checks, clock, () => insertJsonRows(ctx, RATES_COLUMNS, rows));
}
