// Results of `npm run bench`: the raw numbers (results/latest.json), the plans (results/
// explain-latest.txt), the Markdown table between the markers of bench/README.md, and the
// regression check against results/baseline.json (written on the first full run).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExplainCapture, NutrientSummary } from './direct.js';
import type { LatencySet, ThroughputSummary } from './e2e.js';
import type { EndpointSample, MemoryReading } from './procs.js';
import type { PondsLoad } from './ponds.js';
import type { Summary } from './stats.js';
import { renderBenchTable } from './render.js';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

export interface BenchResults {
  meta: {
    startedAt: string; finishedAt: string; seconds: number; quick: boolean; runtime: string;
    machine: { cpus: number; model: string; memoryGb: number; loadStart: number[]; loadEnd: number[] };
    node: string; postgis: string;
    layers: { parcelsSmall: number; load1m: { rows: number; seconds: number } | null; loadNational?: { rows: number; seconds: number } | null; ponds: PondsLoad };
    sites: { scenario: number; random: number };
  };
  direct: {
    '100k': { single: NutrientSummary; batch: NutrientSummary & { runsMs: number[] } };
    '1m': { single: NutrientSummary; batch: NutrientSummary & { runsMs: number[] } } | null;
    /** bench-national (5,459,418 parcels), with --national only. */
    national?: { single: NutrientSummary; batch: NutrientSummary & { runsMs: number[] } } | null;
    gcn: { survey: { median: number; all: Summary }; national: { median: number; all: Summary } };
    explain: ExplainCapture;
  };
  e2e: { nutrientSingle: LatencySet; nutrientBatch: LatencySet; gcnSurvey: LatencySet; gcnNational: LatencySet };
  throughput: ThroughputSummary;
  endpoints: EndpointSample & { memory: MemoryReading[] };
  /** RSS right after the supervisor became ready, before any job. */
  memoryAtStart: MemoryReading[];
  /** Highest worker VmHWM after each phase of the latency runs (MB). */
  memoryByPhase: Record<string, number>;
}

type Direction = 'lower' | 'higher';
interface Figure { value: number; better: Direction; /** smallest absolute change worth a regression (noise floor) */ floor: number }

/** The figures a regression is judged on (each against the same figure of the baseline). */
export function keyFigures(r: BenchResults): Record<string, Figure> {
  const ms = (value: number, floor = 20): Figure => ({ value, better: 'lower', floor });
  const figures: Record<string, Figure> = {
    'e2e nutrient single p95 ms': ms(r.e2e.nutrientSingle.total.p95),
    'e2e nutrient batch max ms': ms(r.e2e.nutrientBatch.total.max, 100),
    'e2e gcn survey p95 ms': ms(r.e2e.gcnSurvey.total.p95, 50),
    'e2e gcn national p95 ms': ms(r.e2e.gcnNational.total.p95, 50),
    'throughput 2 workers jobs/min': { value: r.throughput.two.jobsPerMinute, better: 'higher', floor: 0 },
    '/health p99 ms': ms(r.endpoints.health.p99, 5),
    'worker peak RSS MB': { value: Math.max(...r.endpoints.memory.filter((m) => m.role !== 'primary').map((m) => m.peakMb)), better: 'lower', floor: 10 },
  };
  const big = r.direct['1m'];
  if (big) {
    figures['direct 1M spatial p95 ms'] = ms(big.single.spatial.p95, 10);
    figures['direct 1M batch max ms'] = ms(Math.max(...big.batch.runsMs), 100);
  }
  return figures;
}

export function compareToBaseline(current: BenchResults, baseline: BenchResults, tolerance = 0.25): string[] {
  const now = keyFigures(current);
  const then = keyFigures(baseline);
  const regressions: string[] = [];
  for (const [name, figure] of Object.entries(now)) {
    const base = then[name];
    if (!base || !Number.isFinite(base.value) || !Number.isFinite(figure.value) || base.value <= 0) continue;
    const worse = figure.better === 'lower' ? figure.value > base.value * (1 + tolerance) : figure.value < base.value / (1 + tolerance);
    if (worse && Math.abs(figure.value - base.value) > figure.floor) {
      regressions.push(`${name}: ${figure.value} vs baseline ${base.value} (${figure.better} is better, tolerance ${tolerance * 100} %)`);
    }
  }
  return regressions;
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replaces the text between the markers (appends the block when the markers are missing). */
export function replaceBetweenMarkers(document: string, body: string, start = START, end = END): string {
  const block = `${start}\n${body.trimEnd()}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from === -1 || to === -1 || to < from) return `${document.trimEnd()}\n\n${block}\n`;
  return document.slice(0, from) + block + document.slice(to + end.length);
}

/** `--render`: rewrites the README block from results/latest.json (after editing the renderer). */
export function renderStored(): void {
  const results = JSON.parse(readFileSync(path.join(RESULTS_DIR, 'latest.json'), 'utf8')) as BenchResults;
  const baselineFile = path.join(RESULTS_DIR, 'baseline.json');
  const regressions = existsSync(baselineFile) ? compareToBaseline(results, JSON.parse(readFileSync(baselineFile, 'utf8')) as BenchResults) : [];
  const readme = path.join(BENCH_DIR, 'README.md');
  writeFileSync(readme, replaceBetweenMarkers(readFileSync(readme, 'utf8'), renderBenchTable(results, regressions)));
}

/** Writes everything and returns the process exit code (1 on a regression against the baseline). */
export function finishReport(results: BenchResults, log: (line: string) => void): number {
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (results.meta.quick) {
    writeFileSync(path.join(RESULTS_DIR, 'quick.json'), json);
    process.stdout.write(`${renderBenchTable(results, [])}\n`);
    return 0;
  }
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);
  writeFileSync(path.join(RESULTS_DIR, 'explain-latest.txt'), `${results.direct.explain.plans.join('\n\n')}\n`);
  const baselineFile = path.join(RESULTS_DIR, 'baseline.json');
  let regressions: string[] = [];
  if (existsSync(baselineFile)) {
    regressions = compareToBaseline(results, JSON.parse(readFileSync(baselineFile, 'utf8')) as BenchResults);
  } else {
    writeFileSync(baselineFile, json);
    log('no baseline yet: this run is now results/baseline.json');
  }
  const table = renderBenchTable(results, regressions);
  const readme = path.join(BENCH_DIR, 'README.md');
  writeFileSync(readme, replaceBetweenMarkers(existsSync(readme) ? readFileSync(readme, 'utf8') : '# Benchmarks\n', table));
  process.stdout.write(`${table}\n`);
  for (const r of regressions) log(`WARNING: regression > 25 % against results/baseline.json — ${r}`);
  return regressions.length > 0 ? 1 : 0;
}
