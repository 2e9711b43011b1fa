// Process spec (operations.md §1.5, §3.2): workers that die at boot put their slots in a crash
// loop and /health turns 503; a worker's exit 78 stops the task with 78.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
});
