// The versioned reference-data loader (nutrient.md §5.6, gcn.md §4, levy.md §2): each table of
// each file becomes a new version in its own transaction (under a per-table lock), QC runs, the
// report is stored; with `activate` and every table clean, all pointers move in one transaction
// and versions older than the previous one are purged.

import type { Sql } from '../db/sql.js';
import { planFile, type PlannedLoad } from './sources.js';
import { activateVersions, activeVersionOf, claimVersion, lockTable, purgeVersions, recordLoad, type Tx } from './versions.js';
import { blockingFailures, describeFailures, type LoadReport } from './report.js';
import type { LoadableTable } from './tables.js';
import { tableKind } from './tables.js';
import type { LoadContext, TableLoadOutcome } from './load/context.js';
import { loadLayer } from './load/layer.js';
import { loadCoefficientFile } from './load/coefficients.js';
import { loadRatesLookup, loadWwtwLookup } from './load/lookups.js';
import { loadLevyCharges, loadLevyInflationIndex } from './load/levy.js';
import { crossTableChecks } from './qc/cross.js';

export interface LoadOptions {
  activate: boolean;
  /** Progress and summary lines (the CLI writes them to stderr). */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface SourceInfo {
  path: string;
  format: string;
  layer: string | null;
}

const PROGRESS_MS = 5000;
const PROGRESS_ROWS = 100_000;

/** Progress every ~5 s or 100k rows, whichever comes first. */
export function progressReporter(label: string, log: (line: string) => void): (rows: number) => void {
  const started = performance.now();
  let lastTime = started;
  let lastRows = 0;
  return (rows) => {
    const now = performance.now();
    if (now - lastTime < PROGRESS_MS && rows - lastRows < PROGRESS_ROWS) return;
    lastTime = now;
    lastRows = rows;
    const seconds = (now - started) / 1000;
    log(`${label}: ${rows.toLocaleString('en-GB')} rows in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 1e-3)).toLocaleString('en-GB')} rows/s)`);
  };
}

/**
 * Loads one table as a new version inside one transaction: lock, claim `max + 1`, run `fill`,
 * record the report. Used for files and for the synthetic coefficient layer.
 */
export async function loadTableVersion(sql: Sql, table: LoadableTable, source: SourceInfo,
  fill: (ctx: LoadContext) => Promise<TableLoadOutcome & { sourceFormat?: string; sourceLayer?: string | null }>, options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  options.signal?.throwIfAborted();
  const report = await sql.begin(async (tx: Tx) => {
    await lockTable(tx, table);
    const version = await claimVersion(tx, table);
    const activeVersion = await activeVersionOf(tx, table);
    const ctx: LoadContext = { tx, table, version, activeVersion, signal: options.signal, onProgress: progressReporter(`${table} v${version}`, log) };
    const outcome = await fill(ctx);
    const result: LoadReport = {
      table, version,
      source: { path: source.path, format: outcome.sourceFormat ?? source.format, layer: outcome.sourceLayer ?? source.layer },
      rows: outcome.rows, repaired: outcome.repaired, crs: outcome.crs, warnings: outcome.warnings, checks: outcome.checks,
      qcPassed: outcome.inserted && !outcome.checks.some((c) => c.severity === 'blocking' && !c.passed),
      activated: false, previousActiveVersion: activeVersion, purgedVersions: [],
      durationMs: Math.round(performance.now() - started), timings: outcome.timings,
    };
    await recordLoad(tx, result);
    return result;
  });
  const failed = blockingFailures(report).length;
  log(`${table} v${report.version}: ${report.rows} rows, ${report.repaired} repaired, QC ${report.qcPassed ? 'passed' : `FAILED (${failed} blocking rule(s))`} in ${(report.durationMs / 1000).toFixed(1)} s`);
  return report;
}

async function fillFromPlan(ctx: LoadContext, plan: PlannedLoad): Promise<TableLoadOutcome & { sourceFormat: string; sourceLayer: string | null }> {
  if (plan.kind === 'features') {
    const source = await plan.open();
    try {
      const outcome = ctx.table === 'coefficient_layer' ? await loadCoefficientFile(ctx, source) : await loadLayer(ctx, source);
      return { ...outcome, sourceFormat: source.format, sourceLayer: source.layer };
    } finally {
      source.close();
    }
  }
  const data = await plan.read();
  const fill = { wwtw_lookup: loadWwtwLookup, rates_lookup: loadRatesLookup, levy_charges: loadLevyCharges, levy_inflation_index: loadLevyInflationIndex } as const;
  const kind = tableKind(ctx.table);
  if (kind !== 'wwtw_lookup' && kind !== 'rates_lookup' && kind !== 'levy_charges' && kind !== 'levy_inflation_index') throw new Error(`${ctx.table} cannot be loaded from ${plan.path}`);
  return { ...(await fill[kind](ctx, data)), sourceFormat: plan.path.toLowerCase().endsWith('.csv') ? 'csv' : 'sqlite', sourceLayer: null };
}

/**
 * Activates every report's version in one transaction when all passed QC (all or nothing), then
 * purges versions older than the previous active one. Mutates and returns the reports.
 */
export async function activateReports(sql: Sql, reports: LoadReport[], options: LoadOptions): Promise<LoadReport[]> {
  const log = options.log ?? (() => undefined);
  const failures = describeFailures(reports);
  if (failures.length > 0 || reports.some((r) => !r.qcPassed)) {
    log(`activation refused: ${failures.length > 0 ? failures.join('; ') : 'a table was not loaded'}; the active versions are unchanged`);
    return reports;
  }
  const activations = await activateVersions(sql, reports.map((r) => ({ table: r.table, version: r.version })), options.signal);
  for (const a of activations) {
    const report = reports.find((r) => r.table === a.table && r.version === a.version);
    if (!report) continue;
    report.activated = true;
    report.previousActiveVersion = a.previous;
    report.purgedVersions = await purgeVersions(sql, a.table, [a.version, ...(a.previous === null ? [] : [a.previous])], options.signal);
    await recordLoad(sql, report);
    log(`${a.table}: v${a.version} active${a.previous === null ? '' : ` (v${a.previous} kept for rollback)`}${report.purgedVersions.length > 0 ? `, purged v${report.purgedVersions.join(', v')}` : ''}`);
  }
  return reports;
}

/**
 * `bin/worker load-data PATH... [--activate]` as a function. Each PATH (or TABLE=PATH) is loaded
 * as a new version of its table(s); returns one report per table, in load order.
 */
export async function loadReferenceFiles(sql: Sql, paths: readonly string[], options: LoadOptions): Promise<LoadReport[]> {
  const plans = paths.flatMap((p) => planFile(p));
  const seen = new Set<string>();
  for (const plan of plans) {
    if (seen.has(plan.table)) throw new Error(`${plan.table} is loaded twice in one run (${plan.path})`);
    seen.add(plan.table);
  }
  const reports: LoadReport[] = [];
  for (const plan of plans) {
    reports.push(await loadTableVersion(sql, plan.table, { path: plan.path, format: plan.kind, layer: null }, (ctx) => fillFromPlan(ctx, plan), options));
  }
  for (const changed of await crossTableChecks(sql, reports)) await recordLoad(sql, changed);
  if (options.activate) await activateReports(sql, reports, options);
  return reports;
}
