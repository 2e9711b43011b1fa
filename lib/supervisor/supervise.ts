// Fork, watch and restart the workers (operations.md §1.5). One slot per worker; a replacement
// inherits the slot. Restarts back off per slot (1 s doubling to 30 s, reset after 60 s live);
// five unplanned exits in five minutes flag a crash loop; a heartbeat older than 120 s is a stall
// (SIGKILL, counted as a restart); a worker's exit 78 is a configuration fault that stops the
// task. Exits during shutdown are expected: no restarts, never counted as crashes.

import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import type Logger from 'bunyan';
import type { ClusterMetrics, ScrapeTarget } from '../http/cluster-metrics.js';
import type { SlotView } from '../http/health.js';
import type { PrimaryMetrics } from '../observability/metrics.js';
import { decodeIpc, sendToWorker, type HeartbeatPayload, type IpcMessage, type WorkerState } from './ipc.js';
import { SUPERVISION, SlotRestartPolicy, isLive, isStalled } from './slot-policy.js';
import { EXIT } from './shutdown.js';

export interface SupervisorOptions {
  workerCount: number;
  /** The worker entry module (cluster.setupPrimary({ exec })). */
  exec: string;
  execArgv: string[];
  log: Logger;
  metrics: PrimaryMetrics;
  clusterMetrics: ClusterMetrics;
  /** A worker exited 78: the task's configuration is wrong. */
  onConfigFault(slot: number): void;
  /** During shutdown, the last worker has exited. */
  onAllExited(): void;
  tickMs?: number;
  now?: () => number;
}

interface Slot {
  slot: number;
  worker: Worker | null;
  state: WorkerState;
  forkedAt: number;
  lastHeartbeatAt: number | null;
  heartbeat: HeartbeatPayload | null;
  ready: boolean;
  liveSince: number | null;
  restarts: number;
  stalled: boolean;
  policy: SlotRestartPolicy;
  restartTimer: NodeJS.Timeout | null;
}

export class Supervisor {
  private readonly slots: Slot[] = [];
  private tick: NodeJS.Timeout | null = null;
  private shuttingDown = false;
  private abortReason: string | null = null;
  private deadlineAt = 0;
  private reniceWarned = false;
  private readonly now: () => number;

  constructor(private readonly options: SupervisorOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    cluster.setupPrimary({ exec: this.options.exec, execArgv: this.options.execArgv });
    for (let slot = 0; slot < this.options.workerCount; slot += 1) {
      const state: Slot = { slot, worker: null, state: 'starting', forkedAt: 0, lastHeartbeatAt: null, heartbeat: null, ready: false, liveSince: null, restarts: 0, stalled: false, policy: new SlotRestartPolicy(), restartTimer: null };
      this.slots.push(state);
      this.fork(state);
    }
    this.tick = setInterval(() => this.supervise(), this.options.tickMs ?? 5_000);
    this.tick.unref();
  }

  private fork(slot: Slot): void {
    const worker = cluster.fork({ WORKER_SLOT: String(slot.slot) });
    Object.assign(slot, { worker, state: 'starting', forkedAt: this.now(), lastHeartbeatAt: null, heartbeat: null, ready: false, liveSince: null, stalled: false, restartTimer: null });
    const pid = worker.process.pid;
    if (pid !== undefined) {
      try {
        // The primary wins the CPU when every worker is busy, so /health stays fast.
        os.setPriority(pid, 5);
      } catch (error) {
        if (!this.reniceWarned) this.options.log.warn({ err: error }, 'could not renice workers; continuing');
        this.reniceWarned = true;
      }
    }
    worker.on('message', (raw: unknown) => this.onMessage(slot, worker, raw));
    worker.on('exit', (code: number | null, signal: string | null) => this.onExit(slot, worker, code, signal));
    worker.on('error', (error: Error) => this.options.log.warn({ err: error, worker: { slot: slot.slot } }, 'worker channel error'));
  }

