// The /health document (operations.md §3.2), built synchronously from in-memory state: no I/O,
// no aggregation, so it answers fast while every worker is CPU-bound. `status` is the first key.
// Dependencies are never probed per request: only the three `failing` conditions are worth ECS
// replacing the task.

import type { HeartbeatPayload, WorkerState } from '../supervisor/ipc.js';
import { SUPERVISION, isLive, isStale } from '../supervisor/slot-policy.js';

export const DB_FAILING_AFTER_MS = 120_000;

export type HealthStatus = 'ok' | 'degraded' | 'failing';

/** What the supervisor knows about one slot. */
export interface SlotView {
  slot: number;
  pid: number | null;
  state: WorkerState;
  /** Epoch ms of the last heartbeat (or null before the first). */
  lastHeartbeatAt: number | null;
  heartbeat: HeartbeatPayload | null;
  restarts: number;
  crashLoop: boolean;
}

export interface HealthInput {
  service: string;
  version: string;
  environment: string;
  startedAt: number;
  now: number;
  workerCount: number;
  shuttingDown: boolean;
  slots: SlotView[];
}

export interface HealthReport {
  status: HealthStatus;
  httpStatus: 200 | 503;
  body: Record<string, unknown>;
  liveWorkers: number;
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

function newestReadiness(slots: SlotView[]): HeartbeatPayload['readiness'] | null {
  let newest: HeartbeatPayload['readiness'] | null = null;
  for (const s of slots) {
    const r = s.heartbeat?.readiness;
    if (r && r.checkedAt > 0 && (!newest || r.checkedAt > newest.checkedAt)) newest = r;
  }
  return newest;
}

function workerView(s: SlotView, now: number) {
  const age = s.lastHeartbeatAt === null ? null : now - s.lastHeartbeatAt;
  const hb = s.heartbeat;
  const jobStartedAt = hb?.jobStartedAt ?? null;
  return {
    slot: s.slot,
    pid: s.pid,
    state: s.state,
    live: isLive(s.state, age),
    jobId: hb?.jobId ?? null,
    jobSeconds: jobStartedAt === null ? null : Math.max(0, Math.round((now - jobStartedAt) / 1000)),
    heartbeatAgeSeconds: age === null ? null : seconds(age),
    jobsDone: hb?.jobsDone ?? 0,
    jobsFailed: hb?.jobsFailed ?? 0,
    restarts: s.restarts,
    crashLoop: s.crashLoop,
  };
}

export function buildHealth(input: HealthInput): HealthReport {
  const { now, slots } = input;
  const workers = slots.map((s) => workerView(s, now));
  const live = workers.filter((w) => w.live).length;
  const failing: string[] = [];
  const degraded: string[] = [];

  const bootOver = now - input.startedAt > SUPERVISION.bootGraceMs;
  if (bootOver && live === 0 && !input.shuttingDown) failing.push('no live worker');
  for (const w of workers) if (w.crashLoop) failing.push(`worker ${w.slot}: crash loop`);

  const reports = slots.map((s) => s.heartbeat?.readiness).filter((r): r is HeartbeatPayload['readiness'] => !!r && r.checkedAt > 0);
  const dbDownFor = (r: HeartbeatPayload['readiness']): number => (r.db ? 0 : now - (r.dbFailingSince ?? now));
  if (reports.length > 0 && reports.every((r) => dbDownFor(r) > DB_FAILING_AFTER_MS)) failing.push('database unreachable for more than 120 s');

  if (input.shuttingDown) degraded.push('shutting down');
  const starting = slots.length === 0 || slots.some((s) => s.state === 'starting');
  if (starting && !input.shuttingDown) degraded.push('starting');
  for (const w of workers) {
    if (w.heartbeatAgeSeconds !== null && isStale(w.heartbeatAgeSeconds * 1000)) degraded.push(`worker ${w.slot}: heartbeat ${Math.round(w.heartbeatAgeSeconds)} s old`);
  }
  if (live < input.workerCount) degraded.push(`${live} of ${input.workerCount} workers live`);
  const readiness = newestReadiness(slots);
  if (readiness && !readiness.referenceData) degraded.push(`reference data missing: ${readiness.missing.join(', ') || 'unknown'}`);
  if (readiness && !readiness.db && failing.every((r) => !r.startsWith('database'))) degraded.push('database unreachable');
  for (const s of slots) {
    if (s.heartbeat?.sqs.state === 'failing') degraded.push(`worker ${s.slot}: SQS failing for 5 min`);
    if (s.heartbeat && !s.heartbeat.sqs.redriveOk) degraded.push(`worker ${s.slot}: redrive policy check failed`);
  }

  const status: HealthStatus = failing.length > 0 ? 'failing' : degraded.length > 0 ? 'degraded' : 'ok';
  const dbUnreachableFor = readiness && !readiness.db ? now - (readiness.dbFailingSince ?? now) : 0;
  const body: Record<string, unknown> = {
    status,
    reasons: [...failing, ...degraded],
    service: input.service,
    version: input.version,
    environment: input.environment,
    uptimeSeconds: Math.floor((now - input.startedAt) / 1000),
    shuttingDown: input.shuttingDown,
    ready: !!readiness && readiness.db && readiness.referenceData,
    readiness: {
      database: {
        reachable: readiness?.db ?? false,
        checkedSecondsAgo: readiness ? Math.round((now - readiness.checkedAt) / 1000) : null,
        unreachableForSeconds: Math.round(dbUnreachableFor / 1000),
      },
      referenceData: { present: readiness?.referenceData ?? false, missing: readiness?.missing ?? [] },
    },
    referenceDataVersions: readiness?.versions ?? {},
    workers,
  };
  return { status, httpStatus: status === 'failing' ? 503 : 200, body, liveWorkers: live };
}
