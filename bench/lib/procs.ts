// Process-level measurements: peak and current resident memory from /proc (VmHWM / VmRSS), and
// client-side latency of /health and /metrics sampled while the workers are busy (from a separate
// process, endpoint-sampler.ts).

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PrimaryProcess } from '../../spec/support/test-worker-process.js';
import type { RawEndpointSample } from './endpoint-sampler.js';
import { sleep, summarise, type Summary } from './stats.js';

export interface MemoryReading {
  pid: number;
  role: string;
  peakMb: number;
  currentMb: number;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function memoryOf(pid: number, role: string): MemoryReading | null {
  const peak = statusKb(pid, 'VmHWM');
  const current = statusKb(pid, 'VmRSS');
  if (peak === null || current === null) return null;
  return { pid, role, peakMb: Math.round(peak / 102.4) / 10, currentMb: Math.round(current / 102.4) / 10 };
}

/** The primary and every live worker (pids from /health). */
export async function memoryOfStack(primary: PrimaryProcess): Promise<MemoryReading[]> {
  const out: MemoryReading[] = [];
  const own = primary.child.pid ? memoryOf(primary.child.pid, 'primary') : null;
  if (own) out.push(own);
  const { body } = await primary.health();
  for (const w of body.workers) {
    const reading = w.pid ? memoryOf(w.pid, `worker ${w.slot}`) : null;
    if (reading) out.push(reading);
  }
  return out;
}

export interface EndpointSample {
  health: Summary;
  metrics: Summary;
  /** Share of /health answers in which every worker reported `busy`. */
  busyShare: number;
  non200: number;
}

const SAMPLER = fileURLToPath(new URL('./endpoint-sampler.ts', import.meta.url));

/**
 * Samples both endpoints in turn from a separate process (endpoint-sampler.ts) while `stillBusy()`
 * holds, up to the given counts.
 */
export async function sampleEndpoints(primary: PrimaryProcess, counts: { health: number; metrics: number }, stillBusy: () => boolean): Promise<EndpointSample> {
  const child = spawn(process.execPath, ['--import', 'tsx', SAMPLER, `http://127.0.0.1:${primary.port}`, String(counts.health), String(counts.metrics)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let done = false;
  void exited.then(() => void (done = true));
  while (!done && stillBusy()) await sleep(25);
  if (!done) child.stdin.end('stop\n');
  const code = await exited;
  if (code !== 0) throw new Error(`endpoint sampler exited with ${code}`);
  const raw = JSON.parse(text) as RawEndpointSample;
  return {
    health: summarise(raw.health), metrics: summarise(raw.metrics),
    busyShare: raw.health.length ? Math.round((raw.busy / raw.health.length) * 1000) / 1000 : 0, non200: raw.non200,
  };
}

const TICKS_PER_SECOND = 100;

/** utime + stime (+ cutime + cstime when `withChildren`) of one process, in ms; null when gone. */
export function cpuMsOf(pid: number, withChildren = false): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const [utime, stime, cutime, cstime] = [fields[11] ?? 0, fields[12] ?? 0, fields[13] ?? 0, fields[14] ?? 0];
    return ((utime + stime + (withChildren ? cutime + cstime : 0)) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU of a PostgreSQL cluster: the postmaster with its reaped children, plus its live children. */
export function postgresCpuMs(dataDir: string): number {
  const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  let total = cpuMsOf(postmaster, true) ?? 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) total += cpuMsOf(Number(entry)) ?? 0;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

export interface CpuSnapshot {
  workersMs: number;
  primaryMs: number;
  postgresMs: number;
  /** This process: fauxqs, the fake backend and Notify, the log reader. */
  harnessMs: number;
}

export function cpuSnapshot(primaryPid: number, workerPids: readonly number[], pgDataDir: string): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    workersMs: workerPids.reduce((sum, pid) => sum + (cpuMsOf(pid) ?? 0), 0),
    primaryMs: cpuMsOf(primaryPid) ?? 0,
    postgresMs: postgresCpuMs(pgDataDir),
    harnessMs: (usage.user + usage.system) / 1000,
  };
}

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return {
    workersMs: after.workersMs - before.workersMs,
    primaryMs: after.primaryMs - before.primaryMs,
    postgresMs: after.postgresMs - before.postgresMs,
    harnessMs: after.harnessMs - before.harnessMs,
  };
}
