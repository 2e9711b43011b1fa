import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HANDLED_SIGNALS, installSignalHandlers } from '../../lib/supervisor/signals.js';
import type { ShutdownLevel } from '../../lib/supervisor/shutdown.js';
import { captureLogging } from '../worker/helpers.js';

const counts = (): number[] => HANDLED_SIGNALS.map((s) => process.listenerCount(s));

describe('signals: one module, registered once (operations.md §1.6)', () => {
  test('listener counts go 0 → 1 → 0 for SIGTERM, SIGINT and SIGHUP', () => {
    assert.deepEqual(counts(), [0, 0, 0]);
    const installed = installSignalHandlers({ role: 'primary', log: captureLogging().logger, requestShutdown: () => Promise.resolve(0) });
    assert.deepEqual(counts(), [1, 1, 1]);
    assert.throws(() => installSignalHandlers({ role: 'primary', log: captureLogging().logger }), /already installed/);
    assert.deepEqual(counts(), [1, 1, 1]);
    installed.remove();
    installed.remove();
    assert.deepEqual(counts(), [0, 0, 0]);
  });

  test('primary: first signal drains, second aborts, third kills with 143 (SIGTERM) or 130 (SIGINT); SIGHUP is ignored', () => {
    const requests: Array<[ShutdownLevel, string, number | undefined]> = [];
    const logging = captureLogging();
    const installed = installSignalHandlers({
      role: 'primary', log: logging.logger,
      requestShutdown: (level, reason, code) => Promise.resolve(void requests.push([level, reason, code])).then(() => 0),
    });
    try {
      process.emit('SIGHUP', 'SIGHUP');
      process.emit('SIGTERM', 'SIGTERM');
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGTERM', 'SIGTERM');
      assert.deepEqual(requests, [['graceful', 'SIGTERM', undefined], ['abort', 'SIGINT', undefined], ['kill', 'SIGTERM', 143]]);
      process.emit('SIGINT', 'SIGINT');
      assert.deepEqual(requests.at(-1), ['kill', 'SIGINT', 130]);
      assert.ok(logging.records().some((r) => r.message === 'SIGHUP received and ignored'));
    } finally {
      installed.remove();
    }
  });

  test('worker: signals are logged and ignored; only the primary orders shutdown', () => {
    const requests: string[] = [];
    const logging = captureLogging();
    const installed = installSignalHandlers({ role: 'worker', log: logging.logger, requestShutdown: (level) => Promise.resolve(void requests.push(level)).then(() => 0) });
    try {
      process.emit('SIGTERM', 'SIGTERM');
      process.emit('SIGINT', 'SIGINT');
      assert.deepEqual(requests, []);
      assert.equal(logging.records().length, 2);
    } finally {
      installed.remove();
    }
    assert.deepEqual(counts(), [0, 0, 0]);
  });
});
