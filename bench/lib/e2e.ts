// End-to-end measurements through the real `bin/worker start` and the emulated queue: per-job
// latency split by the pipeline's own stage events, throughput with a backlog, endpoint latency
// while every worker is busy, and peak memory of each process.

import type { Stack } from '../../spec/support/stack.js';
import { baseEnv, startPrimary, waitForHealth, type PrimaryProcess } from '../../spec/support/test-worker-process.js';
import { JobLog, runSequential, submitJob, type JobSpec, type JobTiming } from './jobs.js';
import { cpuDelta, cpuSnapshot, memoryOfStack, sampleEndpoints, type CpuSnapshot, type EndpointSample, type MemoryReading } from './procs.js';
import { sleep, summarise, type Summary } from './stats.js';

export interface Supervisor {
  primary: PrimaryProcess;
  log: JobLog;
  workers: number;
}

/**
 * Long-poll wait of the bench supervisors. fauxqs keeps a long poll's server side alive after the
 * client aborted it, and hands the next message to it (in flight until its visibility timeout),
 * so after a supervisor stops the bench waits this long before sending anything else.
 */
export const BENCH_WAIT_SECONDS = 5;

/**
 * Starts `bin/worker start` and waits until every worker is up and reference data is ready. With
 * `idle` (the default) it also waits for idle workers; a supervisor started on a full queue goes
 * busy at once and must not wait for idleness, which would only come once the queue is drained.
 */
export async function startSupervisor(stack: Stack, workers: number, binPath?: string, extraEnv: Record<string, string> = {}, idle = true): Promise<Supervisor> {
  const primary = await startPrimary({
    command: 'bin',
    binPath,
    env: baseEnv({ ...stack.env, WORKER_COUNT: String(workers), SQS_WAIT_TIME_SECONDS: String(BENCH_WAIT_SECONDS), LOG_LEVEL: 'info', ...extraEnv }),
  });
  try {
    await waitForHealth(primary, (b) => b.workers.length === workers && b.workers.every((w) => w.state === 'idle' || (!idle && w.state === 'busy')) && b.ready, 120_000);
  } catch (error) {
    await primary.stop();
    throw new Error(`supervisor did not become ready: ${String(error)}\nstderr: ${primary.stderr().slice(-2000)}`);
  }
  return { primary, log: new JobLog(primary), workers };
}

/** SIGTERM (a clean drain), SIGKILL if it has not exited within 60 s, then the long-poll grace. */
export async function stopSupervisor(sup: Supervisor): Promise<void> {
  sup.primary.child.kill('SIGTERM');
  const timer = setTimeout(() => sup.primary.child.kill('SIGKILL'), 60_000);
  await sup.primary.exited;
  clearTimeout(timer);
  await sleep((BENCH_WAIT_SECONDS + 1) * 1000);
}

/** The stage split reported in the tables: the pipeline's stages grouped as the issue names them. */
export const STAGE_GROUPS: Record<string, readonly string[]> = {
  'parse+ledger': ['parse', 'ledger'],
  fetch: ['download'],
  validate: ['validate'],
  levy: ['levy'],
  assess: ['assess'],
  delivery: ['callback', 'notify'],
};

export interface LatencySet {
  jobs: number;
  outcomes: Record<string, number>;
  total: Summary;
  stages: Record<string, Summary>;
}

export function summariseTimings(timings: readonly JobTiming[]): LatencySet {
  const outcomes: Record<string, number> = {};
  for (const t of timings) outcomes[t.outcome] = (outcomes[t.outcome] ?? 0) + 1;
  const stages: Record<string, Summary> = {};
  for (const [group, names] of Object.entries(STAGE_GROUPS)) {
    stages[group] = summarise(timings.map((t) => names.reduce((sum, n) => sum + (t.stages[n] ?? 0), 0)));
  }
  return { jobs: timings.length, outcomes, total: summarise(timings.map((t) => t.totalMs)), stages };
}

export async function latency(stack: Stack, sup: Supervisor, specs: readonly JobSpec[], timeoutMs = 120_000): Promise<LatencySet> {
  return summariseTimings(await runSequential(stack.aws, sup.log, specs, timeoutMs));
}

export interface Throughput {
  workers: number;
  jobs: number;
  seconds: number;
  jobsPerMinute: number;
  outcomes: Record<string, number>;
  /** CPU spent during the window, per process group (ms), and cores kept busy on average. */
  cpu: CpuSnapshot & { coresBusy: number; perJobMs: number };
}

/**
 * A fresh supervisor against a queue that already holds every job (warm-up jobs first), so the
 * workers never wait for the producer. Throughput = measured jobs ÷ (first receive of a measured
 * job − its last settle). The warm-up jobs (`warmupPerWorker`, queued once per worker, first) are
 * done before the window opens.
 */
