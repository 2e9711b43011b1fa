// The job ledger against a cloned PostGIS database: claim, lease and idempotency rules 1–6 of
// contracts.md §7.5, side-effect rows and the delivery audit trail.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { createLedger, type Ledger, type LedgerIdentity } from '../../lib/jobs/ledger.js';

const signal = new AbortController().signal;
let seq = 0;

function identity(overrides: Partial<LedgerIdentity> = {}): LedgerIdentity {
  seq += 1;
  return { jobKey: `file:job-${seq}`, jobKind: 'file', jobId: `job-${seq}`, assessmentType: 'nutrient', payloadSha256: 'a'.repeat(64), correlationId: `c-${seq}`, ...overrides };
}
function delivery(receiveCount = 1, messageId = `m-${seq}-${receiveCount}-${Math.random()}`) {
  return { messageId, receiveCount, receivedAt: new Date() };
}

describe('job ledger', () => {
  let db: TestDatabase;
  let a: Ledger;
  let b: Ledger;
  before(async () => {
    db = await cloneTemplate();
    a = createLedger(db.sql, { owner: 'host:1:0', leaseSeconds: 300 });
    b = createLedger(db.sql, { owner: 'host:2:1', leaseSeconds: 300 });
  });
  after(async () => {
    await db.drop();
  });

  const row = async (jobKey: string) => {
    const [r] = await db.sql<{ state: string; attempt_series: number; attempts: number; lease_owner: string | null; error_code: string | null; finished_at: Date | null; result: unknown }[]>`
      SELECT state, attempt_series, attempts, lease_owner, error_code, finished_at, result FROM nrf_worker.job_ledger WHERE job_key = ${jobKey}`;
    assert.ok(r);
    return r;
  };

  test('a new key is claimed for processing with a lease and an audit row', async () => {
    const id = identity();
    const d = delivery();
    assert.deepEqual(await a.claim(id, d, signal), { action: 'process', series: 1, attempt: 1, newSeries: true });
    const r = await row(id.jobKey);
    assert.deepEqual([r.state, r.attempt_series, r.attempts, r.lease_owner], ['processing', 1, 1, 'host:1:0']);
    await a.settleDelivery(d, 'retry', 30, signal);
    const [audit] = await db.sql`SELECT job_key, outcome, visibility_set_s FROM nrf_worker.job_delivery WHERE message_id = ${d.messageId}`;
    assert.deepEqual({ ...audit }, { job_key: id.jobKey, outcome: 'retry', visibility_set_s: 30 });
  });

  test('rule 1: two consumers claiming at once — exactly one proceeds, the other sees job_in_progress', async () => {
    const id = identity();
    const results = await Promise.all([a.claim(id, delivery(), signal), b.claim(id, delivery(), signal)]);
    const actions = results.map((r) => r.action).sort();
    assert.deepEqual(actions, ['in_progress', 'process']);
    const blocked = results.find((r) => r.action === 'in_progress');
    assert.ok(blocked?.action === 'in_progress' && blocked.leaseExpiresAt.getTime() > Date.now());
  });

  test('rule 1: an expired lease or a released one can be taken; the same attempt series continues', async () => {
    const id = identity();
    await a.claim(id, delivery(1), signal);
    await db.sql`UPDATE nrf_worker.job_ledger SET lease_expires_at = now() - interval '1 second' WHERE job_key = ${id.jobKey}`;
    assert.deepEqual(await b.claim(id, delivery(2), signal), { action: 'process', series: 1, attempt: 2, newSeries: false });
    assert.equal(await a.renewLease(id.jobKey, signal), false, 'the old owner cannot renew a lease it lost');
    assert.equal(await b.renewLease(id.jobKey, signal), true);
    await b.finish(id.jobKey, { error: { code: 'callback_failed', kind: 'transient', message: 'x', detail: {} } }, signal);
    const r = await row(id.jobKey);
    assert.deepEqual([r.state, r.lease_owner, r.error_code], ['processing', null, 'callback_failed']);
    assert.equal((await a.claim(id, delivery(3), signal)).action, 'process');
  });

  test('a finish by a consumer that lost the lease does not touch the new holder', async () => {
    const id = identity();
    await a.claim(id, delivery(1), signal);
    await db.sql`UPDATE nrf_worker.job_ledger SET lease_expires_at = now() - interval '1 second' WHERE job_key = ${id.jobKey}`;
    await b.claim(id, delivery(2), signal);
    assert.equal(await a.finish(id.jobKey, { state: 'failed', error: null }, signal), false, 'finish reports that the row was not ours');
    const r = await row(id.jobKey);
    assert.deepEqual([r.state, r.lease_owner], ['processing', 'host:2:1']);
    assert.equal(await b.finish(id.jobKey, { state: 'succeeded', error: null }, signal), true);
  });

  test('rule 2: a succeeded key is a duplicate whatever the message id; a different hash is flagged', async () => {
    const id = identity();
    await a.claim(id, delivery(), signal);
    await a.finish(id.jobKey, { state: 'succeeded', error: null }, signal);
    assert.deepEqual(await b.claim(id, delivery(), signal), { action: 'duplicate', conflict: false });
    assert.deepEqual(await b.claim({ ...id, payloadSha256: 'b'.repeat(64) }, delivery(), signal), { action: 'duplicate', conflict: true });
    const r = await row(id.jobKey);
    assert.deepEqual([r.state, r.attempts, r.lease_owner], ['succeeded', 1, null]);
    assert.ok(r.finished_at);
  });

  test('rule 3: rejected with the same hash resumes (side effects only); a different hash starts a new series', async () => {
    const id = identity();
    await a.claim(id, delivery(), signal);
    const error = { code: 'geometry_has_holes' as const, kind: 'input' as const, message: 'hole', detail: { featureIndex: 0 } };
    await a.storeVerdict(id.jobKey, { verdict: 'rejected', state: 'rejected', result: { status: 'rejected' }, verdictError: error, sideEffects: [{ kind: 'callback', notifyReference: null }, { kind: 'email_rejected', notifyReference: 'x:rejected' }] }, signal);
    await a.beginSideEffect(id.jobKey, 'callback', null, signal);
    await a.finishSideEffect(id.jobKey, 'callback', { status: 'sent', externalRef: '200' }, signal);
    await a.finish(id.jobKey, { state: 'rejected', error }, signal);

    const again = await b.claim(id, delivery(2), signal);
    assert.equal(again.action, 'resume');
    assert.ok(again.action === 'resume');
    assert.deepEqual([again.series, again.attempt, again.newSeries, again.record.state, again.record.verdict], [1, 2, false, 'rejected', 'rejected']);
    assert.deepEqual(again.record.verdictError, error);
    assert.deepEqual(again.record.sideEffects.map((s) => [s.kind, s.status]).sort(), [['callback', 'sent'], ['email_rejected', 'pending']]);
    await b.finish(id.jobKey, { state: 'rejected', error }, signal);

    const changed = await a.claim({ ...id, payloadSha256: 'c'.repeat(64) }, delivery(1), signal);
    assert.deepEqual(changed, { action: 'process', series: 2, attempt: 1, newSeries: true });
    assert.deepEqual(await a.sideEffects(id.jobKey, signal), []);
    const r = await row(id.jobKey);
    assert.deepEqual([r.state, r.result, r.error_code], ['processing', null, null]);
  });

  test('rule 4: assessed resumes with the stored result, byte-for-byte key order', async () => {
    const id = identity();
    await a.claim(id, delivery(), signal);
    const result = { schemaVersion: 1, jobId: id.jobId, status: 'completed', zeta: 1, alpha: { z: 1, a: 2 } };
    await a.storeVerdict(id.jobKey, { verdict: 'completed', state: 'assessed', result, verdictError: null, sideEffects: [{ kind: 'callback', notifyReference: null }, { kind: 'email_completed', notifyReference: 'x:completed' }] }, signal);
    // The attempt dies here (crash): the lease is left to expire.
    await db.sql`UPDATE nrf_worker.job_ledger SET lease_expires_at = now() - interval '1 second' WHERE job_key = ${id.jobKey}`;
    const resumed = await b.claim(id, delivery(2), signal);
    assert.ok(resumed.action === 'resume');
    assert.equal(JSON.stringify(resumed.record.result), JSON.stringify(result));
    assert.deepEqual([resumed.record.state, resumed.series, resumed.attempt], ['assessed', 1, 2]);
    assert.deepEqual(resumed.record.sideEffects.map((s) => [s.kind, s.status, s.attempts]).sort(), [['callback', 'pending', 0], ['email_completed', 'pending', 0]]);
  });

  test('rule 4 with a different hash: nothing stored is reused', async () => {
    const id = identity();
    await a.claim(id, delivery(), signal);
    await a.storeVerdict(id.jobKey, { verdict: 'completed', state: 'assessed', result: { x: 1 }, verdictError: null, sideEffects: [{ kind: 'callback', notifyReference: null }] }, signal);
    await a.finish(id.jobKey, { error: null }, signal);
    assert.deepEqual(await b.claim({ ...id, payloadSha256: 'd'.repeat(64) }, delivery(), signal), { action: 'process', series: 2, attempt: 1, newSeries: true });
  });

  test('rule 5: failed passes straight through unless the receive count is 1', async () => {
    const id = identity();
    await a.claim(id, delivery(), signal);
    await a.storeVerdict(id.jobKey, { verdict: 'completed', state: 'assessed', result: { doc: 1 }, verdictError: null, sideEffects: [{ kind: 'callback', notifyReference: null }, { kind: 'email_completed', notifyReference: 'x:completed' }] }, signal);
    await a.beginSideEffect(id.jobKey, 'callback', null, signal);
    await a.finishSideEffect(id.jobKey, 'callback', { status: 'failed_permanent', externalRef: '400', lastError: 'HTTP 400' }, signal);
    await a.planSideEffect(id.jobKey, { kind: 'email_failed', notifyReference: `${id.jobId}:failed` }, signal);
    await a.beginSideEffect(id.jobKey, 'email_failed', `${id.jobId}:failed`, signal);
    await a.finishSideEffect(id.jobKey, 'email_failed', { status: 'sent', externalRef: 'n-1' }, signal);
    await a.finish(id.jobKey, { state: 'failed', error: { code: 'callback_rejected', kind: 'callback', message: 'x', detail: { status: 400 } } }, signal);

    const skip = await b.claim(id, delivery(2), signal);
    assert.equal(skip.action, 'failed_skip');
    assert.equal((await row(id.jobKey)).lease_owner, null, 'a pass-through takes no lease');

    const redriven = await b.claim(id, delivery(1), signal);
    assert.ok(redriven.action === 'resume');
    assert.deepEqual([redriven.series, redriven.attempt, redriven.newSeries, redriven.record.state], [2, 1, true, 'assessed']);
    assert.deepEqual(redriven.record.result, { doc: 1 });
    assert.deepEqual(redriven.record.sideEffects.map((s) => [s.kind, s.status]).sort(), [['callback', 'pending'], ['email_completed', 'pending']],
      'the refused callback is pending again; the FAILED e-mail of the old series is forgotten so a new failure can be reported');
  });

  test('rule 5: a failed key without a verdict is processed afresh on a fresh delivery', async () => {
    const id = identity();
    await a.claim(id, delivery(), signal);
    await a.finish(id.jobKey, { state: 'failed', error: { code: 'reference_data_empty', kind: 'data', message: 'x', detail: { table: 'nn_catchments' } } }, signal);
    assert.deepEqual(await b.claim(id, delivery(1), signal), { action: 'process', series: 2, attempt: 1, newSeries: true });
    const r = await row(id.jobKey);
    assert.deepEqual([r.state, r.error_code], ['processing', 'reference_data_empty']);
  });

  test('rule 6: side-effect rows count attempts and record sent_at', async () => {
    const id = identity();
    await a.claim(id, delivery(), signal);
    assert.equal(await a.beginSideEffect(id.jobKey, 'email_completed', 'job:completed', signal), 0);
    await a.noteSideEffectError(id.jobKey, 'email_completed', 'timeout', signal);
    assert.equal(await a.beginSideEffect(id.jobKey, 'email_completed', 'job:completed:2', signal), 1, 'the first reference is kept');
    await a.finishSideEffect(id.jobKey, 'email_completed', { status: 'sent', externalRef: 'notif-1' }, signal);
    const [effect] = await a.sideEffects(id.jobKey, signal);
    assert.ok(effect);
    assert.deepEqual([effect.kind, effect.status, effect.externalRef, effect.notifyReference, effect.attempts, effect.lastError], ['email_completed', 'sent', 'notif-1', 'job:completed', 2, null]);
    assert.ok(effect.sentAt instanceof Date);
  });

  test('an aborted signal stops a ledger call before it reaches the database', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutdown'));
    await assert.rejects(a.claim(identity(), delivery(), controller.signal));
  });
});
