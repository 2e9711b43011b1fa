// `npm run bench`: builds its data (synthetic coefficient layers of 100k and 1M parcels, a
// national-density ponds layer), measures direct SQL and end-to-end job latency, throughput with
// one and two workers, /health and /metrics under load and peak memory, then writes
// bench/results/latest.json, the table in bench/README.md, and checks the stored baseline.
// Flags: --quick (small counts, 100k only; writes results/quick.json and nothing else), --sources
// (run the workers from the TypeScript sources through tsx instead of a compiled build), --render
// (only re-render the README block from results/latest.json), --national (also the direct SQL at
// 5,459,418 parcels, loaded last).
// Needs the public data (../shared/data or NRF_SHARED_DATA).

import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config.js';
import { readBoundaryFromPath, readSurveyPonds } from '../lib/input/index.js';
import { loadSyntheticCoefficients } from '../lib/reference/generator/load.js';
import { SHARED_DATA_DIR } from '../spec/support/data.js';
import { startStack } from '../spec/support/stack.js';
import { explainSpatial, serverLogOf, timeBatch, timeGcn, timeSingleSites } from './lib/direct.js';
import { endpointsUnderLoad, latency, startSupervisor, stopSupervisor, throughputRounds } from './lib/e2e.js';
import { buildRuntime } from './lib/runtime.js';
import { memoryOfStack } from './lib/procs.js';
import { broadsWensumBatch, gcnSurveyPair } from './lib/inputs.js';
import type { JobSpec } from './lib/jobs.js';
import { loadNationalDensityPonds } from './lib/ponds.js';
import { finishReport, renderStored, type BenchResults } from './lib/report.js';
import { geojsonFile, randomNnSites, scenarioSites, type BenchSite } from './lib/sites.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const quick = process.argv.includes('--quick');
const sources = process.argv.includes('--sources');
// `--national`: after everything else, also time the direct SQL at 5,459,418 parcels (§12.9).
const national = process.argv.includes('--national') && !quick;
// `--env NAME=VALUE` (repeatable): extra environment for the supervisors and so their workers, to
// try runtime settings such as NODE_OPTIONS=--max-semi-space-size=4 or MALLOC_ARENA_MAX=2.
const workerEnv: Record<string, string> = {};
process.argv.forEach((value, i) => {
  const next = process.argv[i + 1];
  if (value === '--env' && next?.includes('=')) workerEnv[next.slice(0, next.indexOf('='))] = next.slice(next.indexOf('=') + 1);
});
const envNote = Object.entries(workerEnv).map(([k, v]) => `${k}=${v}`).join(' ');
const started = Date.now();
const log = (line: string): void => void process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

if (process.argv.includes('--render')) {
  renderStored();
  process.exit(0);
}

if (!existsSync(path.join(SHARED_DATA_DIR, 'reference')) || !existsSync(path.join(SHARED_DATA_DIR, 'inputs'))) {
  process.stderr.write(`bench: the public data is missing (looked in ${SHARED_DATA_DIR}; set NRF_SHARED_DATA). The benchmark needs its reference layers and inputs.\n`);
  process.exit(2);
}

const counts = quick
  ? { random: 20, e2eSingle: 10, batchRuns: 1, gcnRuns: 2, gcnJobs: 2, throughputJobs: 24, health: 60, metrics: 20, backlog: 4 }
  : { random: 190, e2eSingle: 200, batchRuns: 3, gcnRuns: 5, gcnJobs: 20, throughputJobs: 400, health: 300, metrics: 100, backlog: 8 };

