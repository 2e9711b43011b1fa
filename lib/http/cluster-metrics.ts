// Cluster-wide /metrics (operations.md §3.3–3.4). Instead of prom-client's clusterMetrics() (a
// fixed 5 s wait that fails the whole scrape for one silent worker) the primary asks each ready
// worker itself with a 2 s timeout, skips and counts the silent ones, and merges the answers,
// its own registry and the retained counters of replaced workers with AggregatorRegistry.aggregate.

import type Logger from 'bunyan';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { IpcMessage, MetricFamilyJson, MetricValueJson } from '../supervisor/ipc.js';
import type { PrimaryMetrics } from '../observability/metrics.js';

export interface ScrapeTarget {
  slot: number;
  /** Sends over IPC; false when the channel is closed. */
  send(message: IpcMessage): boolean;
}

export interface ScrapeResult {
  contentType: string;
  body: string;
  missing: number[];
}

/** Counters and histograms survive a worker's death; gauges never carry over (§3.4). */
function carriedOver(metrics: MetricFamilyJson[]): MetricFamilyJson[] {
  return metrics.filter((m) => m.type === 'counter' || m.type === 'histogram');
}

function valueKey(v: MetricValueJson): string {
  const labels = Object.keys(v.labels).sort().map((k) => `${k}=${String(v.labels[k])}`).join(',');
  return `${v.metricName ?? ''}{${labels}}`;
}

/** Adds b's series into a copy of a (by family name and label set). */
export function sumFamilies(a: MetricFamilyJson[], b: MetricFamilyJson[]): MetricFamilyJson[] {
  const byName = new Map(a.map((f) => [f.name, { ...f, values: f.values.map((v) => ({ ...v, labels: { ...v.labels } })) }]));
  for (const family of b) {
    const target = byName.get(family.name);
    if (!target) {
      byName.set(family.name, { ...family, values: family.values.map((v) => ({ ...v, labels: { ...v.labels } })) });
      continue;
    }
    const index = new Map(target.values.map((v) => [valueKey(v), v]));
    for (const value of family.values) {
      const existing = index.get(valueKey(value));
      if (existing) existing.value += value.value;
      else target.values.push({ ...value, labels: { ...value.labels } });
    }
  }
  return [...byName.values()];
}

export interface ClusterMetricsOptions {
  primaryRegistry: Registry;
  metrics: PrimaryMetrics;
  log: Logger;
  timeoutMs?: number;
}

export class ClusterMetrics {
  private sequence = 0;
  private readonly waiting = new Map<string, (metrics: MetricFamilyJson[]) => void>();
  /** Newest counters of each slot's current worker (from snapshots, scrapes, nrf:drained). */
  private readonly lastKnown = new Map<number, MetricFamilyJson[]>();
  /** Accumulated counters of each slot's dead workers, added to every scrape. */
  private readonly retained = new Map<number, MetricFamilyJson[]>();

  constructor(private readonly options: ClusterMetricsOptions) {}

  /** A worker's `nrf:metrics` reply. Late answers for a finished request are ignored. */
  onReply(slot: number, requestId: number, metrics: MetricFamilyJson[]): void {
    const resolve = this.waiting.get(`${requestId}:${slot}`);
    if (!resolve) return;
    this.onSnapshot(slot, metrics);
    resolve(metrics);
  }

  onSnapshot(slot: number, metrics: MetricFamilyJson[]): void {
    this.lastKnown.set(slot, carriedOver(metrics));
  }

  /** The slot's worker is gone: its last counters join the slot's retained totals. */
  retire(slot: number): void {
    const last = this.lastKnown.get(slot);
    this.lastKnown.delete(slot);
    if (!last) return;
    this.retained.set(slot, sumFamilies(this.retained.get(slot) ?? [], last));
  }

  private ask(target: ScrapeTarget, requestId: number, timeoutMs: number): Promise<MetricFamilyJson[] | null> {
    const key = `${requestId}:${target.slot}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), timeoutMs);
      const finish = (metrics: MetricFamilyJson[] | null): void => {
        clearTimeout(timer);
        this.waiting.delete(key);
        resolve(metrics);
      };
      this.waiting.set(key, finish);
      if (!target.send({ type: 'nrf:metrics-request', requestId })) finish(null);
    });
  }

  async collect(targets: ScrapeTarget[]): Promise<ScrapeResult> {
    const requestId = ++this.sequence;
    const timeoutMs = this.options.timeoutMs ?? 2_000;
    const answers = await Promise.all(targets.map((t) => this.ask(t, requestId, timeoutMs)));
    const missing: number[] = [];
    const inputs: MetricFamilyJson[][] = [];
    answers.forEach((answer, i) => {
      const slot = targets[i]?.slot ?? -1;
      if (answer) inputs.push(answer);
      else {
        missing.push(slot);
        this.options.metrics.scrapeWorkerTimeouts.inc({ worker: String(slot) });
      }
    });
    this.options.metrics.scrapeWorkersMissing.set(missing.length);
    if (missing.length > 0) this.options.log.warn({ metrics: { missing } }, `metrics scrape: ${missing.length} worker(s) did not answer in ${timeoutMs} ms`);
    inputs.push(...this.retained.values());
    // Last, so the primary's own families (restarts, health) appear once, labelled worker="primary".
    inputs.push((await this.options.primaryRegistry.getMetricsAsJSON()) as unknown as MetricFamilyJson[]);
    return { ...(await mergeMetrics(inputs)), missing };
  }
}

/** The aggregation step on its own (a spec times it for four workers). */
export async function mergeMetrics(inputs: MetricFamilyJson[][]): Promise<{ contentType: string; body: string }> {
  const registry = AggregatorRegistry.aggregate(inputs);
  return { contentType: registry.contentType, body: await registry.metrics() };
}
