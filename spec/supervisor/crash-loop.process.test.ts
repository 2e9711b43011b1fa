// Process spec (operations.md §1.5, §3.2): workers that die at boot put their slots in a crash
// loop and /health turns 503; a worker's exit 78 stops the task with 78.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { startLocalAws } from '../support/aws.js';
import { baseEnv, startPrimary, waitForHealth } from '../support/test-worker-process.js';

// No queue is needed: these workers never get as far as polling.
const env = baseEnv({ SQS_QUEUE_URL: 'http://127.0.0.1:9/000000000000/none', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });

describe('supervision of failing workers', () => {
  test('workers that exit at boot enter a crash loop: /health 503, restarts counted; SIGTERM still exits 0', async () => {
    const primary = await startPrimary({ env, entry: 'test-worker-crash.ts' });
    try {
      const early = await waitForHealth(primary, () => true, 10_000);
      assert.equal(early.status, 'degraded', 'starting, not failing, inside the boot grace');
      // Five unplanned exits with restart delays of 1, 2, 4 and 8 s: about 15 s plus boot times.
      const body = await waitForHealth(primary, (b, status) => status === 503, 45_000);
      assert.equal(body.status, 'failing');
      assert.ok(body.reasons.some((r) => /crash loop/.test(r)), body.reasons.join('; '));
      assert.ok(body.workers.some((w) => w.crashLoop && w.restarts >= 4));
      const restarts = primary.records.filter((r) => r.event?.action === 'worker.restarted');
      assert.ok(restarts.length >= 8, `${restarts.length} restarts logged`);
      primary.child.kill('SIGTERM');
      assert.equal((await primary.exited).code, 0);
    } finally {
      await primary.stop();
    }
  });

  test("a worker's configuration fault (exit 78) stops the primary with 78 and no restart", async () => {
    const primary = await startPrimary({ env, entry: 'test-worker-config-fault.ts' });
    try {
      const { code } = await primary.exited;
      assert.equal(code, 78);
      assert.equal(primary.records.filter((r) => r.event?.action === 'worker.restarted').length, 0);
      assert.ok(primary.records.some((r) => r['log.level'] === 'fatal' && r.event?.reason === 'config'));
    } finally {
      await primary.stop();
    }
  });

  test('when the primary dies, its workers notice the closed IPC channel, finish their job and exit', async () => {
    const aws = await startLocalAws();
    const primary = await startPrimary({ env: baseEnv({ ...aws.env }) });
    try {
      const health = await waitForHealth(primary, (b) => b.workers.length === 2 && b.workers.every((w) => w.state === 'idle'), 30_000);
      const pids = health.workers.map((w) => w.pid as number);
      const id = (await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queueUrl, MessageBody: JSON.stringify({ sleepMs: 1_000 }) }))).MessageId;
      await primary.waitFor((r) => r.event?.action === 'job.received' && r.nrf?.message_id === id, 10_000, 'job received');
      primary.child.kill('SIGKILL');
      const alive = (pid: number): boolean => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      const until = Date.now() + 15_000;
      while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(pids.filter(alive), [], 'no orphaned worker');
      const queue = aws.server.inspectQueue(aws.queueName)?.messages;
      assert.equal((queue?.ready.length ?? 0) + (queue?.inflight.length ?? 0), 0, 'the running job finished and was deleted');
    } finally {
      await primary.stop();
      await aws.stop();
    }
  });
});
