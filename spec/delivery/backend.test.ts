// The backend client against the fake backend (contracts.md §8.1): headers, schema gate, retries
// with the 1/2/4 s schedule, permanent 4xx, timeouts, cancellation, proxy routing, idempotent POST.

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createBackendClient, type BackendClient, type BackendClientOptions } from '../../lib/delivery/backend.js';
import { buildQuotePatch } from '../../lib/delivery/quote-patch.js';
import { buildAssessmentResults } from '../../lib/delivery/result-document.js';
import { JobError } from '../../lib/errors.js';
import { createWorkerMetrics, type WorkerMetrics } from '../../lib/observability/metrics.js';
import type { BackendConfig } from '../../lib/config.js';
import { startFakeBackend, type FakeBackend } from '../support/fakes/backend.js';
import { COMPLETED_NUTRIENT_DOCUMENT, QUOTE_PATCH_INPUT } from '../fixtures/contracts/examples.js';

const API_KEY = 'backend-test-key';
const body = buildQuotePatch(QUOTE_PATCH_INPUT);
const doc = buildAssessmentResults(COMPLETED_NUTRIENT_DOCUMENT);

function config(url: string, overrides: Partial<BackendConfig> = {}): BackendConfig {
  return { baseUrl: `${url}/`, apiKey: API_KEY, timeoutSeconds: 1, maxRetries: 3, tracingHeader: 'x-cdp-request-id', ...overrides };
}

async function attemptCounts(metrics: WorkerMetrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.callbackAttempts.get()).values) out[String(v.labels.status)] = v.value;
  return out;
}

