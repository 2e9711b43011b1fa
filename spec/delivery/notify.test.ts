// The Notify client with the real notifications-node-client against the fake Notify
// (contracts.md §9.3–§9.5): JWT accepted, wrong key/skew → 403 → notify_failed, missing
// placeholder → failed_permanent, injected 429/500/400, timeouts reconciled by reference,
// the allow-list, GOVUK_NOTIFY_ENABLED=false, cancellation.

import { after, afterEach, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { Registry } from 'prom-client';
import type { NotifyConfig } from '../../lib/config.js';
import { createNotifyClient, type Notifier, type NotifyClientOptions } from '../../lib/delivery/notify.js';
import { buildCompletedPersonalisation, buildFailedPersonalisation, notifyReference } from '../../lib/delivery/personalisation.js';
import { buildAssessmentResults } from '../../lib/delivery/result-document.js';
import { JobError } from '../../lib/errors.js';
import { createWorkerMetrics, type WorkerMetrics } from '../../lib/observability/metrics.js';
import { makeNotifyApiKey, splitApiKey, startFakeNotify, type FakeNotify } from '../support/fakes/notify.js';
import { TEMPLATE_IDS, deliveryTemplates } from '../support/fakes/notify-templates.js';
import { COMPLETED_NUTRIENT_DOCUMENT } from '../fixtures/contracts/examples.js';

const API_KEY = makeNotifyApiKey('nrf-impact-test');
const EXTRA_PLACEHOLDER_TEMPLATE = '5e0b3f7d-8a4c-4dbf-af6e-0c9a8b7d6e54';
const doc = buildAssessmentResults(COMPLETED_NUTRIENT_DOCUMENT);
const completed = buildCompletedPersonalisation(doc, { resultsBaseUrl: 'https://nrf.example.gov.uk/results' });
const failed = buildFailedPersonalisation({
  jobId: doc.jobId, jobType: 'file', assessmentType: 'nutrient', code: 'callback_failed', exceptionClass: 'JobError',
  correlationId: 'corr-1', messageId: 'm-1', attempts: 3, occurredAt: new Date('2026-07-30T09:12:47.512Z'),
});
const live = (): AbortSignal => new AbortController().signal;

describe('Notify client against the fake Notify', () => {
  let fake: FakeNotify;
  let notifier: Notifier;
  let metrics: WorkerMetrics;

  function config(overrides: Partial<NotifyConfig> = {}): NotifyConfig {
    return {
      enabled: true, apiKey: API_KEY, baseUrl: fake.url, templates: { ...TEMPLATE_IDS }, supportEmail: 'nrf-support@example.gov.uk',
      allowedDomains: [], resultsBaseUrl: 'https://nrf.example.gov.uk/results', ...overrides,
    };
  }
  function make(overrides: Partial<NotifyConfig> = {}, options: NotifyClientOptions = {}): Notifier {
    metrics = createWorkerMetrics(new Registry());
    notifier = createNotifyClient(config(overrides), { metrics, ...options });
    return notifier;
  }
  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const v of (await metrics.notifyAttempts.get()).values) out[`${String(v.labels.template)}/${String(v.labels.status)}`] = v.value;
    return out;
  }
  function notifyFailedWith(status: number | null, reason: string) {
    return (e: unknown): boolean => {
      assert.ok(e instanceof JobError, String(e));
      assert.deepEqual([e.code, e.kind, e.detail.status, e.detail.reason], ['notify_failed', 'transient', status, reason]);
      return true;
    };
  }

  before(async () => {
    fake = await startFakeNotify({
      apiKeys: [API_KEY],
      templates: [...deliveryTemplates(), { id: EXTRA_PLACEHOLDER_TEMPLATE, subject: 'x', body: '((reference)) ((planning_reference))' }],
    });
  });
  after(async () => fake.stop());
  afterEach(() => {
    notifier?.close();
    fake.reset();
  });

  test('a COMPLETED send is accepted (JWT verified) and stored with its reference', async () => {
    make();
    const reference = notifyReference('completed', { jobId: doc.jobId });
    const outcome = await notifier.sendEmail('completed', { recipient: 'developer@example.com', personalisation: completed, reference }, live());
    assert.equal(outcome.status, 'sent');
    const [stored] = fake.notifications();
    assert.equal(outcome.status === 'sent' && outcome.id, stored?.id);
    assert.deepEqual([stored?.reference, stored?.email_address, stored?.template.id], [reference, 'developer@example.com', TEMPLATE_IDS.completed]);
    assert.match(stored?.body ?? '', /Levy: £50,825\.00/);
    assert.deepEqual(await counts(), { 'completed/201': 1 });
  });

  test('FAILED goes to the support address whatever the allow-list says', async () => {
    make({ allowedDomains: ['developers.example.com'] });
    const outcome = await notifier.sendEmail('failed', { personalisation: failed, reference: `${doc.jobId}:failed` }, live());
    assert.equal(outcome.status, 'sent');
    assert.equal(fake.notifications()[0]?.email_address, 'nrf-support@example.gov.uk');
  });

  test('a wrong key (unknown service) → 403 AuthError → notify_failed', async () => {
    make({ apiKey: makeNotifyApiKey('nrf-impact-test') });
    await assert.rejects(notifier.sendEmail('completed', { recipient: 'dev@example.com', personalisation: completed, reference: 'r:completed' }, live()), (e: unknown) => {
      notifyFailedWith(403, 'http_403')(e);
      assert.equal((e as JobError).detail.errorType, 'AuthError');
      return true;
    });
    assert.deepEqual(await counts(), { 'completed/4xx': 1 });
    assert.equal(fake.notifications().length, 0);
  });

  test('the right service with a wrong secret (bad signature) → notify_failed', async () => {
    const { serviceId } = splitApiKey(API_KEY);
    make({ apiKey: makeNotifyApiKey('nrf-impact-test', serviceId) });
    await assert.rejects(notifier.sendEmail('completed', { recipient: 'dev@example.com', personalisation: completed, reference: 'r:completed' }, live()), notifyFailedWith(403, 'http_403'));
  });

  test('a worker clock 60 s ahead → 403 (the fake keeps the real clock) → notify_failed', async () => {
    make();
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 60_000 });
    try {
      await assert.rejects(notifier.sendEmail('completed', { recipient: 'dev@example.com', personalisation: completed, reference: 'r:completed' }, live()), notifyFailedWith(403, 'http_403'));
    } finally {
      mock.timers.reset();
    }
  });

  test('a missing template placeholder → failed_permanent BadRequestError (job outcome unchanged)', async () => {
    make({ templates: { ...TEMPLATE_IDS, completed: EXTRA_PLACEHOLDER_TEMPLATE } });
    const outcome = await notifier.sendEmail('completed', { recipient: 'dev@example.com', personalisation: completed, reference: 'r:completed' }, live());
    assert.deepEqual(outcome, { status: 'failed_permanent', errorType: 'BadRequestError' });
    assert.deepEqual(await counts(), { 'completed/4xx': 1 });
  });

  test('injected 429 and 500 are transient; injected 400 is permanent', async () => {
    make();
    const send = (recipient: string) => notifier.sendEmail('completed', { recipient, personalisation: completed, reference: 'r:completed' }, live());
    await assert.rejects(send('notify-fail-429@example.com'), (e: unknown) => notifyFailedWith(429, 'http_429')(e) && (e as JobError).detail.errorType === 'RateLimitError');
    await assert.rejects(send('notify-fail-500@example.com'), notifyFailedWith(500, 'http_500'));
    assert.deepEqual(await send('notify-fail-400@example.com'), { status: 'failed_permanent', errorType: 'BadRequestError' });
    assert.deepEqual(await counts(), { 'completed/429': 1, 'completed/5xx': 1, 'completed/4xx': 1 });
  });

  test('a timeout leaves the outcome unknown; reconciliation by reference finds the notification', async () => {
    make({}, { timeoutMs: 300 });
    const reference = notifyReference('completed', { jobId: 'job-timeout' });
    await assert.rejects(notifier.sendEmail('completed', { recipient: 'notify-slow-2000@example.com', personalisation: completed, reference }, live()), (e: unknown) => {
      notifyFailedWith(null, 'timeout')(e);
      assert.equal((e as JobError).detail.outcomeUnknown, true);
      return true;
    });
    const found = await notifier.findByReference(reference, live());
    assert.equal(found?.id, fake.notifications()[0]?.id);
    assert.equal(await notifier.findByReference('nobody:completed', live()), null);
    assert.deepEqual(await counts(), { 'completed/timeout': 1 });
  });

  test('reconcileOrSend: a pending row found by reference is not sent again; otherwise it sends', async () => {
    make({}, { timeoutMs: 300 });
    const reference = notifyReference('completed', { jobId: 'job-pending' });
    const args = { recipient: 'notify-slow-1000@example.com', personalisation: completed, reference };
    await assert.rejects(notifier.sendEmail('completed', args, live()), JobError);
    const again = await notifier.reconcileOrSend('completed', args, { pending: true }, live());
    assert.deepEqual(again, { status: 'sent', id: fake.notifications()[0]?.id, reconciled: true });
    assert.equal(fake.notifications().length, 1);
    const fresh = await notifier.reconcileOrSend('completed', { ...args, recipient: 'dev@example.com', reference: 'job-new:completed' }, { pending: true }, live());
    assert.deepEqual([fresh.status, fresh.reconciled, fake.notifications().length], ['sent', false, 2]);
  });

  test('lookup returns the newest notification with exactly that reference', async () => {
    make();
    for (const recipient of ['a@example.com', 'b@example.com']) {
      await notifier.sendEmail('completed', { recipient, personalisation: completed, reference: 'dup:completed' }, live());
    }
    await notifier.sendEmail('completed', { recipient: 'c@example.com', personalisation: completed, reference: 'dup:completed:other' }, live());
    const found = await notifier.findByReference('dup:completed', live());
    assert.equal(found?.id, fake.notifications()[1]?.id);
  });

  test('developer allow-list: last @, lower-cased; blocked sends are skipped and never reach Notify', async () => {
    make({ allowedDomains: ['Example.GOV.uk'] });
    assert.equal(notifier.isDeveloperRecipientAllowed('"odd@name"@EXAMPLE.gov.UK'), true);
    assert.equal(notifier.isDeveloperRecipientAllowed('dev@example.gov.uk.evil.com'), false);
    const outcome = await notifier.sendEmail('completed', { recipient: 'dev@gmail.com', personalisation: completed, reference: 'r:completed' }, live());
    assert.deepEqual(outcome, { status: 'skipped', reason: 'domain_not_allowed' });
    assert.equal(fake.notifications().length, 0);
    assert.deepEqual(await counts(), { 'completed/skipped': 1 });
  });

  test('GOVUK_NOTIFY_ENABLED=false skips every send', async () => {
    make({ enabled: false });
    assert.deepEqual(await notifier.sendEmail('failed', { personalisation: failed, reference: 'r:failed' }, live()), { status: 'skipped', reason: 'disabled' });
    assert.equal(fake.notifications().length, 0);
  });

  test('personalisation that fails its schema is internal_error and never sent', async () => {
    make();
    const leaky = { ...failed, error_summary: 'contact dev@example.com' };
    await assert.rejects(notifier.sendEmail('failed', { personalisation: leaky, reference: 'r:failed' }, live()), (e: unknown) => e instanceof JobError && e.code === 'internal_error');
    assert.equal(fake.notifications().length, 0);
  });

  test('the job signal cancels a send in flight', async () => {
    make();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutdown')), 100);
    await assert.rejects(notifier.sendEmail('completed', { recipient: 'notify-slow-5000@example.com', personalisation: completed, reference: 'r:completed' }, controller.signal), /shutdown/);
  });
});

