// Process spec (operations.md §7.5): a real primary with WORKER_COUNT=2 forking the test worker
// entry, against fauxqs. One primary serves the whole file to keep boot costs down; the last test
// shuts it down with SIGTERM mid-job.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeMessageVisibilityCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { startLocalAws, type LocalAws } from '../support/aws.js';
import { baseEnv, metricSum, startPrimary, waitForHealth, type EcsRecord, type PrimaryProcess } from '../support/test-worker-process.js';

const settled = (r: EcsRecord): boolean => r.event?.action === 'job.settled';
const messageIdOf = (r: EcsRecord): string | undefined => r.nrf?.message_id;
const sqsOf = (r: EcsRecord) => r.sqs as { action: string; visibility: number | null } | undefined;

describe('a real primary with two workers', () => {
  let aws: LocalAws;
  let primary: PrimaryProcess;

  async function send(body: unknown, correlationId?: string): Promise<string> {
    const out = await aws.sqs.send(new SendMessageCommand({
      QueueUrl: aws.queueUrl,
      MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
      ...(correlationId ? { MessageAttributes: { CorrelationId: { DataType: 'String', StringValue: correlationId } } } : {}),
    }));
    return out.MessageId ?? '';
  }

  const inflight = () => aws.server.inspectQueue(aws.queueName)?.messages.inflight ?? [];
  const queueEmpty = (): boolean => {
    const q = aws.server.inspectQueue(aws.queueName)?.messages;
    return !!q && q.ready.length === 0 && q.inflight.length === 0 && q.delayed.length === 0;
  };

  before(async () => {
    // VT 60 so a transient retry shows growing visibility (30 s, then 60 s).
    aws = await startLocalAws({ visibilityTimeout: 60 });
    primary = await startPrimary({ env: baseEnv({ ...aws.env, SQS_VISIBILITY_TIMEOUT: '60' }) });
    await waitForHealth(primary, (b) => b.workers.length === 2 && b.workers.every((w) => w.state === 'idle'), 30_000);
  });
  after(async () => {
    await primary.stop();
    await aws.stop();
  });

  test('/health is ok with both workers idle and ready', async () => {
    const { status, body } = await primary.health();
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.equal(body.ready, true);
    assert.deepEqual(body.workers.map((w) => [w.slot, w.state, w.live]), [[0, 'idle', true], [1, 'idle', true]]);
    assert.ok(body.workers.every((w) => typeof w.pid === 'number'));
  });

  test('two workers drain 40 messages, each handled exactly once, and the queue ends empty', async () => {
    const ids = new Set(await Promise.all(Array.from({ length: 40 }, (_, i) => send({ log: 1, n: i }))));
    const records = await primary.waitForCount((r) => settled(r) && ids.has(messageIdOf(r) ?? ''), 40, 60_000, 'settled drain messages');
    const perMessage = new Map<string, number>();
    for (const r of records) perMessage.set(messageIdOf(r) ?? '', (perMessage.get(messageIdOf(r) ?? '') ?? 0) + 1);
    assert.equal(perMessage.size, 40);
    assert.ok([...perMessage.values()].every((n) => n === 1), 'no message settled twice');
    assert.ok(records.every((r) => r.event?.reason === 'succeeded' && sqsOf(r)?.action === 'delete'));
    const workers = new Set(records.map((r) => r['labels.worker']));
    assert.deepEqual([...workers].sort(), ['0', '1'], 'both workers took a share');
    assert.ok(queueEmpty());
  });

  test('every log line of a job carries its trace.id; consecutive jobs never share one', async () => {
    const first = await send({ log: 3, jobId: 'job-first' }, 'corr-first-1');
    await primary.waitFor((r) => settled(r) && messageIdOf(r) === first, 15_000, 'first settled');
    const second = await send({ log: 3 });
    await primary.waitFor((r) => settled(r) && messageIdOf(r) === second, 15_000, 'second settled');
    const linesOf = (id: string) => primary.records.filter((r) => messageIdOf(r) === id);
    const a = linesOf(first);
    const b = linesOf(second);
    assert.ok(a.length >= 5 && b.length >= 5, `${a.length} / ${b.length} job lines`);
    assert.ok(a.every((r) => r['trace.id'] === 'corr-first-1'));
    const secondTrace = b[0]?.['trace.id'];
    assert.match(secondTrace ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(b.every((r) => r['trace.id'] === secondTrace && r['job.id'] === undefined), 'nothing of the first job leaks into the second');
    assert.ok(a.filter((r) => r.message.startsWith('test job line')).every((r) => r['job.id'] === 'job-first'));
  });

  test('/metrics sums counters over workers and survives a silent (CPU-bound) worker', async () => {
    const before = await primary.metrics();
    assert.equal(before.status, 200);
    const settledSoFar = primary.records.filter(settled).length;
    assert.equal(metricSum(before.text, 'nrf_impact_jobs_total'), settledSoFar);
    assert.ok(metricSum(before.text, 'nrf_impact_jobs_total', (l) => l.includes('worker="0"')) > 0);
    assert.ok(metricSum(before.text, 'nrf_impact_jobs_total', (l) => l.includes('worker="1"')) > 0);
    assert.match(before.text, /nodejs_version_info\{[^}]*worker="primary"/);
    assert.match(before.text, /nrf_impact_metrics_scrape_workers_missing\{worker="primary"\} 0/);

    const burn = await send({ burnCpuMs: 4_000 });
    await primary.waitFor((r) => r.event?.action === 'job.received' && messageIdOf(r) === burn, 10_000, 'burn received');
    const during = await primary.metrics();
    assert.equal(during.status, 200);
    assert.match(during.text, /nrf_impact_metrics_scrape_workers_missing\{worker="primary"\} 1/);
    assert.ok(metricSum(during.text, 'nrf_impact_jobs_total') > 0, 'the answering worker is still counted');
    await primary.waitFor((r) => settled(r) && messageIdOf(r) === burn, 15_000, 'burn settled');
  });

  test('/health answers fast while both workers burn CPU', async () => {
    const ids = [await send({ burnCpuMs: 3_000 }), await send({ burnCpuMs: 3_000 })];
    await primary.waitForCount((r) => r.event?.action === 'job.received' && ids.includes(messageIdOf(r) ?? ''), 2, 10_000, 'both burns received');
    const timings: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { status, ms } = await primary.health();
      assert.equal(status, 200);
      timings.push(ms);
    }
    // Target ≤ 20 ms p99 (§3.2); the spec bound is 25× looser so a shared CI box cannot flake it.
    assert.ok(Math.max(...timings) < 500, `health took ${timings.map((t) => t.toFixed(0)).join(', ')} ms`);
    await primary.waitForCount((r) => settled(r) && ids.includes(messageIdOf(r) ?? ''), 2, 15_000, 'burns settled');
  });

  test('permanent failures and non-JSON bodies reach the DLQ after three fast receives', async () => {
    const permanent = await send({ fail: 'permanent' });
    const garbage = await send('this is not json');
    await Promise.all([
      aws.server.spy.waitForMessageWithId(permanent, 'dlq', 20_000),
      aws.server.spy.waitForMessageWithId(garbage, 'dlq', 20_000),
    ]);
    for (const id of [permanent, garbage]) {
      // The DLQ move happens in-process; the third settle record may still be in the pipe.
      const attempts = await primary.waitForCount((r) => settled(r) && messageIdOf(r) === id, 3, 5_000, 'three settles');
      assert.deepEqual(attempts.map((r) => [r.nrf?.receive_count, r.event?.reason, sqsOf(r)?.visibility]), [[1, 'rejected', 0], [2, 'rejected', 0], [3, 'rejected', 0]]);
    }
  });

  test('transient failures are retried with growing visibility (30 s, 60 s), then dead-lettered', async () => {
    const id = await send({ fail: 'transient' });
    const expected: Array<[number, string, number]> = [[1, 'retry', 30], [2, 'retry', 60], [3, 'final_failure', 0]];
    for (const [receive, reason, visibility] of expected) {
      const record = await primary.waitFor((r) => settled(r) && messageIdOf(r) === id && r.nrf?.receive_count === receive, 20_000, `attempt ${receive}`);
      assert.deepEqual([record.event?.reason, sqsOf(record)?.visibility], [reason, visibility]);
      if (visibility > 0) {
        // The emulator's own lease deadline is the audit: it must sit `visibility` s from now.
        const lease = inflight().find((m) => m.message.messageId === id);
        assert.ok(lease, 'the retried message is leased, not visible');
        const remaining = (lease.visibilityDeadline - Date.now()) / 1000;
        assert.ok(Math.abs(remaining - visibility) < 5, `lease ${remaining.toFixed(1)} s, expected ≈ ${visibility} s`);
        // Fast-forward: make it visible now instead of waiting out the backoff.
        await aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: aws.queueUrl, ReceiptHandle: lease.receiptHandle, VisibilityTimeout: 0 }));
      }
    }
    await aws.server.spy.waitForMessageWithId(id, 'dlq', 20_000);
  });

  test('SIGTERM mid-job: the job completes, its message is deleted, every process exits 0 within the graceful timeout', async () => {
    const id = await send({ sleepMs: 3_000 });
    await primary.waitFor((r) => r.event?.action === 'job.received' && messageIdOf(r) === id, 10_000, 'job received');
    const signalledAt = Date.now();
    primary.child.kill('SIGTERM');
    const { code } = await primary.exited;
    const elapsed = Date.now() - signalledAt;
    assert.equal(code, 0);
    assert.ok(elapsed < 5_000 + 3_000, `exited after ${elapsed} ms (graceful timeout 5 s)`);
    const done = primary.records.find((r) => settled(r) && messageIdOf(r) === id);
    assert.deepEqual([done?.event?.reason, sqsOf(done as EcsRecord)?.action], ['succeeded', 'delete']);
    const workerExits = primary.records.filter((r) => r['labels.worker'] === 'primary' && r.event?.action === 'worker.exited');
    assert.deepEqual(workerExits.map((r) => [(r.worker as { code: number }).code, r.event?.reason]), [[0, 'shutdown'], [0, 'shutdown']]);
    assert.ok(queueEmpty());
    assert.deepEqual(primary.junk, [], 'every stdout line is ECS JSON');
  });
});