describe('backend client against the fake backend', () => {
  let fake: FakeBackend;
  let client: BackendClient;
  let metrics: WorkerMetrics;
  let sleeps: number[];
  const call = () => ({ correlationId: 'corr-123', signal: new AbortController().signal });
  const make = (overrides: Partial<BackendConfig> = {}, options: BackendClientOptions = {}): BackendClient =>
    createBackendClient(config(fake.url, overrides), { serviceVersion: '9.8.7', metrics, sleep: (ms) => { sleeps.push(ms); return Promise.resolve(); }, ...options });

  before(async () => {
    fake = await startFakeBackend({ apiKey: API_KEY });
  });
  after(async () => fake.stop());
  afterEach(async () => {
    await client?.close();
    fake.reset();
  });

  function setup(overrides: Partial<BackendConfig> = {}): void {
    metrics = createWorkerMetrics(new Registry());
    sleeps = [];
    client = make(overrides);
  }

  test('PATCH sends the golden body with every contract header; path URI-encoded; trailing slash dropped', async () => {
    setup();
    const result = await client.patchQuote('NRL/000123', body, call());
    assert.deepEqual(result, { status: 200, attempts: 1 });
    const [seen] = fake.calls();
    assert.equal(seen?.path, '/quotes/NRL%2F000123');
    assert.equal(seen?.param, 'NRL/000123');
    assert.equal(seen?.rawBody, JSON.stringify(body));
    assert.equal(seen?.headers['content-type'], 'application/json');
    assert.equal(seen?.headers.accept, 'application/json');
    assert.equal(seen?.headers['x-api-key'], API_KEY);
    assert.equal(seen?.headers['x-cdp-request-id'], 'corr-123');
    assert.equal(seen?.headers['user-agent'], 'nrf-impact-assessment-worker/9.8.7');
    assert.deepEqual(await attemptCounts(metrics), { '2xx': 1 });
  });

  test('503 ×3 then 200: one accepted call after sleeping 1 s, 2 s, 4 s', async () => {
    setup();
    fake.inject({ type: 'status', status: 503, times: 3 });
    const result = await client.patchQuote('NRL-000123', body, call());
    assert.deepEqual(result, { status: 200, attempts: 4 });
    assert.equal(fake.accepted().length, 1);
    assert.deepEqual(fake.calls().map((c) => c.status), [503, 503, 503, 200]);
    assert.deepEqual(sleeps, [1000, 2000, 4000]);
    assert.deepEqual(await attemptCounts(metrics), { '5xx': 3, '2xx': 1 });
  });

  test('408 and 429 are retried too', async () => {
    setup();
    fake.inject({ type: 'status', status: 408 });
    fake.inject({ type: 'status', status: 429 });
    assert.equal((await client.postResults(doc.jobId, doc, call())).attempts, 3);
    assert.deepEqual(await attemptCounts(metrics), { '4xx': 2, '2xx': 1 });
  });

  test('down for good: callback_failed (transient) after 4 attempts', async () => {
    setup();
    fake.inject({ type: 'down' });
    await assert.rejects(client.patchQuote('NRL-000123', body, call()), (e: unknown) => {
      assert.ok(e instanceof JobError);
      assert.deepEqual([e.code, e.kind, e.detail.attempts, e.detail.lastReason], ['callback_failed', 'transient', 4, 'network']);
      return true;
    });
    assert.equal(fake.calls().length, 4);
    assert.deepEqual(sleeps, [1000, 2000, 4000]);
    assert.deepEqual(await attemptCounts(metrics), { network: 4 });
  });

  test('400: callback_rejected at once with the status and at most 2 KB of body', async () => {
    setup();
    fake.inject({ type: 'status', status: 400, body: JSON.stringify({ message: 'x'.repeat(5000) }) });
    await assert.rejects(client.patchQuote('NRL-000123', body, call()), (e: unknown) => {
      assert.ok(e instanceof JobError);
      assert.deepEqual([e.code, e.kind, e.detail.status], ['callback_rejected', 'callback', 400]);
      assert.equal(Buffer.byteLength(String(e.detail.body)), 2048);
      assert.ok(String(e.detail.body).startsWith('{"message":"xxx'));
      return true;
    });
    assert.equal(fake.calls().length, 1);
    assert.deepEqual(sleeps, []);
  });

  test('the fake backend itself refuses a bad key with 401 → callback_rejected', async () => {
    metrics = createWorkerMetrics(new Registry());
    sleeps = [];
    client = make({ apiKey: 'wrong' });
    await assert.rejects(client.patchQuote('NRL-000123', body, call()), (e: unknown) => e instanceof JobError && e.code === 'callback_rejected' && e.detail.status === 401);
  });

  test('a body failing its own schema is internal_error and never sent', async () => {
    setup();
    const bad = buildQuotePatch({ ...QUOTE_PATCH_INPUT, levyGbp: { ...QUOTE_PATCH_INPUT.levyGbp, amountInflationAdjusted: 50825.125 } });
    await assert.rejects(client.patchQuote('NRL-000123', bad, call()), (e: unknown) => {
      assert.ok(e instanceof JobError);
      assert.deepEqual([e.code, e.kind, e.detail.exceptionClass], ['internal_error', 'bug', 'PayloadSchemaError']);
      return true;
    });
    assert.equal(fake.calls().length, 0);
  });

  test('results POST: 201, a repeat is a 200 no-op, a different document is 409 → callback_rejected', async () => {
    setup();
    assert.equal((await client.postResults(doc.jobId, doc, call())).status, 201);
    assert.equal((await client.postResults(doc.jobId, doc, call())).status, 200);
    const other = { ...doc, correlationId: 'another-attempt' };
    await assert.rejects(client.postResults(doc.jobId, other, call()), (e: unknown) => e instanceof JobError && e.code === 'callback_rejected' && e.detail.status === 409);
  });

  test('the per-attempt timeout is honoured and the next attempt succeeds', async () => {
    setup();
    fake.inject({ type: 'slow', delayMs: 3000 });
    const started = Date.now();
    const result = await client.patchQuote('NRL-000123', body, call());
    assert.deepEqual(result, { status: 200, attempts: 2 });
    assert.deepEqual(await attemptCounts(metrics), { timeout: 1, '2xx': 1 });
    assert.ok(Date.now() - started < 10_000, 'a 1 s timeout must not wait for the 3 s answer');
  });

  test('the job signal cancels an attempt in flight and stops the retries', async () => {
    setup();
    fake.inject({ type: 'slow', delayMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline_exceeded')), 100);
    client = make({ timeoutSeconds: 30 });
    await assert.rejects(client.patchQuote('NRL-000123', body, { correlationId: 'c', signal: controller.signal }), /deadline_exceeded/);
    assert.equal(fake.calls().length, 1);
  });

  test('the job signal also cuts a backoff sleep short', async () => {
    metrics = createWorkerMetrics(new Registry());
    sleeps = [];
    const controller = new AbortController();
    client = createBackendClient(config(fake.url), { sleep: (ms, signal) => new Promise((_resolve, reject) => {
      sleeps.push(ms);
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
      controller.abort(new Error('shutdown'));
    }) });
    fake.inject({ type: 'status', status: 500, times: 5 });
    await assert.rejects(client.patchQuote('NRL-000123', body, { correlationId: 'c', signal: controller.signal }), /shutdown/);
    assert.deepEqual(sleeps, [1000]);
  });
});

describe('backend client through HTTP_PROXY', () => {
  let fake: FakeBackend;
  let proxy: http.Server;
  let proxyUrl: string;
  let tunnels = 0;

  before(async () => {
    fake = await startFakeBackend({ apiKey: API_KEY });
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      tunnels += 1;
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(async () => {
    await fake.stop();
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });

  test('a ProxyAgent tunnels the callback; NO_PROXY sends it direct', async () => {
    const viaProxy = createBackendClient(config(fake.url), { proxy: { httpProxy: proxyUrl, httpsProxy: null, noProxy: null } });
    assert.equal(viaProxy.proxyDecision.proxied, true);
    await viaProxy.patchQuote('NRL-000123', body, { correlationId: 'c', signal: new AbortController().signal });
    await viaProxy.close();
    assert.equal(tunnels, 1);

    const direct = createBackendClient(config(fake.url), { proxy: { httpProxy: proxyUrl, httpsProxy: null, noProxy: '127.0.0.1' } });
    assert.equal(direct.proxyDecision.proxied, false);
    await direct.patchQuote('NRL-000123', body, { correlationId: 'c', signal: new AbortController().signal });
    await direct.close();
    assert.equal(tunnels, 1);
    assert.equal(fake.accepted().length, 2);
  });
});
