import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAcker, queueActionFor, retryVisibility } from '../../lib/worker/ack.js';
import type { Outcome } from '../../lib/jobs/types.js';
import { awsError, captureLogging, metricValue, stubSqs, testMetrics } from './helpers.js';

const target = { messageId: 'm-1', receiptHandle: 'rh-1', receiveCount: 1 };

describe('queue action per outcome (operations.md §2.4)', () => {
  test('retry visibility is min(30 × 2^(n−1), VT): 30, 60, 120 … capped', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryVisibility(n, 300)), [30, 60, 120, 240, 300, 300]);
    assert.deepEqual([1, 2, 3].map((n) => retryVisibility(n, 45)), [30, 45, 45]);
  });

  test('each outcome maps to exactly one action', () => {
    const table: Array<[Outcome, string]> = [
      ['succeeded', 'delete'], ['duplicate', 'delete'],
      ['rejected', 'release:0:rejected'], ['failed', 'release:0:failed'], ['final_failure', 'release:0:final_failure'],
      ['abandoned', 'release:0:shutdown'], ['retry', 'release:60:retry'],
    ];
    for (const [outcome, expected] of table) {
      const action = queueActionFor(outcome, 2, 300);
      assert.equal(action.kind === 'delete' ? 'delete' : `release:${action.visibility}:${action.reason}`, expected, outcome);
    }
  });
});

describe('acker with a stubbed SQS send', () => {
  test('succeeded deletes once and counts it; the call carries its own timeout signal', async () => {
    const sqs = stubSqs({ DeleteMessageCommand: () => ({}) });
    const { registry, metrics } = testMetrics();
    const logging = captureLogging();
    const acker = createAcker({ sqs, queueUrl: 'q', visibilityTimeout: 300, metrics, log: () => logging.logger });
    const result = await acker.settle(target, 'succeeded');
    assert.deepEqual(result, { action: { kind: 'delete' }, ok: true, attempts: 1 });
    assert.equal(sqs.calls.length, 1);
    assert.equal(sqs.calls[0]?.input.ReceiptHandle, 'rh-1');
    assert.ok(sqs.calls[0]?.signal instanceof AbortSignal);
    assert.equal(sqs.calls[0]?.signal?.aborted, false);
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_messages_deleted_total'), 1);
  });

  test('retry sets the backoff visibility from the receive count', async () => {
    const sqs = stubSqs({ ChangeMessageVisibilityCommand: () => ({}) });
    const { registry, metrics } = testMetrics();
    const acker = createAcker({ sqs, queueUrl: 'q', visibilityTimeout: 300, metrics, log: () => captureLogging().logger });
    await acker.settle({ ...target, receiveCount: 3 }, 'retry');
    assert.equal(sqs.calls[0]?.input.VisibilityTimeout, 120);
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_messages_released_total', { reason: 'retry' }), 1);
    await acker.settle(target, 'rejected');
    assert.equal(sqs.calls[1]?.input.VisibilityTimeout, 0);
    assert.equal(await metricValue(registry, 'nrf_impact_dlq_bound_total', { reason: 'rejected' }), 1);
  });

  test('transient failures are retried up to three attempts, then logged at error without throwing', async () => {
    const sqs = stubSqs({ ChangeMessageVisibilityCommand: () => Promise.reject(awsError('ThrottlingException', 400)) });
    const { registry, metrics } = testMetrics();
    const logging = captureLogging();
    const acker = createAcker({ sqs, queueUrl: 'q', visibilityTimeout: 300, metrics, log: () => logging.logger, pause: () => Promise.resolve() });
    const result = await acker.settle(target, 'abandoned');
    assert.equal(result.ok, false);
    assert.equal(result.attempts, 3);
    assert.equal(sqs.calls.length, 3);
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_errors_total', { operation: 'visibility', class: 'throttling' }), 3);
    const levels = logging.records().map((r) => r['log.level']);
    assert.deepEqual(levels, ['warn', 'warn', 'error']);
  });

  test('a recovered second attempt succeeds; access faults are not retried', async () => {
    const flaky = stubSqs({ DeleteMessageCommand: (_i, _s, n) => (n === 1 ? Promise.reject(awsError('InternalError', 500)) : {}) });
    const acker = createAcker({ sqs: flaky, queueUrl: 'q', visibilityTimeout: 300, metrics: testMetrics().metrics, log: () => captureLogging().logger, pause: () => Promise.resolve() });
    assert.deepEqual(await acker.settle(target, 'duplicate'), { action: { kind: 'delete' }, ok: true, attempts: 2 });

    const denied = stubSqs({ DeleteMessageCommand: () => Promise.reject(awsError('AccessDenied', 403)) });
    const acker2 = createAcker({ sqs: denied, queueUrl: 'q', visibilityTimeout: 300, metrics: testMetrics().metrics, log: () => captureLogging().logger, pause: () => Promise.resolve() });
    const result = await acker2.settle(target, 'succeeded');
    assert.equal(result.ok, false);
    assert.equal(denied.calls.length, 1);
  });

  test('ReceiptHandleIsInvalid is a warning, not a failure, and is not retried', async () => {
    const sqs = stubSqs({ DeleteMessageCommand: () => Promise.reject(awsError('ReceiptHandleIsInvalid', 400)) });
    const logging = captureLogging();
    const acker = createAcker({ sqs, queueUrl: 'q', visibilityTimeout: 300, metrics: testMetrics().metrics, log: () => logging.logger });
    const result = await acker.settle(target, 'succeeded');
    assert.equal(result.ok, true);
    assert.equal(sqs.calls.length, 1);
    assert.deepEqual(logging.records().map((r) => r['log.level']), ['warn']);
  });

  test('a hung call is cut by the per-attempt timeout and retried as a network fault', async () => {
    const sqs = stubSqs({
      DeleteMessageCommand: (_input, signal, n) => (n === 1
        ? new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))))
        : {}),
    });
    const { registry, metrics } = testMetrics();
    const acker = createAcker({ sqs, queueUrl: 'q', visibilityTimeout: 300, metrics, log: () => captureLogging().logger, attemptTimeoutMs: 20, pause: () => Promise.resolve() });
    // AbortSignal.timeout is unref'd; in a worker the IPC channel keeps the loop alive.
    const keepAlive = setInterval(() => undefined, 1000);
    const result = await acker.settle(target, 'succeeded').finally(() => clearInterval(keepAlive));
    assert.deepEqual([result.ok, result.attempts], [true, 2]);
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_errors_total', { operation: 'delete', class: 'network' }), 1);
  });
});
