import { afterEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { createShutdown, type ShutdownHooks } from '../../lib/supervisor/shutdown.js';
import { captureLogging } from '../worker/helpers.js';

function recorder() {
  const events: string[] = [];
  const exits: number[] = [];
  const hooks: ShutdownHooks = {
    drain: (deadlineAt, reason) => void events.push(`drain:${reason}:${deadlineAt}`),
    abort: (reason) => void events.push(`abort:${reason}`),
    kill: (reason) => void events.push(`kill:${reason}`),
    finalize: (code) => Promise.resolve(void events.push(`finalize:${code}`)),
    exit: (code) => void exits.push(code),
  };
  return { events, exits, hooks };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('shutdown state machine (operations.md §1.6)', () => {
  afterEach(() => mock.timers.reset());

  test('a clean drain exits 0; a repeated request returns the same promise', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000 });
    const { events, exits, hooks } = recorder();
    const sm = createShutdown(hooks, { log: captureLogging().logger, gracefulMs: 30_000 });
    assert.equal(sm.phase, 'running');
    const first = sm.requestShutdown('graceful', 'SIGTERM');
    const again = sm.requestShutdown('graceful', 'again');
    assert.equal(first, again);
    assert.equal(sm.phase, 'draining');
    assert.deepEqual(events, ['drain:SIGTERM:31000']);
    mock.timers.tick(10_000);
    sm.drained();
    assert.equal(await first, 0);
    await flush();
    assert.deepEqual(events, ['drain:SIGTERM:31000', 'finalize:0']);
    assert.deepEqual(exits, [0]);
    assert.equal(sm.phase, 'done');
  });

  test('the graceful timer escalates to abort at G, the kill timer to kill at G + 10; exit 1', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const { events, exits, hooks } = recorder();
    const sm = createShutdown(hooks, { log: captureLogging().logger, gracefulMs: 30_000 });
    const done = sm.requestShutdown('graceful', 'SIGTERM');
    mock.timers.tick(29_999);
    assert.equal(sm.phase, 'draining');
    mock.timers.tick(1);
    assert.equal(sm.phase, 'aborting');
    assert.deepEqual(events.slice(1), ['abort:graceful_timeout']);
    mock.timers.tick(9_999);
    assert.equal(sm.phase, 'aborting');
    mock.timers.tick(1);
    assert.equal(await done, 1);
    await flush();
    assert.deepEqual(events.slice(2), ['kill:kill_timeout', 'finalize:1']);
    assert.deepEqual(exits, [1]);
  });

  test('an abort that drains in time still exits 1 (a worker had to be aborted)', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { exits, hooks } = recorder();
    const sm = createShutdown(hooks, { log: captureLogging().logger, gracefulMs: 5_000 });
    const done = sm.requestShutdown('graceful', 'SIGTERM');
    assert.equal(sm.requestShutdown('abort', 'SIGTERM'), done);
    sm.drained();
    assert.equal(await done, 1);
    await flush();
    assert.deepEqual(exits, [1]);
  });

  test('kill with an explicit code (third signal) ends at once with that code', async () => {
    const { events, exits, hooks } = recorder();
    const sm = createShutdown(hooks, { log: captureLogging().logger, gracefulMs: 5_000 });
    const done = sm.requestShutdown('graceful', 'SIGTERM');
    void sm.requestShutdown('abort', 'SIGTERM');
    assert.equal(sm.requestShutdown('kill', 'SIGTERM', 143), done);
    assert.equal(await done, 143);
    await flush();
    assert.deepEqual(events.map((e) => e.split(':')[0]), ['drain', 'abort', 'kill', 'finalize']);
    assert.deepEqual(exits, [143]);
  });

  test('a configuration fault keeps its exit code through a clean drain', async () => {
    const { exits, hooks } = recorder();
    const sm = createShutdown(hooks, { log: captureLogging().logger, gracefulMs: 5_000 });
    const done = sm.requestShutdown('graceful', 'worker_config_fault', 78);
    sm.drained();
    assert.equal(await done, 78);
    await flush();
    assert.deepEqual(exits, [78]);
  });

  test('the watchdog exits 2 at G + 15 when finalize hangs, and does not keep a clean process alive', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const exits: number[] = [];
    const sm = createShutdown({
      drain: () => undefined, abort: () => undefined, kill: () => undefined,
      finalize: () => new Promise(() => undefined),
      exit: (code) => void exits.push(code),
    }, { log: captureLogging().logger, gracefulMs: 30_000 });
    void sm.requestShutdown('graceful', 'SIGTERM');
    sm.drained();
    mock.timers.tick(44_999);
    assert.deepEqual(exits, []);
    mock.timers.tick(1);
    assert.deepEqual(exits, [2]);
  });

  test('a hook that throws does not stop the machine', async () => {
    const { hooks, exits } = recorder();
    const sm = createShutdown({ ...hooks, drain: () => { throw new Error('relay failed'); } }, { log: captureLogging().logger, gracefulMs: 5_000 });
    const done = sm.requestShutdown('graceful', 'SIGTERM');
    assert.equal(sm.phase, 'draining');
    sm.drained();
    assert.equal(await done, 0);
    await flush();
    assert.deepEqual(exits, [0]);
  });
});
