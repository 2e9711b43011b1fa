// The load report (nutrient.md §5.6): one per table and version, stored as JSON in
// data_load_history and printed by `bin/worker load-data`.

import type { LoadableTable } from './tables.js';

export type Severity = 'blocking' | 'warning';

export interface QcCheck {
  rule: string;
  severity: Severity;
  passed: boolean;
  /** Rows (or values) that broke the rule; 0 when passed. For count-style warnings, the count. */
  count: number;
  /** The first few offending rows: ids and values, enough to find them in the source. */
  examples: unknown[];
  message?: string;
}

export interface LoadReport {
  table: LoadableTable;
  version: number;
  source: { path: string; format: string; layer: string | null };
  rows: number;
  /** Geometries repaired with ST_MakeValid (+ ST_CollectionExtract for polygon layers). */
  repaired: number;
  crs: { declared: number | null; used: number; assumed: boolean } | null;
  warnings: string[];
  checks: QcCheck[];
  qcPassed: boolean;
  activated: boolean;
  /** The version that was active before this load (kept for rollback), if any. */
  previousActiveVersion: number | null;
  /** Versions whose rows were purged when this load was activated. */
  purgedVersions: number[];
  durationMs: number;
  timings: Record<string, number>;
}

export const EXAMPLE_LIMIT = 5;

export function passed(rule: string, severity: Severity, message?: string): QcCheck {
  return { rule, severity, passed: true, count: 0, examples: [], ...(message ? { message } : {}) };
}

/** A check from its offending rows (only the first EXAMPLE_LIMIT are kept). */
export function fromViolations(rule: string, severity: Severity, violations: readonly unknown[], total = violations.length, message?: string): QcCheck {
  return { rule, severity, passed: total === 0, count: total, examples: violations.slice(0, EXAMPLE_LIMIT), ...(message ? { message } : {}) };
}

export function blockingFailures(report: LoadReport): QcCheck[] {
  return report.checks.filter((c) => c.severity === 'blocking' && !c.passed);
}

/** One line per failed blocking rule: "gcn_risk_zones v3: RZ in Red/Amber/Green — 2 rows, e.g. …". */
export function describeFailures(reports: readonly LoadReport[]): string[] {
  return reports.flatMap((r) => blockingFailures(r).map((c) => `${r.table} v${r.version}: ${c.rule} failed for ${c.count} row(s), e.g. ${JSON.stringify(c.examples)}${c.message ? ` (${c.message})` : ''}`));
}
