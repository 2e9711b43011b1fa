// The Markdown block of bench/README.md, rendered from one results document. Targets come from
// operations.md / nutrient.md §6.5 / the benchmark issue; each row says whether it was met.

import type { BenchResults } from './report.js';
import type { LatencySet } from './e2e.js';
import type { Summary } from './stats.js';

const ms = (x: number): string => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '—');
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

function e2eRow(name: string, set: LatencySet, target: string, ok: boolean | null): string {
  const s = set.stages;
  const stage = (key: string): string => ms(s[key]?.p50 ?? Number.NaN);
  const outcomes = Object.entries(set.outcomes).map(([k, v]) => `${v} ${k}`).join(', ');
  return `| ${name} | ${set.jobs} (${outcomes}) | ${ms(set.total.p50)} | ${ms(set.total.p95)} | ${ms(set.total.max)} | ${stage('fetch')} | ${stage('validate')} | ${stage('levy')} | ${stage('assess')} | ${stage('delivery')} | ${stage('parse+ledger')} | ${target} | ${ok === null ? '—' : verdict(ok)} |`;
}

const pair = (s: Summary): string => `${ms(s.p50)} / ${ms(s.p95)}`;

export function renderBenchTable(r: BenchResults, regressions: readonly string[]): string {
  const m = r.meta;
  const big = r.direct['1m'];
  const small = r.direct['100k'];
  const ref = big ?? small;
  const workers = r.endpoints.memory.filter((x) => x.role !== 'primary');
  const primary = r.endpoints.memory.find((x) => x.role === 'primary');
  const workerPeak = Math.max(...workers.map((w) => w.peakMb));
  const lines: string[] = [];
  lines.push(`- Run ${m.startedAt} (${m.seconds} s${m.quick ? ', quick' : ''}): ${m.machine.cpus} × ${m.machine.model}, ${m.machine.memoryGb} GiB, Node ${m.node}, ${m.postgis}.`);
  lines.push(`- Load average at start ${m.machine.loadStart.map((x) => x.toFixed(1)).join(' / ')}, at end ${m.machine.loadEnd.map((x) => x.toFixed(1)).join(' / ')} (other work shared the 2 cores).`);
  lines.push(`- Layers: coefficient parcels 100,000${m.layers.load1m ? ` and ${m.layers.load1m.rows.toLocaleString('en-GB')} (loaded in ${m.layers.load1m.seconds} s)` : ''}; ${m.layers.ponds.ponds.toLocaleString('en-GB')} national-density ponds over ${m.layers.ponds.sideKm} × ${m.layers.ponds.sideKm} km (loaded in ${m.layers.ponds.seconds.toFixed(1)} s).`);
  lines.push('');
  lines.push(`**End to end** through \`bin/worker start\` (2 workers, ${m.runtime}) and the emulated queue, one job at a time, active layer ${big ? '1M' : '100k'} parcels. Latency = the worker's \`job.settled\` duration (receive → delete, long-poll wait excluded); stages are p50 of the pipeline's \`job.stage\` events (ms).`);
  lines.push('');
  lines.push('| Job | n | p50 | p95 | max | fetch | validate | levy | assess | delivery | parse+ledger | target | |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  lines.push(e2eRow('nutrient, 1 site', r.e2e.nutrientSingle, 'p95 ≤ 250', r.e2e.nutrientSingle.total.p95 <= 250));
  lines.push(e2eRow('nutrient, 245-site batch', r.e2e.nutrientBatch, 'each ≤ 2,000', r.e2e.nutrientBatch.total.max <= 2000));
  lines.push(e2eRow('GCN, survey', r.e2e.gcnSurvey, 'p95 ≤ 1,000', r.e2e.gcnSurvey.total.p95 <= 1000));
  lines.push(e2eRow('GCN, no survey (national ponds)', r.e2e.gcnNational, '—', null));
  lines.push('');
  lines.push(`\`assess\` holds the site measurement, the spatial SQL, the arithmetic and the result document. Split directly on the same database (${big ? '1M' : '100k'} parcels), one site: spatial SQL p50 ${ms(ref.single.spatial.p50)} ms, arithmetic p50 ${ms(ref.single.calculate.p50)} ms; 245 sites: spatial SQL p50 ${ms(ref.batch.spatial.p50)} ms, arithmetic p50 ${ms(ref.batch.calculate.p50)} ms. GCN is SQL throughout (direct, median): survey ${ms(r.direct.gcn.survey.median)} ms, national ${ms(r.direct.gcn.national.median)} ms.`);
  lines.push('');
  lines.push(`**Spatial statements, direct** (ms, p50 / p95; ${small.single.runs} single sites: the ${m.sites.scenario} scenario sites and ${m.sites.random} random 0.01–20 ha sites inside the NN catchments; the 245-site replay ${small.batch.runs} times after a warm-up).`);
  lines.push('');
  lines.push('| Parcels | all spatial (1 site) | RLB + NN clip | majority | pieces | coverage | pieces rows | arithmetic | 245-site spatial | 245-site runs |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  const directRow = (label: string, d: NonNullable<BenchResults['direct']['1m']>): string =>
    `| ${label} | ${pair(d.single.spatial)} | ${pair(d.single.load)} | ${pair(d.single.majority)} | ${pair(d.single.pieces)} | ${pair(d.single.coverage)} | ${ms(d.single.pieceRows.p50)} / ${ms(d.single.pieceRows.max)} max | ${pair(d.single.calculate)} | ${pair(d.batch.spatial)} | ${d.batch.runsMs.join(', ')} |`;
  lines.push(directRow('100,000', small));
  if (big) lines.push(directRow('1,000,000', big));
  const national = r.direct.national;
  if (national) lines.push(directRow(`${(m.layers.loadNational?.rows ?? 5_459_418).toLocaleString('en-GB')} (bench-national, loaded in ${m.layers.loadNational?.seconds ?? '?'} s)`, national));
  if (big) {
    const growth = big.single.spatial.p50 / small.single.spatial.p50;
    lines.push('');
    lines.push(`Growth 100k → 1M (×10 rows): single-site spatial p50 ×${growth.toFixed(2)}, p95 ×${(big.single.spatial.p95 / small.single.spatial.p95).toFixed(2)}; pieces p50 ×${(big.single.pieces.p50 / small.single.pieces.p50).toFixed(2)}; 245-site spatial p50 ×${(big.batch.spatial.p50 / small.batch.spatial.p50).toFixed(2)}. Target: spatial p95 ≤ 50 ms at 1M — ${verdict(big.single.spatial.p95 <= 50)}.`);
    if (national) lines.push(`1M → national (×5.5 rows): single-site spatial p50 ×${(national.single.spatial.p50 / big.single.spatial.p50).toFixed(2)}, p95 ×${(national.single.spatial.p95 / big.single.spatial.p95).toFixed(2)}; 245-site spatial p50 ×${(national.batch.spatial.p50 / big.batch.spatial.p50).toFixed(2)}; spatial p95 ≤ 50 ms at national volume — ${verdict(national.single.spatial.p95 <= 50)}.`);
  }
  lines.push(`GiST indexes in the captured plans (EXPLAIN ANALYZE, BUFFERS; \`results/explain-latest.txt\`): ${r.direct.explain.indexes.map((i) => `\`${i}\``).join(', ') || 'none found'}.`);
  lines.push('');
  const t = r.throughput;
  lines.push('**Throughput and the process** (same jobs, all enqueued at once; jobs/min = jobs ÷ (last settle − first receive)).');
  lines.push('');
  lines.push('| Figure | Value | Target | |');
  lines.push('|---|---|---|---|');
  const cpu = (x: BenchResults['throughput']['one']): string =>
    `${x.cpu.coresBusy} cores busy; CPU per job ${x.cpu.perJobMs} ms = workers ${ms(x.cpu.workersMs / x.jobs)} + PostgreSQL ${ms(x.cpu.postgresMs / x.jobs)} + queue emulator and fakes ${ms(x.cpu.harnessMs / x.jobs)} + primary ${ms(x.cpu.primaryMs / x.jobs)}`;
  lines.push(`| 1 worker | ${t.one.jobs} jobs in ${t.one.seconds} s = ${t.one.jobsPerMinute} jobs/min (${cpu(t.one)}) | — | — |`);
  lines.push(`| 2 workers | ${t.two.jobs} jobs in ${t.two.seconds} s = ${t.two.jobsPerMinute} jobs/min (${cpu(t.two)}) | — | — |`);
  const rounds = t.rounds ?? [];
  const roundNote = rounds.length > 1
    ? ` (median rounds of ${rounds.length}, 1 and 2 workers alternating; per round ${rounds.map((x) => `${x.one.jobsPerMinute} → ${x.two.jobsPerMinute} = ×${x.ratio}`).join(', ')})`
    : '';
  lines.push(`| scaling 2 ÷ 1 | ×${t.ratio}${roundNote} | ≥ ×1.8 | ${verdict(t.ratio >= 1.8)} |`);
  lines.push(`| /health under full load, p50 / p99 | ${pair2(r.endpoints.health)} ms (${r.endpoints.health.n} requests, all workers busy in ${Math.round(r.endpoints.busyShare * 100)} %) | p99 ≤ 20 | ${verdict(r.endpoints.health.p99 <= 20)} |`);
  lines.push(`| /metrics under full load, p50 / p99 | ${pair2(r.endpoints.metrics)} ms (${r.endpoints.metrics.n} scrapes) | — | — |`);
  lines.push(`| peak RSS per worker (VmHWM) | ${workers.map((w) => `${w.role}: ${w.peakMb} MB`).join(', ')} | ≤ 150 MB | ${verdict(workerPeak <= 150)} |`);
  lines.push(`| worker peak RSS after each phase | ${Object.entries(r.memoryByPhase).map(([phase, mb]) => `${phase}: ${mb} MB`).join(', ')} | — | — |`);
  lines.push(`| RSS right after start, before any job | ${r.memoryAtStart.map((x) => `${x.role}: ${x.currentMb} MB`).join(', ')} | — | — |`);
  lines.push(`| peak RSS of the primary | ${primary ? `${primary.peakMb} MB` : '—'} | — | — |`);
  if (regressions.length > 0) {
    lines.push('');
    lines.push(`**Regressions > 25 % against \`results/baseline.json\`:** ${regressions.join('; ')}.`);
  }
  return lines.join('\n');
}

function pair2(s: Summary): string {
  return `${ms(s.p50)} / ${ms(s.p99)}`;
}