const loadStart = os.loadavg();
const stack = await startStack({ coefficientParcels: 100_000, visibilityTimeout: 300, log });
const signal = new AbortController().signal;
try {
  const config = loadConfig(stack.env, { role: 'cli' });
  const sql = stack.sql;
  const [pg] = await sql<{ v: string }[]>`SELECT postgis_full_version() AS v`;

  log('building inputs: scenario sites, random sites inside the NN catchments, the 245-site batch, the GCN pair');
  const randomSites = await randomNnSites(sql, counts.random, 27700, signal);
  const singles: BenchSite[] = [...scenarioSites(SHARED_DATA_DIR), ...randomSites];
  const batch = await broadsWensumBatch(sql, config, SHARED_DATA_DIR, signal);
  const gcn = await gcnSurveyPair(SHARED_DATA_DIR);
  const gcnRlb = (await readBoundaryFromPath(gcn.boundaryPath, { sql, signal, limits: config.input })).sites;
  const surveyPonds = (await readSurveyPonds(gcn.pondsPath, { signal, limits: config.input })).ponds;
  const [centre] = await sql<{ x: number; y: number }[]>`
    SELECT ST_X(c)::float8 AS x, ST_Y(c)::float8 AS y FROM (SELECT ST_Centroid(ST_Collect(ST_GeomFromGeoJSON(j))) AS c
      FROM unnest(${gcnRlb.map((s) => JSON.stringify(s.geometry))}::text[]) AS j) s`;
  const pondsSideKm = quick ? 30 : 100;
  log(`national-density ponds over ${pondsSideKm} km × ${pondsSideKm} km around the GCN site`);
  const ponds = await loadNationalDensityPonds(sql, [centre?.x ?? 0, centre?.y ?? 0], pondsSideKm);
  log(`ponds: ${ponds.ponds} loaded in ${ponds.seconds.toFixed(1)} s`);

  log(`direct SQL at 100k parcels: ${singles.length} single sites, the batch × ${counts.batchRuns}`);
  const direct100k = { single: await timeSingleSites(sql, config, singles, signal), batch: await timeBatch(sql, config, batch.replaySites, signal, counts.batchRuns) };
  let direct1m = null;
  let load1m = null;
  if (!quick) {
    log('loading bench-1m (1,000,000 synthetic parcels) as the active coefficient layer');
    const loaded = await loadSyntheticCoefficients(sql, { preset: 'bench-1m', within: 'nn_catchments' });
    load1m = { rows: loaded.report.rows, seconds: Math.round(loaded.seconds * 10) / 10 };
    log(`bench-1m: ${loaded.report.rows} rows in ${loaded.seconds.toFixed(1)} s`);
    direct1m = { single: await timeSingleSites(sql, config, singles, signal), batch: await timeBatch(sql, config, batch.replaySites, signal, counts.batchRuns) };
  }
  const explain = await explainSpatial(stack.databaseUrl, serverLogOf(stack.cluster.dataDir), config, singles[2] as BenchSite, signal);
  log(`direct GCN: survey and national routes × ${counts.gcnRuns}`);
  const gcnDirect = {
    survey: await timeGcn(sql, config, gcnRlb, surveyPonds, signal, counts.gcnRuns),
    national: await timeGcn(sql, config, gcnRlb, null, signal, counts.gcnRuns),
  };

  const single = (site: BenchSite): JobSpec => ({ kind: 'file', label: site.name, type: 'nutrient', input: { ext: 'geojson', bytes: geojsonFile([site.polygon]) }, dwellings: site.dwellings });
  const batchJob: JobSpec = { kind: 'file', label: 'batch-245', type: 'nutrient', input: { ext: 'geojson', bytes: batch.queueFile }, dwellings: 10 };
  const gcnSurveyJob: JobSpec = { kind: 'file', label: 'gcn-survey', type: 'gcn', input: { ext: 'zip', bytes: gcn.boundaryZip }, ponds: { ext: 'zip', bytes: gcn.pondsZip }, dwellings: 10 };
  const gcnNationalJob: JobSpec = { kind: 'file', label: 'gcn-national', type: 'gcn', input: { ext: 'zip', bytes: gcn.boundaryZip }, dwellings: 10 };
  const repeat = (spec: JobSpec, n: number): JobSpec[] => Array.from({ length: n }, () => spec);
  const singleJobs = singles.slice(0, counts.e2eSingle).map(single);
  const throughputJobs = Array.from({ length: counts.throughputJobs }, (_, i) => single(singles[i % singles.length] as BenchSite));

  const runtime = sources ? null : await buildRuntime(log);
  if (runtime) log(`compiled runtime layout in ${runtime.dir}`);
  const binPath = runtime?.binPath;
  // A worker's JIT keeps compiling for its first few hundred jobs (about 2.5 TurboFan compilations
  // per job at first, 0.6 after 250), on a background thread that competes with the other worker:
  // the throughput window measures a worker that has run 150 jobs, as a long-running task's would.
  const warmup = quick ? singleJobs.slice(0, 4) : Array.from({ length: 150 }, (_, i) => single(singles[i % singles.length] as BenchSite));
  const rounds = quick ? 1 : 3;
  log(`throughput: ${throughputJobs.length} single-site jobs, queued before the supervisor starts, 1 worker then 2, ${rounds} round(s)`);
  const throughputSummary = await throughputRounds(stack, rounds, binPath, warmup, throughputJobs, workerEnv, log);
  log(`throughput (median rounds): ${throughputSummary.one.jobsPerMinute} and ${throughputSummary.two.jobsPerMinute} jobs/min`);

  log('end to end, 2 workers: warm-up, then latency per job type, one job at a time');
  const two = await startSupervisor(stack, 2, binPath, workerEnv);
  const memoryAtStart = await memoryOfStack(two.primary);
  const memoryByPhase: Record<string, number> = {};
  let e2e;
  let endpoints;
  try {
    await latency(stack, two, [...singleJobs.slice(0, 6), batchJob, gcnSurveyJob, gcnNationalJob]);
    // Peak memory after each kind of job shows which one raises the workers' high-water mark.
    const peakAfter = async (phase: string): Promise<void> => {
      memoryByPhase[phase] = Math.max(...(await memoryOfStack(two.primary)).filter((m) => m.role !== 'primary').map((m) => m.peakMb));
    };
    await peakAfter('warm-up');
    const nutrientSingle = await latency(stack, two, singleJobs);
    await peakAfter('single-site jobs');
    const nutrientBatch = await latency(stack, two, repeat(batchJob, counts.batchRuns));
    await peakAfter('245-site batches');
    const gcnSurvey = await latency(stack, two, repeat(gcnSurveyJob, counts.gcnJobs));
    await peakAfter('GCN survey jobs');
    const gcnNational = await latency(stack, two, repeat(gcnNationalJob, counts.gcnJobs));
    await peakAfter('GCN national jobs');
    e2e = { nutrientSingle, nutrientBatch, gcnSurvey, gcnNational };
    log('endpoints while both workers are busy');
    endpoints = await endpointsUnderLoad(stack, two, [...repeat(batchJob, counts.backlog), ...repeat(gcnSurveyJob, counts.backlog)], counts);
  } finally {
    await stopSupervisor(two);
    runtime?.remove();
  }

  let directNational = null;
  let loadNational = null;
  if (national) {
    log('loading bench-national (5,459,418 synthetic parcels) as the active coefficient layer');
    const loaded = await loadSyntheticCoefficients(sql, { preset: 'bench-national', within: 'nn_catchments' });
    loadNational = { rows: loaded.report.rows, seconds: Math.round(loaded.seconds * 10) / 10 };
    log(`bench-national: ${loaded.report.rows} rows in ${loaded.seconds.toFixed(1)} s`);
    directNational = { single: await timeSingleSites(sql, config, singles, signal), batch: await timeBatch(sql, config, batch.replaySites, signal, counts.batchRuns) };
  }

  const results: BenchResults = {
    meta: {
      startedAt: new Date(started).toISOString(), finishedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), quick, runtime: `${sources ? 'tsx sources' : 'compiled (tsc)'}${envNote ? `, ${envNote}` : ''}`,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), loadStart, loadEnd: os.loadavg() },
      node: process.version, postgis: pg?.v.split(' ').slice(0, 2).join(' ') ?? 'unknown',
      layers: { parcelsSmall: 100_000, load1m, loadNational, ponds },
      sites: { scenario: singles.length - randomSites.length, random: randomSites.length },
    },
    direct: { '100k': direct100k, '1m': direct1m, national: directNational, gcn: gcnDirect, explain },
    e2e,
    throughput: throughputSummary,
    endpoints,
    memoryAtStart,
    memoryByPhase,
  };
  const code = finishReport(results, log);
  await stack.stop();
  process.exit(code);
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await stack.stop();
  process.exit(1);
}