export async function throughput(stack: Stack, workers: number, binPath: string | undefined, warmupPerWorker: readonly JobSpec[], specs: readonly JobSpec[], extraEnv: Record<string, string> = {}): Promise<Throughput> {
  for (let w = 0; w < workers; w += 1) for (const spec of warmupPerWorker) await submitJob(stack.aws, spec);
  const submitted = [];
  for (const spec of specs) submitted.push(await submitJob(stack.aws, spec));
  const ids = submitted.map((s) => s.messageId);
  const sup = await startSupervisor(stack, workers, binPath, extraEnv, false);
  let cpu: CpuSnapshot;
  try {
    const { body } = await sup.primary.health();
    const snapshot = (): CpuSnapshot => cpuSnapshot(sup.primary.child.pid ?? 0, body.workers.map((w) => w.pid ?? 0), stack.cluster.dataDir);
    while (!ids.some((id) => sup.log.receivedCount(id) > 0)) await sleep(2);
    const before = snapshot();
    await sup.log.waitSettled(ids, 900_000);
    cpu = cpuDelta(before, snapshot());
  } finally {
    await stopSupervisor(sup);
  }
  const timings = submitted.map((s) => sup.log.timing(s));
  const first = Math.min(...timings.map((t) => t.receivedAt));
  const last = Math.max(...timings.map((t) => t.settledAt));
  const seconds = (last - first) / 1000;
  const outcomes: Record<string, number> = {};
  for (const t of timings) outcomes[t.outcome] = (outcomes[t.outcome] ?? 0) + 1;
  const totalCpu = cpu.workersMs + cpu.primaryMs + cpu.postgresMs + cpu.harnessMs;
  return {
    workers, jobs: specs.length, seconds: Math.round(seconds * 100) / 100, jobsPerMinute: Math.round((specs.length / seconds) * 60 * 10) / 10, outcomes,
    cpu: { ...cpu, coresBusy: Math.round((totalCpu / 1000 / seconds) * 100) / 100, perJobMs: Math.round((totalCpu / specs.length) * 10) / 10 },
  };
}

/** Keeps every worker busy with a backlog and samples /health and /metrics meanwhile. */
export async function endpointsUnderLoad(stack: Stack, sup: Supervisor, backlog: readonly JobSpec[], counts: { health: number; metrics: number }): Promise<EndpointSample & { memory: MemoryReading[] }> {
  const submitted = [];
  for (const spec of backlog) submitted.push(await submitJob(stack.aws, spec));
  // Start sampling once both workers have taken a job.
  await waitForHealth(sup.primary, (b) => b.workers.every((w) => w.state === 'busy'), 60_000);
  const ids = submitted.map((s) => s.messageId);
  const pending = (): boolean => ids.filter((id) => sup.log.settledCount(id) === 0).length >= sup.workers;
  const sample = await sampleEndpoints(sup.primary, counts, pending);
  const memory = await memoryOfStack(sup.primary);
  await sup.log.waitSettled(ids, 600_000);
  return { ...sample, memory };
}

export interface ThroughputRound { one: Throughput; two: Throughput; ratio: number }

export interface ThroughputSummary {
  /** The median round of each worker count by jobs/min. */
  one: Throughput;
  two: Throughput;
  /** median 2-worker jobs/min ÷ median 1-worker jobs/min. */
  ratio: number;
  rounds?: ThroughputRound[];
}

const ratioOf = (one: Throughput, two: Throughput): number => Math.round((two.jobsPerMinute / one.jobsPerMinute) * 100) / 100;

function medianRun(runs: readonly Throughput[]): Throughput {
  const sorted = [...runs].sort((a, b) => a.jobsPerMinute - b.jobsPerMinute);
  return sorted[Math.floor(sorted.length / 2)] as Throughput;
}

/**
 * 1 worker then 2 workers, `rounds` times in alternation. On a shared 2-core machine one window
 * of 10–20 s moves by ±10 % with whatever else runs, and the ratio of two such windows by more;
 * alternating rounds and taking the median of each worker count keeps one noisy window from
 * deciding the figure, and every round is reported.
 */
export async function throughputRounds(
  stack: Stack, rounds: number, binPath: string | undefined, warmupPerWorker: readonly JobSpec[], specs: readonly JobSpec[], extraEnv: Record<string, string>, log: (line: string) => void,
): Promise<ThroughputSummary> {
  const all: ThroughputRound[] = [];
  for (let r = 1; r <= rounds; r += 1) {
    const one = await throughput(stack, 1, binPath, warmupPerWorker, specs, extraEnv);
    const two = await throughput(stack, 2, binPath, warmupPerWorker, specs, extraEnv);
    all.push({ one, two, ratio: ratioOf(one, two) });
    log(`throughput round ${r}/${rounds}: ${one.jobsPerMinute} and ${two.jobsPerMinute} jobs/min (×${ratioOf(one, two)})`);
  }
  const one = medianRun(all.map((x) => x.one));
  const two = medianRun(all.map((x) => x.two));
  return { one, two, ratio: ratioOf(one, two), rounds: all };
}

