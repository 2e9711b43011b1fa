// `bin/worker demo`: the whole service on embedded defaults. Starts PostGIS, the SQS/S3 emulator,
// the fake backend and Notify (spec/support/stack.ts), loads reference data (public samples when
// present, else a synthetic world), starts the real supervisor with two workers, sends four jobs,
// shows progress, prints a summary of each outcome and cleans everything up.

import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { DemoJob } from './jobs.js';
import type { Observed } from './observe.js';

export interface DemoOptions {
  /** Public data folder (holding reference/ and inputs/); default ../shared/data next to the clone. */
  dataDir: string | null;
  /** CI mode: synthetic world, no hold. */
  short: boolean;
  /** Keep the stack up after the summary until Ctrl-C, to look at /health and /metrics. */
  hold: boolean;
  timeoutSeconds: number;
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

async function loadDevParts() {
  try {
    const [stack, primary, cluster] = await Promise.all([
      import('../spec/support/stack.js'),
      import('../spec/support/test-worker-process.js'),
      import('../spec/support/cluster.js'),
    ]);
    return { ...stack, ...primary, ...cluster };
  } catch (error) {
    throw new Error(`the demo needs a development checkout with dev dependencies (npm ci): ${(error as Error).message}`);
  }
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const dev = await loadDevParts();
  const { sendDemoJobs } = await import('./jobs.js');
  const { observe, settled } = await import('./observe.js');
  const { renderSummary } = await import('./summary.js');
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const dataDir = options.short ? null : options.dataDir && existsSync(path.join(options.dataDir, 'reference')) ? options.dataDir : null;
  say(`NRF impact assessment worker — demo (${dataDir ? `public test data from ${dataDir}` : 'synthetic reference world'})`);
  say('Starting PostgreSQL + PostGIS, loading reference data, starting the SQS/S3 emulator and the fake backend and Notify…');
  const stack = await dev.startStack({ synthetic: dataDir === null, dataDir: dataDir ?? undefined, log: (l) => say(`  ${l}`) });
  let primary: Awaited<ReturnType<typeof dev.startPrimary>> | null = null;
  const cleanup = async (): Promise<void> => {
    if (primary) {
      primary.child.kill('SIGTERM');
      const exit = await Promise.race([primary.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
      say(exit ? `Supervisor stopped (exit code ${String(exit.code)}).` : 'Supervisor did not stop in time; killed.');
      await primary.stop();
    }
    await stack.stop();
  };
  // The demo owns its terminal: Ctrl-C cleans up instead of leaving PostgreSQL running.
  const onInterrupt = (): void => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onInterrupt);
  try {
    const port = (await portFree(8085)) ? 8085 : await dev.freePort();
    primary = await dev.startPrimary({
      command: 'bin',
      env: dev.baseEnv({ ...stack.env, HEALTH_PORT: String(port), WORKER_COUNT: '2', SQS_WAIT_TIME_SECONDS: '2', WORKER_GRACEFUL_SHUTDOWN_TIMEOUT: '10' }),
    });
    say(`Supervisor started with 2 workers (pid ${String(primary.child.pid)}) after ${elapsed()}.`);
    say(`  health:  http://localhost:${port}/health`);
    say(`  metrics: http://localhost:${port}/metrics`);
    await dev.waitForHealth(primary, (body) => body.ready && body.workers.filter((w) => w.live).length === 2, 60_000);
    say('Workers are ready. Sending the jobs:');
    const jobs = await sendDemoJobs({ sqs: stack.aws.sqs, s3: stack.aws.s3, queueUrl: stack.aws.queueUrl, bucket: stack.aws.bucket, developerEmail: 'developer@example.com' }, dataDir);
    for (const job of jobs) say(`  → ${job.name}: ${job.describe}`);
    const observers = {
      sql: stack.sql,
      calls: () => stack.backend.calls(),
      emails: () => stack.notify.notifications(),
      queueBodies: () => {
        const bodies = (name: string): string[] => {
          const q = stack.aws.server.inspectQueue(name);
          return q ? [...q.messages.ready, ...q.messages.delayed, ...q.messages.inflight.map((m) => m.message)].map((m) => m.body) : [];
        };
        return { main: bodies(stack.aws.queueName), dlq: bodies(stack.aws.dlqName) };
      },
    };
    const observed = await waitForJobs(jobs, () => observe(observers, jobs), settled, options.timeoutSeconds, elapsed);
    const { text, allAsExpected } = renderSummary(jobs, observed);
    say(text);
    const logFile = path.join(os.tmpdir(), `nrf-demo-${started}.log`);
    await writeFile(logFile, primary.records.map((r) => JSON.stringify(r)).join('\n'));
    say(`\nThe supervisor's ${primary.records.length} log lines (ECS JSON) are in ${logFile}. Finished in ${elapsed()}.`);
    if (options.hold) {
      say(`Holding the stack up: http://localhost:${port}/health and /metrics. Press Ctrl-C to stop.`);
      await new Promise<never>(() => undefined);
    }
    return allAsExpected ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    say('Cleaning up (supervisor, emulator, fakes, PostgreSQL)…');
    await cleanup();
  }
}

async function waitForJobs(jobs: readonly DemoJob[], look: () => Promise<Map<string, Observed>>, done: (job: DemoJob, seen: Observed | undefined) => boolean,
  timeoutSeconds: number, elapsed: () => string): Promise<Map<string, Observed>> {
  const reported = new Set<string>();
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const observed = await look();
    for (const job of jobs) {
      const seen = observed.get(job.key);
      if (!reported.has(job.key) && done(job, seen)) {
        reported.add(job.key);
        say(`  ✓ ${job.name}: ${seen?.state ?? '?'}${seen?.errorCode ? ` (${seen.errorCode})` : ''}${seen?.inDlq ? ', now in the dead-letter queue' : ', message deleted'} [${elapsed()}]`);
      }
    }
    if (reported.size === jobs.length) return observed;
    if (Date.now() > deadline) {
      say(`  … gave up waiting after ${timeoutSeconds} s`);
      return observed;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
