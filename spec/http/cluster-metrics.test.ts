import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, collectDefaultMetrics, type PrometheusContentType } from 'prom-client';
import { ClusterMetrics, mergeMetrics, type ScrapeTarget } from '../../lib/http/cluster-metrics.js';
import { createPrimaryMetrics, createWorkerMetrics } from '../../lib/observability/metrics.js';
import type { MetricFamilyJson } from '../../lib/supervisor/ipc.js';
import { captureLogging } from '../worker/helpers.js';
import { metricSum } from '../support/test-worker-process.js';

function workerRegistry(slot: number, jobs: number) {
  const registry = new Registry<PrometheusContentType>();
  registry.setDefaultLabels({ worker: String(slot) });
  const metrics = createWorkerMetrics(registry);
  metrics.jobs.inc({ type: 'nutrient', outcome: 'succeeded' }, jobs);
  metrics.jobsInFlight.set(1);
  metrics.stageDuration.observe({ type: 'nutrient', stage: 'total' }, 2);
  return { registry, metrics, json: async () => (await registry.getMetricsAsJSON()) as unknown as MetricFamilyJson[] };
}

function primary() {
  const registry = new Registry<PrometheusContentType>();
  registry.setDefaultLabels({ worker: 'primary' });
  const metrics = createPrimaryMetrics(registry);
  const collector = new ClusterMetrics({ primaryRegistry: registry, metrics, log: captureLogging().logger, timeoutMs: 50 });
  return { registry, metrics, collector };
}

/** A target that answers over a fake channel, like a worker's primary link. */
function answering(collector: ClusterMetrics, slot: number, json: () => Promise<MetricFamilyJson[]>): ScrapeTarget {
  return {
    slot,
    send: (message) => {
      if (message.type === 'nrf:metrics-request') void json().then((m) => setImmediate(() => collector.onReply(slot, message.requestId, m)));
      return true;
    },
  };
}

describe('cluster metrics (operations.md §3.3–3.4)', () => {
  test('one family per name: workers by label, the primary appended with worker="primary"', async () => {
    const p = primary();
    p.metrics.workerRestarts.inc({ worker: '1' });
    const w0 = workerRegistry(0, 3);
    const w1 = workerRegistry(1, 4);
    const result = await p.collector.collect([answering(p.collector, 0, w0.json), answering(p.collector, 1, w1.json)]);
    assert.equal(metricSum(result.body, 'nrf_impact_jobs_total'), 7);
    assert.equal(metricSum(result.body, 'nrf_impact_jobs_total', (l) => l.includes('worker="1"')), 4);
    assert.equal(metricSum(result.body, 'nrf_impact_worker_restarts_total'), 1);
    assert.equal(result.body.match(/^# TYPE nrf_impact_jobs_total counter$/gm)?.length, 1);
    assert.match(result.body, /nrf_impact_metrics_scrape_workers_missing\{worker="primary"\} 0/);
    assert.deepEqual(result.missing, []);
  });

  test('a silent worker is skipped and counted; the scrape still answers', async () => {
    const p = primary();
    const w0 = workerRegistry(0, 2);
    const silent: ScrapeTarget = { slot: 1, send: () => true };
    const result = await p.collector.collect([answering(p.collector, 0, w0.json), silent]);
    assert.deepEqual(result.missing, [1]);
    assert.equal(metricSum(result.body, 'nrf_impact_jobs_total'), 2);
    assert.match(result.body, /nrf_impact_metrics_scrape_workers_missing\{worker="primary"\} 1/);
    assert.match(result.body, /nrf_impact_metrics_scrape_worker_timeouts_total\{worker="1"\} 1/);
    // A late answer for the finished request is ignored.
    p.collector.onReply(1, 1, await w0.json());
  });

  test("a replaced worker's counters and histograms carry over to its slot; gauges do not", async () => {
    const p = primary();
    const dead = workerRegistry(0, 5);
    p.collector.onSnapshot(0, await dead.json());
    p.collector.retire(0);
    const replacement = workerRegistry(0, 1);
    replacement.metrics.jobsInFlight.set(0);
    const result = await p.collector.collect([answering(p.collector, 0, replacement.json)]);
    assert.equal(metricSum(result.body, 'nrf_impact_jobs_total', (l) => l.includes('worker="0"')), 6, 'no counter reset after a restart');
    assert.equal(metricSum(result.body, 'nrf_impact_job_stage_duration_seconds_count'), 2);
    assert.equal(metricSum(result.body, 'nrf_impact_jobs_in_flight'), 0, 'gauges never carry over');
    // A second death accumulates.
    p.collector.retire(0);
    const third = workerRegistry(0, 0);
    const again = await p.collector.collect([answering(p.collector, 0, third.json)]);
    assert.equal(metricSum(again.body, 'nrf_impact_jobs_total', (l) => l.includes('worker="0"')), 6);
  });

  test('merging four workers stays fast (responsiveness bound, 10× the 10 ms target)', async () => {
    const inputs: MetricFamilyJson[][] = [];
    for (let slot = 0; slot < 4; slot += 1) {
      const w = workerRegistry(slot, slot + 1);
      collectDefaultMetrics({ register: w.registry });
      inputs.push(await w.json());
    }
    await mergeMetrics(inputs);
    const started = performance.now();
    const merged = await mergeMetrics(inputs);
    const ms = performance.now() - started;
    assert.equal(metricSum(merged.body, 'nrf_impact_jobs_total'), 10);
    assert.ok(ms < 100, `merge took ${ms.toFixed(1)} ms`);
  });
});
