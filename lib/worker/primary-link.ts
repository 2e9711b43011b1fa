// The worker's side of the IPC channel (operations.md §1.4): heartbeats every 5 s and on every
// state change, metric replies per scrape, 15 s snapshots for counter retention, and the
// primary's shutdown and abort orders. A disconnect means the primary is gone: drain alone.

import cluster from 'node:cluster';
import type Logger from 'bunyan';
import type { Registry } from 'prom-client';
import { decodeIpc, sendToPrimary, type MetricFamilyJson } from '../supervisor/ipc.js';
import type { WorkerStatus } from './status.js';

export interface PrimaryLinkOptions {
  slot: number;
  version: string;
  status: WorkerStatus;
  registry: Registry;
  log: Logger;
  onShutdown(deadlineAt: number): void;
  onAbort(reason: string): void;
  onDisconnect(): void;
  heartbeatMs?: number;
  snapshotMs?: number;
  proc?: NodeJS.Process;
}

export interface PrimaryLink {
  start(): void;
  sendReady(): Promise<boolean>;
  heartbeatNow(): Promise<boolean>;
  sendDrained(outcome: 'clean' | 'aborted'): Promise<boolean>;
  close(): void;
}

export function connectToPrimary(options: PrimaryLinkOptions): PrimaryLink {
  const proc = options.proc ?? process;
  const { log, status } = options;
  const timers: NodeJS.Timeout[] = [];

  const metricsJson = async (): Promise<MetricFamilyJson[]> => (await options.registry.getMetricsAsJSON()) as unknown as MetricFamilyJson[];
  const heartbeatNow = (): Promise<boolean> => sendToPrimary({ type: 'nrf:heartbeat', ...status.heartbeat() }, log, proc);

  const onMessage = (raw: unknown): void => {
    const message = decodeIpc(raw);
    if (!message) return;
    switch (message.type) {
      case 'nrf:metrics-request':
        void metricsJson().then(
          (metrics) => sendToPrimary({ type: 'nrf:metrics', requestId: message.requestId, metrics }, log, proc),
          (error: unknown) => log.warn({ err: error }, 'collecting metrics for a scrape failed'),
        );
        break;
      case 'nrf:shutdown':
        options.onShutdown(message.deadlineAt);
        break;
      case 'nrf:abort':
        options.onAbort(message.reason);
        break;
      default:
        break;
    }
  };
  const onDisconnect = (): void => options.onDisconnect();

  return {
    start(): void {
      // Node's cluster child exits at once (code 0) when the channel closes unexpectedly, which
      // would strand the job in hand until its lease runs out; this flag makes it leave the exit
      // to us, so the worker drains with its normal budget (operations.md §1.3).
      if (cluster.worker) cluster.worker.exitedAfterDisconnect = true;
      proc.on('message', onMessage);
      proc.on('disconnect', onDisconnect);
      status.onChange = () => void heartbeatNow();
      const beat = setInterval(() => void heartbeatNow(), options.heartbeatMs ?? 5_000);
      const snapshot = setInterval(() => {
        void metricsJson().then((metrics) => sendToPrimary({ type: 'nrf:snapshot', metrics }, log, proc));
      }, options.snapshotMs ?? 15_000);
      beat.unref();
      snapshot.unref();
      timers.push(beat, snapshot);
      void heartbeatNow();
    },
    sendReady: () => sendToPrimary({ type: 'nrf:ready', slot: options.slot, pid: proc.pid, version: options.version }, log, proc),
    heartbeatNow,
    async sendDrained(outcome): Promise<boolean> {
      return sendToPrimary({ type: 'nrf:drained', outcome, metrics: await metricsJson() }, log, proc);
    },
    close(): void {
      for (const timer of timers) clearInterval(timer);
      proc.off('message', onMessage);
      proc.off('disconnect', onDisconnect);
      status.onChange = () => undefined;
    },
  };
}
