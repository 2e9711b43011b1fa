import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpServer, type HttpServer } from '../../lib/http/server.js';
import { captureLogging, type CapturedLogging } from '../worker/helpers.js';

describe('Koa server for /health and /metrics (operations.md §3.1)', () => {
  let server: HttpServer;
  let logging: CapturedLogging;
  let healthStatus = 200;
  let metricsFail = false;
  before(async () => {
    logging = captureLogging('info');
    server = await startHttpServer({
      port: 0, host: '127.0.0.1', log: logging.logger,
      routes: {
        health: () => ({ httpStatus: healthStatus, body: { status: healthStatus === 200 ? 'ok' : 'failing', reasons: [] } }),
        metrics: () => (metricsFail ? Promise.reject(new Error('aggregate threw')) : Promise.resolve({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'x 1\n' })),
      },
    });
  });
  after(() => server.close());

  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

  test('/health returns the document with its status code, compact, status first', async () => {
    const ok = await get('/health');
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /^\{"status":"ok","reasons":\[\]\}$/);
    healthStatus = 503;
    const failing = await get('/health');
    assert.equal(failing.status, 503);
    assert.equal(((await failing.json()) as { status: string }).status, 'failing');
    healthStatus = 200;
  });

  test('/metrics serves Prometheus text; an aggregation failure is a 503, not a crash', async () => {
    const res = await get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await res.text(), 'x 1\n');
    metricsFail = true;
    const failed = await get('/metrics');
    assert.equal(failed.status, 503);
    await failed.text();
    metricsFail = false;
  });

  test('anything else is a JSON 404; requests are never logged', async () => {
    const res = await get('/nope');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { status: 'not_found' });
    const post = await fetch(`http://127.0.0.1:${server.port}/health`, { method: 'POST' });
    assert.equal(post.status, 404);
    await post.text();
    const messages = logging.records().map((r) => r.message);
    assert.ok(messages.every((m) => !/GET|POST|\/health|\/nope/.test(String(m)) || /listening/.test(String(m))), messages.join(' | '));
  });
});
