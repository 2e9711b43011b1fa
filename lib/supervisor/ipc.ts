// The primary ⇄ worker IPC protocol (operations.md §1.4): one typed union, one decoder. Every
// message is a JSON object whose `type` starts with `nrf:`; prom-client's own `prom-client:*`
// messages share the channel, so the decoder returns null for anything it does not know.

import type { Worker } from 'node:cluster';
import type Logger from 'bunyan';

export type WorkerState = 'starting' | 'idle' | 'busy' | 'draining' | 'exited';
export type SqsHealthState = 'ok' | 'retrying' | 'failing';

/** prom-client's `getMetricsAsJSON()` shape, kept structural so the primary needs no worker code. */
export interface MetricValueJson {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

export interface MetricFamilyJson {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: MetricValueJson[];
}

/** A worker's last readiness check (contracts.md §7.3), as its heartbeat carries it to /health. */
export interface ReadinessSnapshot {
  db: boolean;
  /** Epoch ms since the database has been failing (set while `db` is false). */
  dbFailingSince?: number;
  referenceData: boolean;
  missing: string[];
  versions: Record<string, number>;
  /** Epoch ms of the last completed check; 0 before the first. */
  checkedAt: number;
}

export interface HeartbeatPayload {
  state: WorkerState;
  jobId?: string;
  jobStartedAt?: number;
  jobsDone: number;
  jobsFailed: number;
  readiness: ReadinessSnapshot;
  sqs: {
    state: SqsHealthState;
    failingSince?: number;
    /** false when the start-up redrive check failed (logged, not fatal, when local). */
    redriveOk: boolean;
  };
}

export type IpcMessage =
  | { type: 'nrf:ready'; slot: number; pid: number; version: string }
  | ({ type: 'nrf:heartbeat' } & HeartbeatPayload)
  | { type: 'nrf:metrics-request'; requestId: number }
  | { type: 'nrf:metrics'; requestId: number; metrics: MetricFamilyJson[] }
  | { type: 'nrf:snapshot'; metrics: MetricFamilyJson[] }
  | { type: 'nrf:shutdown'; deadlineAt: number }
  | { type: 'nrf:abort'; reason: string }
  | { type: 'nrf:drained'; outcome: 'clean' | 'aborted'; metrics: MetricFamilyJson[] };

export type IpcType = IpcMessage['type'];

const WORKER_STATES = new Set<string>(['starting', 'idle', 'busy', 'draining', 'exited']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isMetricList(value: unknown): value is MetricFamilyJson[] {
  return Array.isArray(value) && value.every((m) => isObject(m) && typeof m.name === 'string' && Array.isArray(m.values));
}

function isHeartbeat(m: Record<string, unknown>): boolean {
  return typeof m.state === 'string' && WORKER_STATES.has(m.state) && isNumber(m.jobsDone) && isNumber(m.jobsFailed)
    && isObject(m.readiness) && isObject(m.sqs);
}

/** The one decoder: a well-formed `nrf:*` message, or null (unknown types included). */
export function decodeIpc(raw: unknown): IpcMessage | null {
  if (!isObject(raw) || typeof raw.type !== 'string' || !raw.type.startsWith('nrf:')) return null;
  const m = raw;
  switch (m.type) {
    case 'nrf:ready':
      return isNumber(m.slot) && isNumber(m.pid) && typeof m.version === 'string' ? (m as IpcMessage) : null;
    case 'nrf:heartbeat':
      return isHeartbeat(m) ? (m as IpcMessage) : null;
    case 'nrf:metrics-request':
      return isNumber(m.requestId) ? (m as IpcMessage) : null;
    case 'nrf:metrics':
      return isNumber(m.requestId) && isMetricList(m.metrics) ? (m as IpcMessage) : null;
    case 'nrf:snapshot':
      return isMetricList(m.metrics) ? (m as IpcMessage) : null;
    case 'nrf:shutdown':
      return isNumber(m.deadlineAt) ? (m as IpcMessage) : null;
    case 'nrf:abort':
      return typeof m.reason === 'string' ? (m as IpcMessage) : null;
    case 'nrf:drained':
      return (m.outcome === 'clean' || m.outcome === 'aborted') && isMetricList(m.metrics) ? (m as IpcMessage) : null;
    default:
      return null;
  }
}

function isChannelClosed(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'ERR_IPC_CHANNEL_CLOSED';
}

/** Primary → worker. A closed channel (worker exiting) is expected and only debug-logged. */
export function sendToWorker(worker: Worker, message: IpcMessage, log: Logger): boolean {
  if (!worker.isConnected()) return false;
  try {
    return worker.send(message, (error: Error | null) => {
      if (error && !isChannelClosed(error)) log.warn({ err: error, ipc: { type: message.type } }, 'IPC send to worker failed');
      else if (error) log.debug({ ipc: { type: message.type } }, 'IPC channel closed before send');
    });
  } catch (error) {
    if (!isChannelClosed(error)) throw error;
    log.debug({ ipc: { type: message.type } }, 'IPC channel closed before send');
    return false;
  }
}

/** Worker → primary, with the same closed-channel tolerance. */
export function sendToPrimary(message: IpcMessage, log: Logger, proc: NodeJS.Process = process): Promise<boolean> {
  return new Promise((resolve) => {
    if (!proc.send || !proc.connected) {
      resolve(false);
      return;
    }
    try {
      proc.send(message, undefined, undefined, (error: Error | null) => {
        if (error && !isChannelClosed(error)) log.warn({ err: error, ipc: { type: message.type } }, 'IPC send to primary failed');
        resolve(!error);
      });
    } catch (error) {
      if (!isChannelClosed(error)) log.warn({ err: error, ipc: { type: message.type } }, 'IPC send to primary failed');
      resolve(false);
    }
  });
}
