// What a per-table loader receives and returns. The orchestrator (loader.ts) owns the
// transaction, the version claim and the history row; table loaders only fill the version.

import type { Tx } from '../versions.js';
import type { QcCheck } from '../report.js';
import type { LoadableTable } from '../tables.js';

export interface LoadContext {
  tx: Tx;
  table: LoadableTable;
  version: number;
  /** Active version before this load (null when none). */
  activeVersion: number | null;
  signal?: AbortSignal;
  /** Called with a running row count (progress lines every ~5 s or 100k rows). */
  onProgress: (rows: number) => void;
}

export interface TableLoadOutcome {
  rows: number;
  repaired: number;
  crs: { declared: number | null; used: number; assumed: boolean } | null;
  warnings: string[];
  checks: QcCheck[];
  /** Whether rows of this version were written (false when a blocking rule failed first). */
  inserted: boolean;
  timings: Record<string, number>;
}

export async function activeRowCount(ctx: LoadContext): Promise<number | null> {
  if (ctx.activeVersion === null) return null;
  const [row] = await ctx.tx.unsafe<{ n: string }[]>(`SELECT count(*) AS n FROM ${ctx.table} WHERE version = $1`, [ctx.activeVersion]);
  return Number(row?.n ?? 0);
}

export function hasBlockingFailure(checks: readonly QcCheck[]): boolean {
  return checks.some((c) => c.severity === 'blocking' && !c.passed);
}

type Lap = (label: string, into: Record<string, number>) => void;

/**
 * Inserts parsed rows (objects keyed by column name) as version `ctx.version` of `ctx.table`
 * through jsonb_populate_recordset, one statement, then ANALYZE.
 */
export async function insertJsonRows(ctx: LoadContext, columns: readonly string[], rows: object[]): Promise<void> {
  await ctx.tx.unsafe(`INSERT INTO ${ctx.table} (version, ${columns.join(', ')})
    SELECT $1, ${columns.join(', ')} FROM jsonb_populate_recordset(NULL::${ctx.table}, $2::jsonb)`, [ctx.version, ctx.tx.json(rows as never) as never]);
  await ctx.tx.unsafe(`ANALYZE ${ctx.table}`);
}

/**
 * The end of every tabular load (lookups, levy CSVs): the outcome of `rowCount` parsed rows and
 * their checks; the rows are inserted only when no blocking rule failed.
 */
export async function finishTabularLoad(
  rowCount: number,
  checks: QcCheck[],
  clock: { lap: Lap; timings: Record<string, number> },
  insert: () => Promise<void>,
): Promise<TableLoadOutcome> {
  clock.lap('parse', clock.timings);
  const outcome: TableLoadOutcome = { rows: rowCount, repaired: 0, crs: null, warnings: [], checks, inserted: false, timings: clock.timings };
  if (hasBlockingFailure(checks)) return outcome;
  await insert();
  clock.lap('insert', clock.timings);
  return { ...outcome, inserted: true };
}

/** Wall-clock stopwatch for the report's `timings` (ms, one decimal). */
export function stopwatch(): Lap {
  let last = performance.now();
  return (label, into) => {
    const now = performance.now();
    into[label] = Math.round((now - last) * 10) / 10;
    last = now;
  };
}
