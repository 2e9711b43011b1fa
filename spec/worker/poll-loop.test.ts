import { afterEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from '@aws-sdk/client-sqs';
import { runPollLoop, type PollLoopDeps } from '../../lib/worker/poll-loop.js';
import { WorkerStatus, SQS_FAILING_AFTER_MS } from '../../lib/worker/status.js';
import { awsError, captureLogging, metricValue, stubSqs, testMetrics } from './helpers.js';

const sqsConfig = { sqs: { endpoint: null, region: 'eu-west-2', queueUrl: 'q', queueName: null, waitTimeSeconds: 20, visibilityTimeout: 300, maxMessages: 1, maxReceiveCount: 3 } };
const msg = (id: string): Message => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: '{}' });

function deps(overrides: Partial<PollLoopDeps> & Pick<PollLoopDeps, 'sqs' | 'pollSignal'>): PollLoopDeps {
  const { metrics } = testMetrics();
  return {
    queueUrl: 'q', config: sqsConfig, metrics, log: captureLogging().logger, status: new WorkerStatus(),
    readiness: { isOpen: () => true, refresh: () => Promise.resolve() },
    handle: () => Promise.resolve(), release: () => Promise.resolve(), random: () => 0,
    ...overrides,
  };
}

describe('poll loop (operations.md §2.2, §2.5)', () => {
  afterEach(() => mock.timers.reset());

  test('receives one message at a time with the §2.2 parameters and the poll signal', async () => {
    const controller = new AbortController();
    const handled: string[] = [];
    const sqs = stubSqs({
      ReceiveMessageCommand: (_input, _signal, n) => (n <= 2 ? { Messages: [msg(`m${n}`)] } : n === 3 ? {} : (controller.abort(), {})),
    });
    const { registry, metrics } = testMetrics();
    await runPollLoop(deps({ sqs, metrics, pollSignal: controller.signal, handle: (m) => Promise.resolve(void handled.push(m.MessageId ?? '')) }));
    assert.deepEqual(handled, ['m1', 'm2']);
    assert.deepEqual(sqs.calls[0]?.input, {
      QueueUrl: 'q', MaxNumberOfMessages: 1, WaitTimeSeconds: 20, VisibilityTimeout: 300,
      MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
    });
    assert.equal(sqs.calls[0]?.signal, controller.signal);
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_receives_total'), 4);
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_empty_receives_total'), 2);
  });

  test('poll errors back off, are counted by class, logged once at error and then at most once a minute at warn', async () => {
    const controller = new AbortController();
    const failures = [awsError('ThrottlingException', 400), awsError('CredentialsProviderError'), awsError('Error', undefined, 'ECONNREFUSED'), awsError('InternalError', 500)];
    const sqs = stubSqs({
      ReceiveMessageCommand: (_i, _s, n) => {
        if (n <= failures.length) return Promise.reject(failures[n - 1] ?? new Error("no failure"));
        controller.abort();
        return {};
      },
    });
    const { registry, metrics } = testMetrics();
    const logging = captureLogging();
    const status = new WorkerStatus();
    await runPollLoop(deps({ sqs, metrics, status, log: logging.logger, pollSignal: controller.signal, now: () => 0 }));
    for (const cls of ['throttling', 'credentials', 'network', 'service']) {
      assert.equal(await metricValue(registry, 'nrf_impact_sqs_errors_total', { operation: 'receive', class: cls }), 1, cls);
    }
    const records = logging.records().filter((r) => (r.event as { action?: string } | undefined)?.action?.startsWith('sqs.poll'));
    assert.deepEqual(records.map((r) => [r['log.level'], (r.event as { action: string }).action]), [['error', 'sqs.poll_failed'], ['info', 'sqs.poll_recovered']]);
    assert.equal((records[0]?.error as { type?: string }).type, 'ThrottlingException');
    assert.equal(status.sqsState().state, 'ok', 'the first success resets the failure run');
  });

  test('repeats are logged at warn once a minute', async () => {
    const controller = new AbortController();
    const sqs = stubSqs({ ReceiveMessageCommand: (_i, _s, n) => (n <= 5 ? Promise.reject(awsError('InternalError', 500)) : (controller.abort(), {})) });
    const logging = captureLogging();
    // Every clock read is 30 s later than the previous one: only every other failure is a minute on.
    let clock = 0;
    const now = (): number => (clock += 30_000);
    await runPollLoop(deps({ sqs, log: logging.logger, pollSignal: controller.signal, now }));
    const levels = logging.records().filter((r) => (r.event as { action?: string } | undefined)?.action === 'sqs.poll_failed').map((r) => r['log.level']);
    assert.deepEqual(levels, ['error', 'warn', 'warn']);
  });

  test('SQS counts as failing after five minutes of continuous errors', () => {
    let now = 1_000;
    const status = new WorkerStatus(() => now);
    status.sqsFailed();
    now += SQS_FAILING_AFTER_MS - 1;
    assert.equal(status.sqsState().state, 'retrying');
    now += 1;
    assert.deepEqual(status.sqsState(), { state: 'failing', failingSince: 1_000 });
  });

  test('aborting the poll ends the loop without counting an error', async () => {
    const controller = new AbortController();
    const sqs = stubSqs({
      ReceiveMessageCommand: (_i, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))),
    });
    const { registry, metrics } = testMetrics();
    const loop = runPollLoop(deps({ sqs, metrics, pollSignal: controller.signal }));
    setTimeout(() => controller.abort(), 5);
    await loop;
    assert.equal(await metricValue(registry, 'nrf_impact_sqs_errors_total', { operation: 'receive', class: 'network' }), 0);
  });

  test('a message that arrives after draining began is released, never started', async () => {
    const controller = new AbortController();
    const sqs = stubSqs({ ReceiveMessageCommand: () => (controller.abort(), { Messages: [msg('late')] }) });
    const handled: string[] = [];
    const released: string[] = [];
    await runPollLoop(deps({
      sqs, pollSignal: controller.signal,
      handle: (m) => Promise.resolve(void handled.push(m.MessageId ?? '')),
      release: (m) => Promise.resolve(void released.push(m.MessageId ?? '')),
    }));
    assert.deepEqual([handled, released], [[], ['late']]);
  });

  test('a closed readiness gate receives nothing and re-checks every 5 s', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const controller = new AbortController();
    let open = false;
    let refreshes = 0;
    const sqs = stubSqs({ ReceiveMessageCommand: () => (controller.abort(), {}) });
    const loop = runPollLoop(deps({
      sqs, pollSignal: controller.signal,
      readiness: { isOpen: () => open, refresh: () => Promise.resolve(void (refreshes += 1)) },
    }));
    for (let i = 0; i < 3; i += 1) {
      mock.timers.tick(5_000);
      for (let j = 0; j < 5; j += 1) await Promise.resolve();
    }
    assert.equal(sqs.calls.length, 0);
    assert.equal(refreshes, 3);
    open = true;
    mock.timers.tick(5_000);
    await loop;
    assert.equal(sqs.calls.length, 1);
  });
});
