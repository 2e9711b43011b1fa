// The legacy CSV writer of nutrient.md §8.3: Natural England's 31 columns, so outputs diff directly.

import { formatPythonFloat } from './numbers.js';
import { LEGACY_COLUMNS, type LegacyColumn, type NutrientRecord, type NutrientRlbResult } from './types.js';

/** Columns written as plain integers; every other number is written in Python `repr` style. */
const INTEGER_COLUMNS: ReadonlySet<LegacyColumn> = new Set<LegacyColumn>(['RLB_ID', 'Dwellings', 'Majority_WwTw_ID']);

const EXTENDED_COLUMNS = ['nn_catchment_entries', 'dwelling_density', 'warnings'] as const;

export interface CsvOptions {
  /** Appends `nn_catchment_entries`, `dwelling_density` and `warnings` (tests only; not a CLI flag). */
  extended?: boolean;
}

/** Minimal RFC 4180 quoting: only fields holding a comma, a quote, CR or LF are quoted. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cell(column: LegacyColumn, value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'string') return csvField(value);
  if (INTEGER_COLUMNS.has(column)) return String(value);
  return formatPythonFloat(value);
}

function extendedCells(record: NutrientRecord): string[] {
  const entries = record.nn_catchment_entries === null ? '' : record.nn_catchment_entries.map((e) => `${e.oid}:${e.name}`).join('|');
  const density = record.dwelling_density === null ? '' : formatPythonFloat(record.dwelling_density);
  const warnings = record.warnings.map((w) => w.code).join(';');
  return [csvField(entries), density, csvField(warnings)];
}

/**
 * Writes the assessed RLBs in ascending RLB_ID (gaps where RLBs were out of scope), UTF-8, LF line
 * endings and a final newline.
 */
export function writeNutrientCsv(results: readonly NutrientRlbResult[], options: CsvOptions = {}): string {
  const header: string[] = [...LEGACY_COLUMNS, ...(options.extended ? EXTENDED_COLUMNS : [])];
  const lines = [header.join(',')];
  const assessed = results.filter((r) => r.status === 'assessed').sort((a, b) => a.rlbId - b.rlbId);
  for (const result of assessed) {
    const cells = LEGACY_COLUMNS.map((column) => cell(column, result.record[column]));
    if (options.extended) cells.push(...extendedCells(result.record));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
