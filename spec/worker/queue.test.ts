import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { QueueConfigFault, checkRedrivePolicy, judgeRedrivePolicy, resolveQueueUrl } from '../../lib/worker/queue.js';
import { awsError, captureLogging, stubSqs, testMetrics } from './helpers.js';

const sqsConfig = (over: Partial<{ queueUrl: string | null; queueName: string | null }>) => ({
  endpoint: null, region: 'eu-west-2', queueUrl: null, queueName: null, waitTimeSeconds: 20, visibilityTimeout: 300, maxMessages: 1, maxReceiveCount: 3, ...over,
});

describe('queue address and redrive check (operations.md §2.1)', () => {
  test('judges the redrive policy against SQS_MAX_RECEIVE_COUNT', () => {
    assert.equal(judgeRedrivePolicy(undefined, 3).ok, false);
    assert.equal(judgeRedrivePolicy('{"maxReceiveCount":3}', 3).ok, false);
    assert.deepEqual(judgeRedrivePolicy('{"deadLetterTargetArn":"arn:dlq","maxReceiveCount":"5"}', 3), { ok: false, problem: 'the RedrivePolicy maxReceiveCount is 5, SQS_MAX_RECEIVE_COUNT is 3' });
    assert.deepEqual(judgeRedrivePolicy('{"deadLetterTargetArn":"arn:dlq","maxReceiveCount":3}', 3), { ok: true, maxReceiveCount: 3, deadLetterTargetArn: 'arn:dlq' });
  });

  test('a queue name resolves through GetQueueUrl, retrying transient failures', async () => {
    const sqs = stubSqs({ GetQueueUrlCommand: (input, _s, n) => (n === 1 ? Promise.reject(awsError('AccessDenied', 403)) : { QueueUrl: `https://sqs/${String(input.QueueName)}` }) });
    const url = await resolveQueueUrl({ sqs, config: { deployed: true, sqs: sqsConfig({ queueName: 'jobs' }) }, metrics: testMetrics().metrics, log: captureLogging().logger, signal: new AbortController().signal, random: () => 0 });
    assert.equal(url, 'https://sqs/jobs');
    assert.equal(sqs.calls.length, 2);
  });

  test('a missing queue is a configuration fault when deployed', async () => {
    const sqs = stubSqs({ GetQueueUrlCommand: () => Promise.reject(awsError('QueueDoesNotExist', 400)) });
    await assert.rejects(
      resolveQueueUrl({ sqs, config: { deployed: true, sqs: sqsConfig({ queueName: 'jobs' }) }, metrics: testMetrics().metrics, log: captureLogging().logger, signal: new AbortController().signal }),
      QueueConfigFault,
    );
  });

  test('a configured URL needs no call; an aborted resolution returns null', async () => {
    const none = stubSqs({});
    assert.equal(await resolveQueueUrl({ sqs: none, config: { deployed: false, sqs: sqsConfig({ queueUrl: 'http://q' }) }, metrics: testMetrics().metrics, log: captureLogging().logger, signal: new AbortController().signal }), 'http://q');
    const failing = stubSqs({ GetQueueUrlCommand: () => Promise.reject(awsError('QueueDoesNotExist', 400)) });
    const controller = new AbortController();
    const pending = resolveQueueUrl({ sqs: failing, config: { deployed: false, sqs: sqsConfig({ queueName: 'jobs' }) }, metrics: testMetrics().metrics, log: captureLogging().logger, signal: controller.signal, random: () => 0.5 });
    setTimeout(() => controller.abort(), 20);
    assert.equal(await pending, null);
  });

  test('checkRedrivePolicy reads the RedrivePolicy attribute', async () => {
    const sqs = stubSqs({ GetQueueAttributesCommand: (input) => ({ Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:dlq', maxReceiveCount: 3 }) }, echo: input }) });
    const result = await checkRedrivePolicy({ sqs, config: { deployed: true, sqs: sqsConfig({ queueUrl: 'http://q' }) }, metrics: testMetrics().metrics, log: captureLogging().logger, signal: new AbortController().signal }, 'http://q');
    assert.equal(result?.ok, true);
    assert.deepEqual(sqs.calls[0]?.input, { QueueUrl: 'http://q', AttributeNames: ['RedrivePolicy'] });
  });
});
