// The four PSV files (gcn.md §7.2): UTF-8 without BOM, LF, one header row, `|`, no quoting, empty
// field for null, numbers in shortest round-trip form (`String(n)`). The reader accepts a BOM and
// CRLF so the legacy ArcPy baselines can be read too.

import type { FrequencyRow, FrequencySplitRow, GcnPsvTables, HabitatDetail, HabitatSplitDetail } from './types.js';

export const PSV_FILES = {
  habitat: 'Habitat_Impact.psv',
  habitatSplit: 'Habitat_Impact_EDPSplit.psv',
  frequency: 'Ponds_Impact_Frequency.psv',
  frequencySplit: 'Ponds_Impact_Frequency_EDPSplit.psv',
} as const;

const IDENTITY = ['FID_RLB_Merge_with_Buffer', 'Id', 'UniqueRef', 'UniqueSite', 'ORIG_FID', 'Area', 'UniqueBufferSite', 'FID_RZs_Clipped_PairwiseClip', 'Shape_Leng', 'MHW', 'RZ'] as const;
export const HABITAT_COLUMNS = [...IDENTITY, 'Shape_Length', 'Shape_Area'] as const;
export const HABITAT_SPLIT_COLUMNS = [...IDENTITY, 'Shape_Length_1', 'Shape_Area_1', 'EDPName', 'Shape_Length_2', 'Shape_Area_2', 'Shape_Area'] as const;
export const FREQUENCY_COLUMNS = ['PANS', 'Area', 'MaxZone', 'TmpImp', 'FREQUENCY'] as const;
export const FREQUENCY_SPLIT_COLUMNS = ['PANS', 'Area', 'MaxZone', 'TmpImp', 'EDPName', 'FREQUENCY'] as const;

/**
 * One field. The format has no quoting, so a separator or line break inside a value (possible
 * only in a developer's `Id` attribute; QC keeps them out of reference data) becomes a space.
 */
export function psvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : JSON.stringify(value);
  return text.replace(/[|\r\n]/g, ' ');
}

function psvText(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns.join('|'), ...rows.map((row) => row.map(psvField).join('|'))].map((line) => `${line}\n`).join('');
}

const pad5 = (n: number): string => String(n).padStart(5, '0');

function identityColumns(tables: GcnPsvTables, row: HabitatDetail): unknown[] {
  const ref = tables.uniqueRef;
  const buffer = `${ref}_Buffer00001`;
  if (row.Area === 'Buffer') {
    return [row.unit, null, ref, buffer, 0, 'Buffer', buffer, row.z, row.zone.Shape_Leng, row.zone.MHW, row.RZ];
  }
  const feature = tables.rlbFeatures[row.unit];
  const index = feature?.sourceFeature ?? row.unit;
  return [row.unit, feature?.id ?? null, ref, `${ref}_Site${pad5(index + 1)}`, index, 'RLB', null, row.z, row.zone.Shape_Leng, row.zone.MHW, row.RZ];
}

export function habitatPsv(tables: GcnPsvTables): string {
  return psvText(HABITAT_COLUMNS, tables.habitat.map((row) => [...identityColumns(tables, row), row.zone.Shape_Length, row.Shape_Area]));
}

export function habitatSplitPsv(tables: GcnPsvTables): string {
  return psvText(HABITAT_SPLIT_COLUMNS, tables.habitatSplit.map((row: HabitatSplitDetail) => [
    ...identityColumns(tables, row), row.zone.Shape_Length, row.unsplitArea, row.EDPName, row.edge?.Shape_Length ?? null, row.edge?.Shape_Area ?? null, row.Shape_Area,
  ]));
}

export function frequencyPsv(rows: readonly FrequencyRow[]): string {
  return psvText(FREQUENCY_COLUMNS, rows.map((r) => [r.PANS, r.Area, r.MaxZone, r.TmpImp, r.FREQUENCY]));
}

export function frequencySplitPsv(rows: readonly FrequencySplitRow[]): string {
  return psvText(FREQUENCY_SPLIT_COLUMNS, rows.map((r) => [r.PANS, r.Area, r.MaxZone, r.TmpImp, r.EDPName, r.FREQUENCY]));
}

/** File name → content for the four files. */
export function gcnPsvFiles(tables: GcnPsvTables): Record<(typeof PSV_FILES)[keyof typeof PSV_FILES], string> {
  return {
    [PSV_FILES.habitat]: habitatPsv(tables),
    [PSV_FILES.habitatSplit]: habitatSplitPsv(tables),
    [PSV_FILES.frequency]: frequencyPsv(tables.frequency),
    [PSV_FILES.frequencySplit]: frequencySplitPsv(tables.frequencySplit),
  };
}

export interface PsvTable {
  columns: string[];
  /** One record per data row, keyed by column name (a repeated name keeps its last value). */
  rows: Record<string, string>[];
}

/** Parses a PSV text; tolerates a UTF-8 BOM, CRLF and a missing final newline. */
export function parsePsv(text: string): PsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const [header, ...body] = lines;
  if (header === undefined) return { columns: [], rows: [] };
  const columns = header.split('|');
  const rows = body.map((line, index) => {
    const fields = line.split('|');
    if (fields.length !== columns.length) throw new Error(`PSV row ${index + 1} has ${fields.length} fields, the header ${columns.length}`);
    return Object.fromEntries(columns.map((column, i) => [column, fields[i] ?? '']));
  });
  return { columns, rows };
}
