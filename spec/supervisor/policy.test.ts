import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SUPERVISION, SlotRestartPolicy, isLive, isStale, isStalled } from '../../lib/supervisor/slot-policy.js';
import { CleanupStack } from '../../lib/supervisor/cleanup.js';
import { decodeIpc } from '../../lib/supervisor/ipc.js';

describe('supervision rules (operations.md §1.5)', () => {
  test('live, stale and stalled by heartbeat age', () => {
    assert.ok(isLive('idle', 30_000) && isLive('busy', 0) && isLive('draining', 1));
    assert.ok(!isLive('idle', 30_001) && !isLive('starting', 0) && !isLive('idle', null));
    assert.ok(isStale(30_001) && !isStale(30_000) && !isStale(null));
    assert.ok(isStalled(120_001) && !isStalled(120_000));
  });

  test('restart delay 1 s doubling to a 30 s cap; crash loop at the fifth exit in five minutes', () => {
    const policy = new SlotRestartPolicy();
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 4; i += 1) {
      delays.push(policy.recordUnplannedExit(now));
      now += 10_000;
    }
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000]);
    assert.equal(policy.crashLoop, false);
    assert.equal(policy.recordUnplannedExit(now), SUPERVISION.restartCapMs);
    assert.equal(policy.crashLoop, true);
  });

  test('exits spread over more than five minutes are no crash loop; 60 s live resets delay and loop', () => {
    const policy = new SlotRestartPolicy();
    for (let i = 0; i < 8; i += 1) policy.recordUnplannedExit(i * 80_000);
    assert.equal(policy.crashLoop, false);
    const looping = new SlotRestartPolicy();
    for (let i = 0; i < 5; i += 1) looping.recordUnplannedExit(i);
    assert.equal(looping.crashLoop, true);
    looping.observeLive(59_999);
    assert.equal(looping.crashLoop, true);
    looping.observeLive(60_000);
    assert.equal(looping.crashLoop, false);
    assert.equal(looping.recordUnplannedExit(1_000_000), 1_000);
  });
});

describe('cleanup stack', () => {
  test('runs closers newest first, continues past failures, aggregates errors, runs once', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.push('pool', () => void order.push('pool'));
    stack.push('client', () => {
      order.push('client');
      throw new Error('client close failed');
    });
    stack.push('server', async () => {
      order.push('server');
      await Promise.reject(new Error('server close failed'));
    });
    const failed: string[] = [];
    await assert.rejects(stack.run((name) => void failed.push(name)), (e: unknown) => e instanceof AggregateError && e.errors.length === 2);
    assert.deepEqual(order, ['server', 'client', 'pool']);
    assert.deepEqual(failed, ['server', 'client']);
    await assert.rejects(stack.run());
    assert.equal(order.length, 3);
  });

  test('a single failure is rethrown as itself', async () => {
    const stack = new CleanupStack();
    stack.push('a', () => {
      throw new RangeError('only one');
    });
    await assert.rejects(stack.run(), RangeError);
  });
});

describe('IPC decoder (operations.md §1.4)', () => {
  const heartbeat = { type: 'nrf:heartbeat', state: 'idle', jobsDone: 1, jobsFailed: 0, readiness: { db: true, referenceData: true, missing: [], versions: {}, checkedAt: 1 }, sqs: { state: 'ok', redriveOk: true } };
  test('decodes every nrf: type it knows', () => {
    assert.equal(decodeIpc(heartbeat)?.type, 'nrf:heartbeat');
    assert.equal(decodeIpc({ type: 'nrf:ready', slot: 0, pid: 1, version: '1' })?.type, 'nrf:ready');
    assert.equal(decodeIpc({ type: 'nrf:metrics-request', requestId: 3 })?.type, 'nrf:metrics-request');
    assert.equal(decodeIpc({ type: 'nrf:metrics', requestId: 3, metrics: [{ name: 'x', values: [] }] })?.type, 'nrf:metrics');
    assert.equal(decodeIpc({ type: 'nrf:snapshot', metrics: [] })?.type, 'nrf:snapshot');
    assert.equal(decodeIpc({ type: 'nrf:shutdown', deadlineAt: 5 })?.type, 'nrf:shutdown');
    assert.equal(decodeIpc({ type: 'nrf:abort', reason: 'graceful_timeout' })?.type, 'nrf:abort');
    assert.equal(decodeIpc({ type: 'nrf:drained', outcome: 'clean', metrics: [] })?.type, 'nrf:drained');
  });

  test("ignores prom-client's messages, unknown types and malformed payloads", () => {
    assert.equal(decodeIpc({ type: 'prom-client:getMetricsReq', requestId: 1 }), null);
    assert.equal(decodeIpc({ type: 'nrf:unknown' }), null);
    assert.equal(decodeIpc({ ...heartbeat, state: 'dancing' }), null);
    assert.equal(decodeIpc({ type: 'nrf:metrics', requestId: '3', metrics: [] }), null);
    assert.equal(decodeIpc('nrf:ready'), null);
    assert.equal(decodeIpc(null), null);
  });
});
