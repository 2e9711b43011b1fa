// The readiness gate (contracts.md §7.3, operations.md §3.2). Workers measure readiness, not
// /health: every 15 s an idle worker runs the injected check (SELECT 1 + active reference data);
// a busy one skips it. While the gate is closed the poll loop receives nothing and re-checks
// every 5 s. Reports travel to the primary in the IPC heartbeat.

import type Logger from 'bunyan';
import type { Sql } from '../db/sql.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { coerceError } from '../errors.js';
import type { Readiness } from '../reference/readiness.js';
import type { ReadinessSnapshot } from '../supervisor/ipc.js';

export type { ReadinessSnapshot };

/** What lib/reference/readiness.ts `checkReadiness(sql)` reports, minus its error text. */
export type ReadinessReport = Pick<Readiness, 'database' | 'referenceData' | 'missing' | 'versions'>;

export type ReadinessCheck = (sql: Sql) => Promise<ReadinessReport>;

export interface ReadinessMonitorOptions {
  check: ReadinessCheck;
  sql: Sql;
  metrics: WorkerMetrics;
  log: () => Logger;
  /** Periodic checks run only while this says the worker is idle. */
  isIdle: () => boolean;
  onChange?: () => void;
  intervalMs?: number;
  now?: () => number;
}

export class ReadinessMonitor {
  private snapshotValue: ReadinessSnapshot = { db: false, referenceData: false, missing: [], versions: {}, checkedAt: 0 };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<ReadinessSnapshot> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ReadinessMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  get snapshot(): ReadinessSnapshot {
    return this.snapshotValue;
  }

  isOpen(): boolean {
    return this.snapshotValue.db && this.snapshotValue.referenceData;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.options.isIdle()) void this.refresh();
    }, this.options.intervalMs ?? 15_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs one check (joining a check already in flight). Never throws. */
  refresh(): Promise<ReadinessSnapshot> {
    this.running ??= this.runCheck().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runCheck(): Promise<ReadinessSnapshot> {
    let report: ReadinessReport;
    try {
      report = await this.options.check(this.options.sql);
    } catch (error) {
      this.options.log().debug({ err: coerceError(error) }, 'readiness check failed');
      report = { database: false, referenceData: false, missing: [], versions: this.snapshotValue.versions };
    }
    const previous = this.snapshotValue;
    const now = this.now();
    const next: ReadinessSnapshot = {
      db: report.database,
      referenceData: report.referenceData,
      missing: [...report.missing],
      versions: { ...report.versions },
      checkedAt: now,
    };
    if (!report.database) next.dbFailingSince = previous.db || previous.checkedAt === 0 ? now : (previous.dbFailingSince ?? now);
    this.snapshotValue = next;
    this.record(previous, next);
    return next;
  }

  private record(previous: ReadinessSnapshot, next: ReadinessSnapshot): void {
    const { metrics } = this.options;
    metrics.ready.set(this.isOpen() ? 1 : 0);
    for (const [table, version] of Object.entries(next.versions)) metrics.referenceDataVersion.set({ table }, version);
    const changed = previous.checkedAt === 0 || previous.db !== next.db || previous.referenceData !== next.referenceData
      || previous.missing.join(',') !== next.missing.join(',');
    if (!changed) return;
    const level = this.isOpen() ? 'info' : 'warn';
    this.options.log()[level]({
      event: { action: 'readiness.changed', outcome: this.isOpen() ? 'success' : 'failure' },
      readiness: { database: next.db, referenceData: next.referenceData, missing: next.missing, versions: next.versions },
    }, this.isOpen() ? 'ready: database reachable and reference data present' : 'not ready: polling paused');
    this.options.onChange?.();
  }
}
