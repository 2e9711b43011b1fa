// Settling rules without infrastructure: error kind and signal reason → outcome (contracts.md
// §7.1–7.2), the visibility recorded for each, and which side effects each verdict plans (§9.1).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JobError } from '../../lib/errors.js';
import { JobAbortError } from '../../lib/worker/abort.js';
import { classifyFailure, plannedVisibility } from '../../lib/jobs/pipeline/outcome.js';
import { notifyReference, plannedSideEffects } from '../../lib/jobs/pipeline/emails.js';
import type { JobSubject } from '../../lib/jobs/pipeline/subject.js';

const live = new AbortController().signal;
const aborted = (reason: 'shutdown' | 'timeout'): AbortSignal => {
  const c = new AbortController();
  c.abort(new JobAbortError(reason));
  return c.signal;
};

describe('classifyFailure', () => {
  test('data and callback failures fail the job and reach support', () => {
    for (const code of ['reference_data_empty', 'levy_data_missing', 'callback_rejected'] as const) {
      const f = classifyFailure(new JobError(code), live, 1, 3);
      assert.deepEqual([f.outcome, f.error.code, f.notifySupport, f.state], ['failed', code, true, 'failed']);
    }
  });

  test('transient and bug failures retry, then become final on the last allowed receive', () => {
    const retry = classifyFailure(new JobError('callback_failed'), live, 2, 3);
    assert.deepEqual([retry.outcome, retry.notifySupport, retry.state], ['retry', false, undefined]);
    const final = classifyFailure(new Error('boom'), live, 3, 3);
    assert.deepEqual([final.outcome, final.error.code, final.error.kind, final.notifySupport, final.state], ['final_failure', 'internal_error', 'bug', true, 'failed']);
  });

  test('the signal reason wins over whatever was thrown', () => {
    const shutdown = classifyFailure(new JobError('callback_failed'), aborted('shutdown'), 3, 3);
    assert.deepEqual([shutdown.outcome, shutdown.error.code, shutdown.notifySupport, shutdown.state], ['abandoned', 'shutdown', false, undefined]);
    const timeout = classifyFailure(new Error('aborted'), aborted('timeout'), 1, 3);
    assert.deepEqual([timeout.outcome, timeout.error.code], ['retry', 'deadline_exceeded']);
    assert.equal(classifyFailure(new Error('aborted'), aborted('timeout'), 3, 3).outcome, 'final_failure');
  });

  test('recorded visibility follows §7.1: delete, backoff 30·2^(n−1) capped, or 0', () => {
    assert.equal(plannedVisibility('succeeded', 1, 300), null);
    assert.equal(plannedVisibility('duplicate', 5, 300), null);
    assert.deepEqual([1, 2, 3, 5].map((n) => plannedVisibility('retry', n, 300)), [30, 60, 120, 300]);
    for (const outcome of ['rejected', 'failed', 'final_failure', 'abandoned'] as const) assert.equal(plannedVisibility(outcome, 1, 300), 0);
  });
});

describe('side effects per verdict (§7.1, §8.3, §9.1)', () => {
  const subject = (overrides: Partial<JobSubject>): JobSubject => ({
    key: 'file:j1', kind: 'file', id: 'j1', assessmentType: 'nutrient', developerEmail: 'd@example.com', correlationId: 'c',
    payloadSha256: 'x', message: { messageId: 'm1', receiptHandle: 'r', receiveCount: 1, sentTimestamp: null, bodySha256: 'y' }, job: null, known: null,
    ...overrides,
  });
  const plan = (s: JobSubject, verdict: 'completed' | 'rejected', series = 1): [string, string | null][] =>
    plannedSideEffects(s, verdict, series).map((p) => [p.kind, p.notifyReference]);

  test('file jobs: results POST then the developer e-mail', () => {
    assert.deepEqual(plan(subject({}), 'completed'), [['callback', null], ['email_completed', 'j1:completed']]);
    assert.deepEqual(plan(subject({}), 'rejected'), [['callback', null], ['email_rejected', 'j1:rejected']]);
    assert.deepEqual(plan(subject({ developerEmail: null }), 'rejected'), [['callback', null]]);
    assert.deepEqual(plan(subject({ id: null, key: 'msg:m1' }), 'rejected'), []);
  });

  test('quote jobs: PATCH on success, support on rejection, never a developer', () => {
    const q = subject({ kind: 'quote', key: 'quote:NRL-000001', id: 'NRL-000001', developerEmail: null });
    assert.deepEqual(plan(q, 'completed'), [['callback', null]]);
    assert.deepEqual(plan(q, 'rejected'), [['email_failed', 'NRL-000001:failed']]);
    assert.deepEqual(plan(subject({ kind: 'quote', id: null, key: 'msg:m1' }), 'rejected'), [['email_failed', 'msg-m1:failed']]);
  });

  test('messages of unknown shape plan nothing; later series carry the series in references', () => {
    assert.deepEqual(plan(subject({ kind: 'unknown', id: null }), 'rejected'), []);
    assert.equal(notifyReference(subject({}), 'email_completed', 3), 'j1:completed:3');
  });
});