describe('fake Notify JWT checks (raw HTTP)', () => {
  let fake: FakeNotify;
  const { serviceId, secret } = splitApiKey(API_KEY);
  const body = JSON.stringify({ template_id: TEMPLATE_IDS.failed, email_address: 'support@example.gov.uk', personalisation: failed });
  const post = async (authorization?: string): Promise<[number, string | undefined]> => {
    const res = await fetch(`${fake.url}/v2/notifications/email`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    });
    const json = (await res.json()) as { errors?: { error: string }[] };
    return [res.status, json.errors?.[0]?.error];
  };
  const now = (): number => Math.floor(Date.now() / 1000);
  // jsonwebtoken keeps an explicit `iat` claim; `noTimestamp` (no iat at all) only when none is given.
  const token = (claims: Record<string, unknown>, key = secret, algorithm: jwt.Algorithm = 'HS256'): string =>
    `Bearer ${jwt.sign(claims, key, { algorithm, noTimestamp: !('iat' in claims) })}`;

  before(async () => {
    fake = await startFakeNotify({ apiKeys: [API_KEY], templates: deliveryTemplates() });
  });
  after(async () => fake.stop());

  test('401 without a header or without the bearer scheme', async () => {
    assert.deepEqual(await post(), [401, 'AuthError']);
    assert.deepEqual(await post(`Basic ${Buffer.from('a:b').toString('base64')}`), [401, 'AuthError']);
  });

  test('403 for an undecodable token, a missing or unknown iss, another algorithm, a bad signature, iat beyond ±30 s', async () => {
    assert.deepEqual(await post('Bearer not-a-jwt'), [403, 'AuthError']);
    assert.deepEqual(await post(token({ iat: now() })), [403, 'AuthError']);
    assert.deepEqual(await post(token({ iss: makeNotifyApiKey().slice(-73, -37), iat: now() })), [403, 'AuthError']);
    assert.deepEqual(await post(token({ iss: serviceId, iat: now() }, secret, 'HS512')), [403, 'AuthError']);
    assert.deepEqual(await post(token({ iss: serviceId, iat: now() }, 'another-secret')), [403, 'AuthError']);
    assert.deepEqual(await post(token({ iss: serviceId, iat: now() - 40 })), [403, 'AuthError']);
    assert.deepEqual(await post(token({ iss: serviceId, iat: now() + 40 })), [403, 'AuthError']);
    assert.deepEqual(await post(token({ iss: serviceId })), [403, 'AuthError']);
  });

  test('201 for a correct token within the window', async () => {
    assert.deepEqual(await post(token({ iss: serviceId, iat: now() - 20 })), [201, undefined]);
  });

  test('400 ValidationError for malformed bodies; BadRequestError for an unknown template', async () => {
    const auth = token({ iss: serviceId, iat: now() });
    const send = async (payload: string): Promise<[number, string | undefined]> => {
      const res = await fetch(`${fake.url}/v2/notifications/email`, { method: 'POST', body: payload, headers: { authorization: auth } });
      return [res.status, ((await res.json()) as { errors: { error: string }[] }).errors[0]?.error];
    };
    assert.deepEqual(await send('{"template_id":'), [400, 'ValidationError']);
    assert.deepEqual(await send(JSON.stringify({ template_id: 'not-a-uuid', email_address: 'a@b.com' })), [400, 'ValidationError']);
    assert.deepEqual(await send(JSON.stringify({ template_id: TEMPLATE_IDS.failed, email_address: 'not-an-address' })), [400, 'ValidationError']);
    assert.deepEqual(await send(JSON.stringify({ template_id: TEMPLATE_IDS.failed })), [400, 'ValidationError']);
    assert.deepEqual(await send(JSON.stringify({ template_id: '9d9d9d9d-0000-4000-8000-000000000000', email_address: 'a@b.com' })), [400, 'BadRequestError']);
  });

  test('GET and DELETE /_fake/notifications', async () => {
    const listed = (await (await fetch(`${fake.url}/_fake/notifications`)).json()) as { notifications: unknown[] };
    assert.equal(listed.notifications.length, fake.notifications().length);
    assert.equal((await fetch(`${fake.url}/_fake/notifications`, { method: 'DELETE' })).status, 204);
    assert.equal(fake.notifications().length, 0);
  });
});