  private onMessage(slot: Slot, worker: Worker, raw: unknown): void {
    if (slot.worker !== worker) return;
    const message = decodeIpc(raw);
    if (!message) return;
    switch (message.type) {
      case 'nrf:heartbeat': {
        const { type: _type, ...payload } = message;
        slot.heartbeat = payload;
        slot.state = payload.state;
        slot.lastHeartbeatAt = this.now();
        // A worker still booting when the drain began may have missed the order: repeat it.
        if (this.shuttingDown && payload.state !== 'draining' && payload.state !== 'exited') this.sendOrders(worker);
        break;
      }
      case 'nrf:ready':
        slot.ready = true;
        this.options.log.info({ event: { action: 'worker.started' }, worker: { slot: slot.slot, pid: message.pid, version: message.version } }, `worker ${slot.slot} ready`);
        break;
      case 'nrf:metrics':
        this.options.clusterMetrics.onReply(slot.slot, message.requestId, message.metrics);
        break;
      case 'nrf:snapshot':
        this.options.clusterMetrics.onSnapshot(slot.slot, message.metrics);
        break;
      case 'nrf:drained':
        this.options.clusterMetrics.onSnapshot(slot.slot, message.metrics);
        slot.state = 'exited';
        break;
      default:
        break;
    }
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = null;
    slot.state = 'exited';
    this.options.clusterMetrics.retire(slot.slot);
    const exit = { slot: slot.slot, pid: worker.process.pid, code, signal };
    if (this.shuttingDown) {
      this.options.log.info({ event: { action: 'worker.exited', reason: 'shutdown' }, worker: exit }, `worker ${slot.slot} exited`);
      if (this.slots.every((s) => s.worker === null)) setImmediate(() => this.options.onAllExited());
      return;
    }
    if (code === EXIT.config) {
      this.options.log.fatal({ event: { action: 'worker.exited', reason: 'config' }, worker: exit }, `worker ${slot.slot} found a configuration fault (exit 78); stopping`);
      this.options.onConfigFault(slot.slot);
      return;
    }
    const delay = slot.policy.recordUnplannedExit(this.now());
    this.options.metrics.workerCrashLoop.set({ worker: String(slot.slot) }, slot.policy.crashLoop ? 1 : 0);
    this.options.log.warn({ event: { action: 'worker.exited', reason: slot.stalled ? 'stalled' : 'crashed' }, worker: { ...exit, restartInMs: delay, crashLoop: slot.policy.crashLoop } }, `worker ${slot.slot} exited unexpectedly; restarting in ${delay} ms`);
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (this.shuttingDown) return;
      slot.restarts += 1;
      this.options.metrics.workerRestarts.inc({ worker: String(slot.slot) });
      this.fork(slot);
      this.options.log.info({ event: { action: 'worker.restarted' }, worker: { ...exit, restarts: slot.restarts, newPid: slot.worker?.process.pid } }, `worker ${slot.slot} restarted`);
    }, delay);
  }

  /** Every 5 s: liveness bookkeeping, crash-loop healing and stall kills. */
  private supervise(): void {
    const now = this.now();
    for (const slot of this.slots) {
      if (!slot.worker) continue;
      const age = now - (slot.lastHeartbeatAt ?? slot.forkedAt);
      if (isLive(slot.state, slot.lastHeartbeatAt === null ? null : age)) {
        slot.liveSince ??= now;
        slot.policy.observeLive(now - slot.liveSince);
        this.options.metrics.workerCrashLoop.set({ worker: String(slot.slot) }, slot.policy.crashLoop ? 1 : 0);
      } else slot.liveSince = null;
      if (!this.shuttingDown && !slot.stalled && isStalled(age)) {
        slot.stalled = true;
        this.options.log.error({ event: { action: 'worker.stalled' }, worker: { slot: slot.slot, pid: slot.worker.process.pid, heartbeatAgeSeconds: Math.round(age / 1000) } }, `worker ${slot.slot} stalled; SIGKILL`);
        slot.worker.process.kill('SIGKILL');
      }
    }
  }

  private sendOrders(worker: Worker): void {
    sendToWorker(worker, { type: 'nrf:shutdown', deadlineAt: this.deadlineAt }, this.options.log);
    if (this.abortReason !== null) sendToWorker(worker, { type: 'nrf:abort', reason: this.abortReason }, this.options.log);
  }

  /** Draining: stop restarting and relay the drain. */
  drain(deadlineAt: number): void {
    this.shuttingDown = true;
    this.deadlineAt = deadlineAt;
    for (const slot of this.slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      if (slot.worker) this.sendOrders(slot.worker);
    }
    if (this.slots.every((s) => s.worker === null)) setImmediate(() => this.options.onAllExited());
  }

  abort(reason: string): void {
    this.abortReason = reason;
    for (const slot of this.slots) if (slot.worker) sendToWorker(slot.worker, { type: 'nrf:abort', reason }, this.options.log);
  }

  killAll(): void {
    for (const slot of this.slots) {
      if (!slot.worker || slot.worker.isDead()) continue;
      this.options.log.warn({ worker: { slot: slot.slot, pid: slot.worker.process.pid } }, `SIGKILL to worker ${slot.slot}`);
      slot.worker.process.kill('SIGKILL');
    }
  }

  stop(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    for (const slot of this.slots) if (slot.restartTimer) clearTimeout(slot.restartTimer);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  slotViews(): SlotView[] {
    return this.slots.map((s) => ({
      slot: s.slot, pid: s.worker?.process.pid ?? null, state: s.worker ? s.state : 'exited', lastHeartbeatAt: s.lastHeartbeatAt,
      heartbeat: s.heartbeat, restarts: s.restarts, crashLoop: s.policy.crashLoop,
    }));
  }

  /** Connected workers that said `nrf:ready`: the ones a scrape asks. */
  scrapeTargets(): ScrapeTarget[] {
    return this.slots
      .filter((s) => s.worker !== null && s.ready && s.worker.isConnected())
      .map((s) => {
        const worker = s.worker as Worker;
        return { slot: s.slot, send: (message: IpcMessage) => sendToWorker(worker, message, this.options.log) };
      });
  }

  /** Worker counts by state for the `workers` gauge (stale counted apart). */
  countsByState(): Record<'starting' | 'idle' | 'busy' | 'draining' | 'stale', number> {
    const counts = { starting: 0, idle: 0, busy: 0, draining: 0, stale: 0 };
    const now = this.now();
    for (const s of this.slots) {
      if (!s.worker) continue;
      if (s.lastHeartbeatAt !== null && now - s.lastHeartbeatAt > SUPERVISION.staleAfterMs) counts.stale += 1;
      else if (s.state !== 'exited') counts[s.state] += 1;
    }
    return counts;
  }
}
