// Child process of the bench: requests /health and /metrics of a running primary in turn and
// prints the raw timings as one JSON line. It runs apart from the bench process because that
// process also hosts the queue emulator and the fakes; a client sharing their event loop would
// add their lag to the primary's latency. The parent writes "stop" on stdin when the backlog that
// keeps every worker busy is nearly done.
// Usage: node --import tsx bench/lib/endpoint-sampler.ts <baseUrl> <healthCount> <metricsCount>

import { setTimeout as sleep } from 'node:timers/promises';

export interface RawEndpointSample {
  health: number[];
  metrics: number[];
  busy: number;
  non200: number;
}

async function timed(url: string): Promise<{ ms: number; status: number; text: string }> {
  const started = performance.now();
  const res = await fetch(url);
  const text = await res.text();
  return { ms: performance.now() - started, status: res.status, text };
}

const [base, healthArg, metricsArg] = process.argv.slice(2);
const wanted = { health: Number(healthArg), metrics: Number(metricsArg) };
let stopped = false;
process.stdin.on('data', () => void (stopped = true));
process.stdin.on('end', () => void (stopped = true));

// Warm-up, not recorded: the first fetch of a fresh process loads and compiles undici.
await timed(`${base}/health`);
await timed(`${base}/metrics`);

const out: RawEndpointSample = { health: [], metrics: [], busy: 0, non200: 0 };
while (!stopped && (out.health.length < wanted.health || out.metrics.length < wanted.metrics)) {
  if (out.health.length < wanted.health) {
    const h = await timed(`${base}/health`);
    out.health.push(h.ms);
    if (h.status !== 200) out.non200 += 1;
    const body = JSON.parse(h.text) as { workers: { state: string }[] };
    if (body.workers.length > 0 && body.workers.every((w) => w.state === 'busy')) out.busy += 1;
  }
  // One /metrics scrape per three /health checks, as a Prometheus sidecar and ECS would mix them.
  if (out.metrics.length < wanted.metrics && out.health.length % 3 === 0) {
    const m = await timed(`${base}/metrics`);
    out.metrics.push(m.ms);
    if (m.status !== 200) out.non200 += 1;
  }
  await sleep(10);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
