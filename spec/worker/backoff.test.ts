import { afterEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { POLL_BACKOFF, backoffCeiling, fullJitterDelay, sleep } from '../../lib/worker/backoff.js';

describe('poll backoff (operations.md §2.5)', () => {
  afterEach(() => mock.timers.reset());

  test('full jitter under a ceiling of 1 s doubling to 60 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffCeiling(n, POLL_BACKOFF)), [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    assert.equal(fullJitterDelay(3, POLL_BACKOFF, () => 0), 0);
    assert.equal(fullJitterDelay(3, POLL_BACKOFF, () => 0.5), 2000);
    assert.ok(fullJitterDelay(10, POLL_BACKOFF, () => 0.999999) < 60_000);
  });

  test('the sleep is abortable and resolves at once when the signal fires', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    mock.timers.tick(1_000);
    controller.abort();
    assert.equal(await slept, false);
    const full = sleep(1_000);
    mock.timers.tick(1_000);
    assert.equal(await full, true);
    assert.equal(await sleep(10, AbortSignal.abort()), false);
  });
});
