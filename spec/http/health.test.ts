import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHealth, type HealthInput, type SlotView } from '../../lib/http/health.js';
import type { HeartbeatPayload } from '../../lib/supervisor/ipc.js';

const NOW = 10_000_000;

function heartbeat(over: Partial<HeartbeatPayload> = {}, readiness: Partial<HeartbeatPayload['readiness']> = {}): HeartbeatPayload {
  return {
    state: 'idle', jobsDone: 3, jobsFailed: 1,
    readiness: { db: true, referenceData: true, missing: [], versions: { nn_catchments: 2 }, checkedAt: NOW - 6_000, ...readiness },
    sqs: { state: 'ok', redriveOk: true },
    ...over,
  };
}

function slot(n: number, over: Partial<SlotView> = {}): SlotView {
  const hb = over.heartbeat === undefined ? heartbeat() : over.heartbeat;
  return { slot: n, pid: 100 + n, state: hb?.state ?? 'starting', lastHeartbeatAt: NOW - 1_000, heartbeat: hb, restarts: 0, crashLoop: false, ...over };
}

function input(slots: SlotView[], over: Partial<HealthInput> = {}): HealthInput {
  return { service: 'nrf-impact-assessment-worker', version: '1.4.0', environment: 'dev', startedAt: NOW - 120_000, now: NOW, workerCount: 2, shuttingDown: false, slots, ...over };
}

describe('/health document (operations.md §3.2)', () => {
  test('ok: status is the first key, per-worker detail and readiness', () => {
    const busy = heartbeat({ state: 'busy', jobId: 'job-9', jobStartedAt: NOW - 48_000 });
    const report = buildHealth(input([slot(0, { heartbeat: busy }), slot(1)]));
    assert.equal(report.status, 'ok');
    assert.equal(report.httpStatus, 200);
    assert.equal(Object.keys(report.body)[0], 'status');
    assert.match(JSON.stringify(report.body), /^\{"status":"ok"/);
    assert.deepEqual(report.body.workers, [
      { slot: 0, pid: 100, state: 'busy', live: true, jobId: 'job-9', jobSeconds: 48, heartbeatAgeSeconds: 1, jobsDone: 3, jobsFailed: 1, restarts: 0, crashLoop: false },
      { slot: 1, pid: 101, state: 'idle', live: true, jobId: null, jobSeconds: null, heartbeatAgeSeconds: 1, jobsDone: 3, jobsFailed: 1, restarts: 0, crashLoop: false },
    ]);
    assert.equal(report.body.ready, true);
    assert.deepEqual(report.body.referenceDataVersions, { nn_catchments: 2 });
    assert.deepEqual(report.body.readiness, { database: { reachable: true, checkedSecondsAgo: 6, unreachableForSeconds: 0 }, referenceData: { present: true, missing: [] } });
  });

  const cases: Array<[string, HealthInput, 'ok' | 'degraded' | 'failing', RegExp]> = [
    ['starting during boot', input([slot(0, { heartbeat: null, lastHeartbeatAt: null }), slot(1, { heartbeat: null, lastHeartbeatAt: null })], { startedAt: NOW - 5_000 }), 'degraded', /starting/],
    ['no live worker after the 60 s boot grace', input([slot(0, { heartbeat: null, lastHeartbeatAt: null }), slot(1, { heartbeat: null, lastHeartbeatAt: null })]), 'failing', /no live worker/],
    ['a slot in crash loop', input([slot(0, { crashLoop: true }), slot(1)]), 'failing', /worker 0: crash loop/],
    ['database down > 120 s for every reporter', input([slot(0, { heartbeat: heartbeat({}, { db: false, dbFailingSince: NOW - 121_000 }) }), slot(1, { heartbeat: heartbeat({}, { db: false, dbFailingSince: NOW - 200_000 }) })]), 'failing', /database unreachable for more than 120 s/],
    ['database down ≤ 120 s', input([slot(0, { heartbeat: heartbeat({}, { db: false, dbFailingSince: NOW - 30_000 }) }), slot(1)]), 'degraded', /database unreachable/],
    ['a stale heartbeat', input([slot(0, { lastHeartbeatAt: NOW - 41_000 }), slot(1)]), 'degraded', /worker 0: heartbeat 41 s old/],
    ['fewer live workers than WORKER_COUNT', input([slot(0)]), 'degraded', /1 of 2 workers live/],
    ['reference data missing', input([slot(0, { heartbeat: heartbeat({}, { referenceData: false, missing: ['coefficient_layer'], checkedAt: NOW }) }), slot(1)]), 'degraded', /reference data missing: coefficient_layer/],
    ['SQS failing for five minutes', input([slot(0, { heartbeat: heartbeat({ sqs: { state: 'failing', failingSince: NOW - 400_000, redriveOk: true } }) }), slot(1)]), 'degraded', /SQS failing/],
    ['redrive check failed locally', input([slot(0, { heartbeat: heartbeat({ sqs: { state: 'ok', redriveOk: false } }) }), slot(1)]), 'degraded', /redrive/],
    ['shutting down', input([slot(0, { heartbeat: heartbeat({ state: 'draining' }) }), slot(1, { heartbeat: heartbeat({ state: 'draining' }) })], { shuttingDown: true }), 'degraded', /shutting down/],
    ['shutting down with every worker gone is not failing', input([slot(0, { state: 'exited', heartbeat: null, lastHeartbeatAt: null })], { shuttingDown: true, workerCount: 1 }), 'degraded', /shutting down/],
  ];
  for (const [name, given, status, reason] of cases) {
    test(`${status}: ${name}`, () => {
      const report = buildHealth(given);
      assert.equal(report.status, status, JSON.stringify(report.body.reasons));
      assert.equal(report.httpStatus, status === 'failing' ? 503 : 200);
      assert.match((report.body.reasons as string[]).join('; '), reason);
    });
  }
});
