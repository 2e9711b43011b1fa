import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from '@aws-sdk/client-sqs';
import { handleMessage, type MessageHandlerDeps } from '../../lib/worker/handle-message.js';
import { createAcker } from '../../lib/worker/ack.js';
import { JobAbortError, jobAbortReason } from '../../lib/worker/abort.js';
import { WorkerStatus } from '../../lib/worker/status.js';
import type { JobRunner } from '../../lib/jobs/types.js';
import { captureLogging, metricValue, stubSqs, testMetrics, type CapturedLogging } from './helpers.js';

function setup(runner: JobRunner, options: { jobTimeoutSeconds?: number } = {}) {
  const sqs = stubSqs({ DeleteMessageCommand: () => ({}), ChangeMessageVisibilityCommand: () => ({}) });
  const { registry, metrics } = testMetrics();
  const logging: CapturedLogging = captureLogging('info');
  const shutdown = new AbortController();
  const config = {
    jobTimeoutSeconds: options.jobTimeoutSeconds ?? 900,
    sqs: { endpoint: null, region: 'eu-west-2', queueUrl: 'q', queueName: null, waitTimeSeconds: 20, visibilityTimeout: 300, maxMessages: 1, maxReceiveCount: 3 },
  };
  const acker = createAcker({ sqs, queueUrl: 'q', visibilityTimeout: 300, metrics, log: () => logging.context.log() });
  const deps: MessageHandlerDeps = { runner, acker, sqs, queueUrl: 'q', config, metrics, logging, status: new WorkerStatus(), shutdownSignal: shutdown.signal };
  return { sqs, registry, logging, shutdown, deps };
}

const message = (id: string, body: unknown, extra: Partial<Message> = {}): Message => ({
  MessageId: id, ReceiptHandle: `rh-${id}`, Body: typeof body === 'string' ? body : JSON.stringify(body),
  Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000' }, ...extra,
});

describe('one message from receive to settle', () => {
  test('runs inside a scope seeded with the correlation id; every job line carries it and none leaks into the next job', async () => {
    const seen: Array<string | undefined> = [];
    const { deps, logging, sqs, registry } = setup({
      run(_msg) {
        const scope = deps.logging.context.current();
        seen.push(scope?.traceId);
        if (seen.length === 1) deps.logging.context.update({ jobId: 'job-A' });
        deps.logging.context.log().info('inside the job');
        return Promise.resolve({ outcome: 'succeeded', jobType: 'nutrient', error: null });
      },
    });
    await handleMessage(message('m1', { a: 1 }, { MessageAttributes: { CorrelationId: { DataType: 'String', StringValue: 'corr-1' } } }), deps);
    await handleMessage(message('m2', { b: 2 }), deps);
    assert.equal(seen[0], 'corr-1');
    assert.match(seen[1] ?? '', /^[0-9a-f-]{36}$/, 'the second job gets a generated id');
    const records = logging.records();
    const first = records.filter((r) => (r.nrf as { message_id?: string } | undefined)?.message_id === 'm1');
    const second = records.filter((r) => (r.nrf as { message_id?: string } | undefined)?.message_id === 'm2');
    assert.ok(first.length >= 3 && second.length >= 3);
    assert.ok(first.every((r) => r['trace.id'] === 'corr-1'));
    assert.ok(second.every((r) => r['trace.id'] === seen[1] && r['job.id'] === undefined), 'nothing of job A leaks into job B');
    assert.equal(first.find((r) => r.message === 'inside the job')?.['job.id'], 'job-A');
    const settled = first.find((r) => (r.event as { action?: string } | undefined)?.action === 'job.settled');
    assert.deepEqual(settled?.event, { action: 'job.settled', outcome: 'success', reason: 'succeeded', duration: (settled?.event as { duration: number }).duration });
    assert.deepEqual(sqs.callsOf('DeleteMessageCommand').map((c) => c.input.ReceiptHandle), ['rh-m1', 'rh-m2']);
    assert.equal(await metricValue(registry, 'nrf_impact_jobs_total', { type: 'nutrient', outcome: 'succeeded' }), 2);
    assert.equal(deps.logging.context.current(), undefined, 'the scope closes with the settle');
  });

  test('the deadline fires the job signal with reason timeout; the retry backs off', async () => {
    const { deps, sqs } = setup({
      run: (_m, { signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({
        outcome: jobAbortReason(signal) === 'timeout' ? 'retry' : 'failed', jobType: 'gcn', error: null,
      }))),
    }, { jobTimeoutSeconds: 0.05 });
    assert.equal(await handleMessage(message('m1', {}), deps), 'retry');
    assert.equal(sqs.callsOf('ChangeMessageVisibilityCommand').at(-1)?.input.VisibilityTimeout, 30);
  });

  test('the shutdown abort hands an unfinished job back with visibility 0', async () => {
    const { deps, sqs, shutdown } = setup({
      run: (_m, { signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({ outcome: 'retry', jobType: 'nutrient', error: null }))),
    });
    const pending = handleMessage(message('m1', {}), deps);
    setTimeout(() => shutdown.abort(new JobAbortError('shutdown')), 10);
    assert.equal(await pending, 'abandoned');
    assert.equal(sqs.callsOf('ChangeMessageVisibilityCommand').at(-1)?.input.VisibilityTimeout, 0);
  });

  test('a runner that throws is settled as retry, or final_failure on the last receive', async () => {
    const { deps, sqs } = setup({ run: () => Promise.reject(new TypeError('boom')) });
    assert.equal(await handleMessage(message('m1', {}), deps), 'retry');
    assert.equal(await handleMessage(message('m2', {}, { Attributes: { ApproximateReceiveCount: '3' } }), deps), 'final_failure');
    assert.deepEqual(sqs.callsOf('ChangeMessageVisibilityCommand').map((c) => c.input.VisibilityTimeout), [30, 0]);
  });
});
