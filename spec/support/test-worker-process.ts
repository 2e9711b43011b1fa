// Runs a real primary (spec/support/test-worker-primary.ts, or bin/worker) as a child process and
// reads its stdout as ECS JSON lines: the primary's and every worker's (workers inherit stdout).
// Specs wait on log events instead of sleeping.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './cluster.js';
import { REPO_ROOT } from './data.js';

export type EcsRecord = Record<string, unknown> & {
  '@timestamp': string;
  'log.level': string;
  message: string;
  'labels.worker'?: string;
  'trace.id'?: string;
  event?: { action?: string; outcome?: string; reason?: string };
  nrf?: { message_id?: string; receive_count?: number };
};

export interface PrimaryProcess {
  child: ChildProcess;
  port: number;
  records: EcsRecord[];
  /** Lines that did not parse as JSON (there should be none). */
  junk: string[];
  stderr(): string;
  waitFor(predicate: (r: EcsRecord) => boolean, timeoutMs?: number, what?: string): Promise<EcsRecord>;
  waitForCount(predicate: (r: EcsRecord) => boolean, count: number, timeoutMs?: number, what?: string): Promise<EcsRecord[]>;
  health(): Promise<{ status: number; body: HealthBody; ms: number }>;
  metrics(): Promise<{ status: number; text: string }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface HealthBody {
  status: string;
  reasons: string[];
  shuttingDown: boolean;
  ready: boolean;
  workers: Array<{ slot: number; pid: number | null; state: string; live: boolean; jobId: string | null; restarts: number; crashLoop: boolean; jobsDone: number }>;
  [key: string]: unknown;
}

/** Environment for a local primary: only what the spec sets, so the runner's own env never leaks in. */
export function baseEnv(overrides: Record<string, string>): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
  const env: Record<string, string> = {};
  for (const k of keep) {
    const value = process.env[k];
    if (value) env[k] = value;
  }
  return {
    ...env,
    ENVIRONMENT: 'local',
    WORKER_COUNT: '2',
    SQS_WAIT_TIME_SECONDS: '1',
    SQS_VISIBILITY_TIMEOUT: '30',
    WORKER_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
    BACKEND_BASE_URL: 'http://127.0.0.1:9',
    AWS_S3_INPUT_BUCKET: 'nrf-inputs',
    DB_SSL_MODE: 'disable',
    GOVUK_NOTIFY_ENABLED: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...overrides,
  };
}

export interface StartOptions {
  env: Record<string, string>;
  /** Worker entry under spec/support/ (default test-worker.ts); ignored with `command: 'bin'`. */
  entry?: string;
  /** `bin` runs the real `bin/worker start` with the production worker entry. */
  command?: 'test' | 'bin';
  /** With `command: 'bin'`: another `bin/worker` (the benchmark runs a compiled runtime layout). */
  binPath?: string;
}

export async function startPrimary(options: StartOptions): Promise<PrimaryProcess> {
  const port = options.env.HEALTH_PORT ? Number(options.env.HEALTH_PORT) : await freePort();
  const env = { ...options.env, HEALTH_PORT: String(port) };
  const args = options.command === 'bin'
    ? [options.binPath ?? path.join(REPO_ROOT, 'bin/worker'), 'start']
    : ['--import', 'tsx', path.join(REPO_ROOT, 'spec/support/test-worker-primary.ts'), options.entry ?? 'test-worker.ts'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const records: EcsRecord[] = [];
  const junk: string[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as EcsRecord);
      } catch {
        junk.push(line);
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close', not 'exit': every line the processes wrote has been read by then.
    child.on('close', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  let finished = false;
  void exited.then(() => {
    finished = true;
  });

  const waitForCount = (predicate: (r: EcsRecord) => boolean, count: number, timeoutMs = 20_000, what = 'log record'): Promise<EcsRecord[]> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = records.filter(predicate);
        if (found.length >= count) {
          cleanup();
          resolve(found);
          return true;
        }
        if (finished) {
          cleanup();
          reject(new Error(`primary exited before ${count} × ${what} (saw ${found.length}); stderr: ${stderr.slice(-2000)}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} × ${what} (saw ${records.filter(predicate).length})`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      const wake = (): void => void check();
      if (!check()) waiters.add(wake);
    });

  const base = `http://127.0.0.1:${port}`;
  return {
    child, port, records, junk, exited,
    stderr: () => stderr,
    waitForCount,
    waitFor: async (predicate, timeoutMs, what) => (await waitForCount(predicate, 1, timeoutMs, what))[0] as EcsRecord,
    async health() {
      const started = performance.now();
      const res = await fetch(`${base}/health`);
      const body = (await res.json()) as HealthBody;
      return { status: res.status, body, ms: performance.now() - started };
    },
    async metrics() {
      const res = await fetch(`${base}/metrics`);
      return { status: res.status, text: await res.text() };
    },
    async stop() {
      if (finished) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls /health until `predicate` holds (the server may not be listening yet). */
export async function waitForHealth(primary: PrimaryProcess, predicate: (body: HealthBody, status: number) => boolean, timeoutMs = 20_000): Promise<HealthBody> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < until) {
    try {
      const { status, body } = await primary.health();
      last = body;
      if (predicate(body, status)) return body;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`health condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** Sum of a metric's samples over every label set, from Prometheus text. */
export function metricSum(text: string, name: string, labelFilter: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name && labelFilter(m[2] ?? '')) sum += Number(m[3]);
  }
  return sum;
}
