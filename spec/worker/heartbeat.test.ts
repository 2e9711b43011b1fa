import { afterEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { heartbeatIntervalSeconds, startLeaseHeartbeat } from '../../lib/worker/heartbeat.js';
import { awsError, captureLogging, metricValue, stubSqs, testMetrics } from './helpers.js';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('lease heartbeat (operations.md §2.3)', () => {
  afterEach(() => mock.timers.reset());

  test('beats every floor(VT/3) s with ChangeMessageVisibility(VT), relative to now', async () => {
    mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
    const sqs = stubSqs({ ChangeMessageVisibilityCommand: () => ({}) });
    const { registry, metrics } = testMetrics();
    assert.equal(heartbeatIntervalSeconds(300), 100);
    assert.equal(heartbeatIntervalSeconds(31), 10);
    const hb = startLeaseHeartbeat({ sqs, queueUrl: 'q', receiptHandle: 'rh', visibilityTimeout: 300, metrics, log: () => captureLogging().logger });
    mock.timers.tick(99_999);
    await flush();
    assert.equal(sqs.calls.length, 0, 'no beat before the interval');
    mock.timers.tick(1);
    await flush();
    mock.timers.tick(100_000);
    await flush();
    assert.equal(sqs.calls.length, 2);
    for (const call of sqs.calls) assert.deepEqual(call.input, { QueueUrl: 'q', ReceiptHandle: 'rh', VisibilityTimeout: 300 });
    await hb.stop();
    mock.timers.tick(500_000);
    await flush();
    assert.equal(sqs.calls.length, 2, 'no beat after stop');
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_visibility_extensions_total', { result: 'ok' }), 2);
  });

  test('a failing beat never throws: it is logged at warn, counted, and the next beat still runs', async () => {
    mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
    const sqs = stubSqs({ ChangeMessageVisibilityCommand: (_i, _s, n) => (n === 1 ? Promise.reject(awsError('InternalError', 500)) : {}) });
    const { registry, metrics } = testMetrics();
    const logging = captureLogging();
    const hb = startLeaseHeartbeat({ sqs, queueUrl: 'q', receiptHandle: 'rh', visibilityTimeout: 60, metrics, log: () => logging.logger });
    mock.timers.tick(20_000);
    await flush();
    mock.timers.tick(20_000);
    await flush();
    await hb.stop();
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_visibility_extensions_total', { result: 'error' }), 1);
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_visibility_extensions_total', { result: 'ok' }), 1);
    assert.equal(logging.records().filter((r) => r['log.level'] === 'warn').length, 1);
  });

  test('stop() waits for a beat already in flight, so it cannot land after a release', async () => {
    mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
    let finishBeat: () => void = () => undefined;
    const sqs = stubSqs({ ChangeMessageVisibilityCommand: () => new Promise<void>((resolve) => { finishBeat = resolve; }) });
    const hb = startLeaseHeartbeat({ sqs, queueUrl: 'q', receiptHandle: 'rh', visibilityTimeout: 30, metrics: testMetrics().metrics, log: () => captureLogging().logger });
    mock.timers.tick(10_000);
    await flush();
    assert.equal(sqs.calls.length, 1);
    let stopped = false;
    const stopping = hb.stop().then(() => {
      stopped = true;
    });
    await flush();
    assert.equal(stopped, false, 'stop is still waiting for the in-flight beat');
    finishBeat();
    await stopping;
    assert.equal(stopped, true);
  });

  test('no beat after the job deadline, so a stuck job cannot extend its lease for ever', async () => {
    mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 0 });
    const sqs = stubSqs({ ChangeMessageVisibilityCommand: () => ({}) });
    const hb = startLeaseHeartbeat({ sqs, queueUrl: 'q', receiptHandle: 'rh', visibilityTimeout: 300, metrics: testMetrics().metrics, log: () => captureLogging().logger, maxExtendMs: 900_000 });
    for (let i = 0; i < 12; i += 1) {
      mock.timers.tick(100_000);
      await flush();
    }
    // Beats at 100 … 800 s; at 900 s the deadline has passed.
    assert.equal(sqs.calls.length, 8);
    await hb.stop();
  });
});
