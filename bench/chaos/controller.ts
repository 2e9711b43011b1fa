// The chaos controller: every few seconds one action — SIGKILL a random worker, SIGTERM and
// replace a supervisor, restart PostgreSQL (fast or immediate), or make the fake backend or the
// Notify proxy fail for a burst. Long actions run in the background; at most one supervisor is
// being replaced at a time and one PostgreSQL restart runs at a time. Stops when told to.

import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Stack } from '../../spec/support/stack.js';
import type { FaultProxy, ProxyMode } from './fault-proxy.js';
import type { Fleet } from './fleet.js';
import { seededRandom, sleep } from '../lib/stats.js';

const PG_CTL = '/usr/lib/postgresql/15/bin/pg_ctl';

/**
 * pg_ctl restart as the postgres user. The log file must be named again: without `-l` the new
 * server inherits pg_ctl's stdout, and a pipe held by the server never closes.
 */
function restartServer(dataDir: string, mode: 'fast' | 'immediate'): Promise<void> {
  const argv = ['-u', 'postgres', '--', PG_CTL, '-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-m', mode, '-t', '60', '-w', 'restart'];
  return new Promise((resolve, reject) => {
    const child = spawn('runuser', argv, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl restart exited ${code}`))));
  });
}

export type ActionName = 'kill-worker' | 'replace-supervisor' | 'restart-postgres' | 'backend-burst' | 'notify-burst';

export interface ChaosEvent {
  at: string;
  atS: number;
  action: ActionName;
  detail: string;
}

const WEIGHTS: [ActionName, number][] = [
  ['kill-worker', 0.32], ['replace-supervisor', 0.13], ['restart-postgres', 0.1], ['backend-burst', 0.22], ['notify-burst', 0.23],
];

export class ChaosController {
  readonly events: ChaosEvent[] = [];
  private readonly random: () => number;
  private stopped = false;
  private pgRestarting = false;
  private readonly background = new Set<Promise<void>>();
  private readonly started = Date.now();

  constructor(private readonly stack: Stack, private readonly fleet: Fleet, private readonly notifyProxy: FaultProxy, seed = 27700) {
    this.random = seededRandom(seed);
  }

  private note(action: ActionName, detail: string): void {
    this.events.push({ at: new Date().toISOString(), atS: Math.round((Date.now() - this.started) / 100) / 10, action, detail });
  }

  private pick(): ActionName {
    let roll = this.random();
    for (const [name, weight] of WEIGHTS) {
      if (roll < weight) return name;
      roll -= weight;
    }
    return 'kill-worker';
  }

  private inBackground(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.note('restart-postgres', `background action failed: ${String(error)}`)).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private async killWorker(): Promise<void> {
    const running = this.fleet.running();
    const primary = running[Math.floor(this.random() * running.length)];
    if (!primary) return;
    const { body } = await primary.health();
    const candidates = body.workers.filter((w) => w.pid !== null && w.live);
    const worker = candidates[Math.floor(this.random() * candidates.length)];
    if (!worker?.pid) return;
    try {
      process.kill(worker.pid, 'SIGKILL');
      this.note('kill-worker', `pid ${worker.pid} (slot ${worker.slot}, ${worker.state}${worker.jobId ? ', mid-job' : ''})`);
    } catch {
      // already gone
    }
  }

  private replaceSupervisor(): void {
    if (this.fleet.replacing() > 0 || this.fleet.running().length < this.fleet.count()) return;
    const index = Math.floor(this.random() * this.fleet.count());
    this.note('replace-supervisor', `supervisor ${index}: SIGTERM`);
    this.inBackground(this.fleet.replace(index).then((r) => this.note('replace-supervisor', `supervisor ${index}: exited ${r.exitCode} after ${r.stopMs} ms, replacement ready`)));
  }

  private restartPostgres(): void {
    if (this.pgRestarting) return;
    this.pgRestarting = true;
    const mode = this.random() < 0.5 ? 'fast' : 'immediate';
    const started = Date.now();
    this.note('restart-postgres', `pg_ctl restart -m ${mode}`);
    this.inBackground(restartServer(this.stack.cluster.dataDir, mode).then(() => this.note('restart-postgres', `back after ${Date.now() - started} ms`)).finally(() => {
      this.pgRestarting = false;
    }));
  }

  private backendBurst(): void {
    const roll = this.random();
    if (roll < 0.4) {
      const times = 3 + Math.floor(this.random() * 12);
      const status = this.random() < 0.7 ? 503 : 429;
      this.stack.backend.inject({ type: 'status', status, times });
      this.note('backend-burst', `next ${times} callbacks answer ${status}`);
    } else if (roll < 0.7) {
      const times = 2 + Math.floor(this.random() * 8);
      this.stack.backend.inject({ type: 'drop', times });
      this.note('backend-burst', `next ${times} callbacks dropped unanswered`);
    } else {
      const ms = 2000 + Math.floor(this.random() * 6000);
      this.stack.backend.inject({ type: 'down' });
      this.note('backend-burst', `backend down for ${ms} ms`);
      this.inBackground(sleep(ms).then(() => this.stack.backend.clearFaults()));
    }
  }

  private notifyBurst(): void {
    const ms = 2000 + Math.floor(this.random() * 6000);
    const roll = this.random();
    const mode: ProxyMode = roll < 0.35 ? { kind: 'status', status: this.random() < 0.5 ? 500 : 429 }
      : roll < 0.6 ? { kind: 'drop-before' } : { kind: 'drop-after' };
    this.notifyProxy.burst(mode, ms);
    this.note('notify-burst', `${mode.kind}${mode.kind === 'status' ? ` ${mode.status}` : ''} for ${ms} ms`);
  }

  /** Acts every 2–6 s until stop() is called. */
  async run(): Promise<void> {
    while (!this.stopped) {
      const action = this.pick();
      try {
        if (action === 'kill-worker') await this.killWorker();
        else if (action === 'replace-supervisor') this.replaceSupervisor();
        else if (action === 'restart-postgres') this.restartPostgres();
        else if (action === 'backend-burst') this.backendBurst();
        else this.notifyBurst();
      } catch (error) {
        this.note(action, `error: ${String(error)}`);
      }
      await sleep(2000 + this.random() * 4000);
    }
  }

  /** Stops acting, waits for background actions, heals every fault. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.background]);
    this.stack.backend.clearFaults();
    this.notifyProxy.clear();
  }
}
