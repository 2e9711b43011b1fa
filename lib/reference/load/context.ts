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

/** Wall-clock stopwatch for the report's `timings` (ms, one decimal). */
export function stopwatch(): (label: string, into: Record<string, number>) => void {
  let last = performance.now();
  return (label, into) => {
    const now = performance.now();
    into[label] = Math.round((now - last) * 10) / 10;
    last = now;
  };
}
