// A QC rule as one SQL query: the query selects one `example` (jsonb) per offending row; the
// helper returns the total count and the first few examples.

import type { Tx } from '../versions.js';
import { EXAMPLE_LIMIT, fromViolations, type QcCheck, type Severity } from '../report.js';

type Param = string | number | boolean | null | number[] | string[];

/**
 * `offenders` is trusted SQL (our constants) producing a column `example`; its rows are the
 * violations. Runs as `SELECT example, count(*) OVER () … LIMIT n`.
 */
export async function sqlCheck(tx: Tx, rule: string, severity: Severity, offenders: string, params: Param[] = [], message?: string): Promise<QcCheck> {
  const rows = await tx.unsafe<{ example: unknown; total: string }[]>(
    `SELECT example, count(*) OVER () AS total FROM (${offenders}) AS offenders LIMIT ${EXAMPLE_LIMIT}`, params as never[]);
  const total = rows.length === 0 ? 0 : Number(rows[0]?.total ?? 0);
  return fromViolations(rule, severity, rows.map((r) => r.example), total, message);
}

/** A count-style warning ("null coefficients: 1,204"): passes when the count is 0. */
export async function countWarning(tx: Tx, rule: string, countSql: string, params: Param[] = [], message?: string): Promise<QcCheck> {
  const [row] = await tx.unsafe<{ n: string }[]>(countSql, params as never[]);
  const n = Number(row?.n ?? 0);
  return { rule, severity: 'warning', passed: n === 0, count: n, examples: [], ...(message ? { message } : {}) };
}

/** Row count ≥ 90 % of the active version's (blocking, every table). */
export function rowCountCheck(rows: number, activeRows: number | null): QcCheck {
  const floor = activeRows === null ? 0 : Math.ceil(activeRows * 0.9);
  const ok = rows >= floor && rows > 0;
  return {
    rule: 'row count ≥ 90 % of the active version',
    severity: 'blocking',
    passed: ok,
    count: ok ? 0 : 1,
    examples: ok ? [] : [{ rows, activeRows, minimum: Math.max(floor, 1) }],
  };
}

/** Required source columns present (blocking). */
export function requiredColumnsCheck(columns: readonly string[], required: readonly string[]): QcCheck {
  const missing = required.filter((r) => !columns.includes(r));
  return fromViolations('required columns present', 'blocking', missing.map((column) => ({ column })), missing.length);
}
