// Process spec (operations.md §1.5, §1.6, §3.4): a SIGKILLed worker is replaced and its message
// comes back after the lease; counters survive the restart; a second SIGTERM escalates the drain
// to an abort that hands the running message back, and the primary exits 1.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { startLocalAws, type LocalAws } from '../support/aws.js';
import { baseEnv, metricSum, startPrimary, waitForHealth, type EcsRecord, type PrimaryProcess } from '../support/test-worker-process.js';

const settled = (r: EcsRecord): boolean => r.event?.action === 'job.settled';

describe('worker replacement and shutdown escalation', () => {
  let aws: LocalAws;
  let primary: PrimaryProcess;

  const send = async (body: unknown): Promise<string> =>
    (await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queueUrl, MessageBody: JSON.stringify(body) }))).MessageId ?? '';

  before(async () => {
    aws = await startLocalAws({ visibilityTimeout: 30 });
    primary = await startPrimary({ env: baseEnv({ ...aws.env, SQS_VISIBILITY_TIMEOUT: '30', WORKER_GRACEFUL_SHUTDOWN_TIMEOUT: '10' }) });
    await waitForHealth(primary, (b) => b.workers.length === 2 && b.workers.every((w) => w.state === 'idle'), 30_000);
  });
  after(async () => {
    await primary.stop();
    await aws.stop();
  });

  test('SIGKILL of a worker mid-job: a replacement starts, the message returns after its lease and completes; counters carry over', async () => {
    const warmup = await Promise.all(Array.from({ length: 6 }, (_, i) => send({ n: i })));
    await primary.waitForCount((r) => settled(r) && warmup.includes(r.nrf?.message_id ?? ''), 6, 20_000, 'warm-up jobs');
    // A scrape records each worker's counters; they must survive the kill.
    const beforeKill = metricSum((await primary.metrics()).text, 'nrf_impact_jobs_total');
    assert.equal(beforeKill, 6);

    const id = await send({ sleepFirstMs: 60_000 });
    const received = await primary.waitFor((r) => r.event?.action === 'job.received' && r.nrf?.message_id === id, 10_000, 'job received');
    const victimSlot = Number(received['labels.worker']);
    const victim = (await primary.health()).body.workers.find((w) => w.slot === victimSlot);
    assert.ok(victim?.pid, 'the busy worker has a pid');
    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');

    const restarted = await primary.waitFor((r) => r.event?.action === 'worker.restarted', 15_000, 'worker.restarted');
    assert.equal((restarted.worker as { slot: number; signal: string }).signal, 'SIGKILL');
    const health = await waitForHealth(primary, (b) => b.workers.every((w) => w.state === 'idle' || w.state === 'busy') && (b.workers[victimSlot]?.restarts ?? 0) === 1, 20_000);
    assert.notEqual(health.workers[victimSlot]?.pid, victim.pid, 'a new process holds the slot');

    const done = await primary.waitFor((r) => settled(r) && r.nrf?.message_id === id, 45_000, 'redelivered job settled');
    assert.equal(done.nrf?.receive_count, 2);
    assert.equal(done.event?.reason, 'succeeded');
    assert.ok(Date.now() - killedAt >= 20_000, 'the message came back only after its lease expired');

    const after = metricSum((await primary.metrics()).text, 'nrf_impact_jobs_total');
    assert.equal(after, beforeKill + 1, 'no counter reset after the restart');
    assert.match((await primary.metrics()).text, new RegExp(`nrf_impact_worker_restarts_total\\{worker="${victimSlot}"\\} 1`));
  });

  test('a second SIGTERM escalates: the running job is aborted, its message released, and the primary exits 1', async () => {
    const id = await send({ sleepMs: 60_000 });
    await primary.waitFor((r) => r.event?.action === 'job.received' && r.nrf?.message_id === id, 10_000, 'job received');
    primary.child.kill('SIGTERM');
    await primary.waitFor((r) => r['labels.worker'] === 'primary' && r.message.startsWith('shutdown: draining'), 5_000, 'draining');
    const health = await primary.health();
    assert.equal(health.body.shuttingDown, true);
    assert.equal(health.body.status, 'degraded');
    // fauxqs keeps an aborted long poll parked server-side until its wait time (1 s) ends and would
    // hand it the released message; wait that out so the queue state below is the worker's doing.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    primary.child.kill('SIGTERM');
    const { code } = await primary.exited;
    assert.equal(code, 1);
    const released = primary.records.find((r) => settled(r) && r.nrf?.message_id === id);
    assert.deepEqual([released?.event?.reason, (released?.sqs as { visibility: number }).visibility], ['abandoned', 0]);
    const queued = aws.server.inspectQueue(aws.queueName)?.messages;
    assert.ok(queued?.ready.some((m) => m.messageId === id), `the message is visible again at once: ${JSON.stringify({ ready: queued?.ready.map((m) => m.messageId), inflight: queued?.inflight.map((m) => m.message.messageId), id })}`);
  });
});
