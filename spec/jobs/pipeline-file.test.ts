// The job pipeline end to end inside one process, with real parts: fauxqs S3, the PostGIS
// template's reference fixtures, the fake backend and the fake Notify. runner.run is called
// directly with ReceivedMessage objects, as the worker loop would.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { needsSharedData, sharedPath } from '../support/data.js';
import { JobAbortError } from '../../lib/worker/abort.js';
import type { AssessmentResultsDocument, NutrientSummary, RlbNutrient } from '../../lib/delivery/result-document.js';
import { fileJob, received, startHarness, SUPPORT_EMAIL, type Harness } from './pipeline-harness.js';

const SMALL_ZIP = sharedPath('inputs', 'nutrients', 'BnW_small_under_1_hectare.zip');
const HOLE = JSON.stringify({
  type: 'FeatureCollection',
  crs: { type: 'name', properties: { name: 'EPSG:27700' } },
  features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [
    [[582800, 328180], [582900, 328180], [582900, 328280], [582800, 328280], [582800, 328180]],
    [[582840, 328220], [582860, 328220], [582860, 328240], [582840, 328240], [582840, 328220]],
  ] } }],
});

describe('pipeline: file jobs', needsSharedData(), () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.aws.putObject('jobs/small/input.zip', readFileSync(SMALL_ZIP));
    await h.aws.putObject('jobs/hole/input.geojson', HOLE);
  });
  after(async () => {
    await h?.stop();
  });
  beforeEach(() => h.reset());

  test('nutrient file job: one schema-valid results POST, one COMPLETED e-mail, ledger succeeded', async () => {
    const result = await h.run(received(fileJob('job-complete-1', 'jobs/small/input.zip')));
    assert.deepEqual(result, { outcome: 'succeeded', jobType: 'nutrient', error: null });
    const calls = h.backend.accepted();
    assert.equal(calls.length, 1);
    const doc = calls[0]?.body as AssessmentResultsDocument;
    assert.equal(calls[0]?.path, '/assessments/job-complete-1/results');
    assert.equal(doc.status, 'completed');
    assert.equal(doc.rlbs.length, 1);
    assert.equal(doc.job.input?.format, 'shapefile-zip');
    assert.equal(doc.job.input?.bytes, readFileSync(SMALL_ZIP).length);
    const nutrient = doc.rlbs[0]?.nutrient as RlbNutrient;
    const summary = doc.summary as NutrientSummary;
    assert.deepEqual(nutrient.edp, { edpId: 1, edpName: 'Broads SAC (Yare & Bure) & Wensum SAC' });
    // levy.md §7: 2675 × 19 in the EDP's start year.
    assert.deepEqual(nutrient.levyGbp, { amountExcludingVat: 50825, amountInflationAdjusted: 50825, baseAmount: 50825, modelVersion: 1 });
    assert.equal(summary.levyGbpTotal, 50825);
    assert.equal(summary.nitrogenTotalKgYr, nutrient.totals.nitrogenKgYr);
    assert.deepEqual(doc.modelVersions, { nutrientRules: 'V2', levyModel: 1 });
    assert.ok(doc.timings.phasesMs.assess >= 0 && Number.isInteger(doc.timings.phasesMs.download));

    const mails = h.notify.notifications();
    assert.equal(mails.length, 1);
    assert.equal(mails[0]?.email_address, 'developer@example.com');
    assert.equal(mails[0]?.reference, 'job-complete-1:completed');
    const p = mails[0]?.personalisation as Record<string, string>;
    assert.equal(p.levy, '£50,825.00');
    assert.equal(p.results_link, 'https://nrf.example.gov.uk/results/job-complete-1');
    assert.match(p.nitrogen_total ?? '', / kg\/yr$/);

    const row = await h.ledgerRow('file:job-complete-1');
    assert.equal(row?.state, 'succeeded');
    assert.equal(row?.lease_owner, null);
    assert.deepEqual((await h.sideEffects('file:job-complete-1')).map((s) => [s.kind, s.status]), [['callback', 'sent'], ['email_completed', 'sent']]);
  });

  test('a rejected boundary: outcome rejected, one rejected POST, one REJECTED e-mail; redelivery adds nothing', async () => {
    const message = received(fileJob('job-hole-1', 'jobs/hole/input.geojson'));
    const result = await h.run(message);
    assert.equal(result.outcome, 'rejected');
    assert.equal(result.error?.code, 'geometry_has_holes');
    const [call] = h.backend.accepted();
    const doc = call?.body as AssessmentResultsDocument;
    assert.equal(h.backend.accepted().length, 1);
    assert.deepEqual([doc.status, doc.error?.code, doc.rlbs.length, doc.summary, doc.assessmentType], ['rejected', 'geometry_has_holes', 0, null, 'nutrient']);
    assert.equal(doc.job.input?.format, 'geojson');
    assert.match(doc.job.input?.sha256 ?? '', /^[0-9a-f]{64}$/);
    const mails = h.notify.notifications();
    assert.deepEqual(mails.map((m) => [m.email_address, m.reference]), [['developer@example.com', 'job-hole-1:rejected']]);
    assert.equal((mails[0]?.personalisation as Record<string, string>).error_code, 'geometry_has_holes');

    // Rule 3: the same message again (visibility 0 brings it back) only finishes pending work.
    const again = await h.run({ ...message, receiveCount: 2 });
    assert.equal(again.outcome, 'rejected');
    assert.equal(h.backend.calls().length, 1);
    assert.equal(h.notify.notifications().length, 1);
    const row = await h.ledgerRow('file:job-hole-1');
    assert.deepEqual([row?.state, row?.attempts, row?.lease_owner], ['rejected', 2, null]);
  });

  test('a duplicate delivery of a succeeded job: no second callback or e-mail, whatever the message id', async () => {
    const body = fileJob('job-dup-1', 'jobs/small/input.zip');
    assert.equal((await h.run(received(body))).outcome, 'succeeded');
    const again = await h.run(received(body));
    assert.deepEqual(again, { outcome: 'duplicate', jobType: 'nutrient', error: null });
    assert.equal(h.backend.calls().length, 1);
    assert.equal(h.notify.notifications().length, 1);
    const deliveries = await h.db.sql<{ outcome: string; visibility_set_s: number | null }[]>`SELECT outcome, visibility_set_s FROM nrf_worker.job_delivery WHERE job_key = 'file:job-dup-1' ORDER BY received_at`;
    assert.deepEqual(deliveries.map((d) => [d.outcome, d.visibility_set_s]), [['succeeded', null], ['duplicate', null]]);
  });

  test('invalid_message with a valid job_id and e-mail: rejected document and REJECTED e-mail; without a job_id: neither', async () => {
    const result = await h.run(received(fileJob('job-invalid-1', 'jobs/small/input.zip', { number_of_dwellings: '19' })));
    assert.equal(result.outcome, 'rejected');
    assert.deepEqual([result.error?.code, result.error?.detail.field, result.error?.detail.reason], ['invalid_message', 'number_of_dwellings', 'type:integer']);
    const doc = h.backend.accepted()[0]?.body as AssessmentResultsDocument;
    assert.deepEqual([doc.status, doc.job.numberOfDwellings, doc.job.developmentName, doc.job.input?.key], ['rejected', null, 'Land east of Station Road', 'jobs/small/input.zip']);
    assert.deepEqual(h.notify.notifications().map((m) => m.reference), ['job-invalid-1:rejected']);

    h.reset();
    const message = received({ job_id: 'bad id!', developer_email: 'developer@example.com' });
    assert.equal((await h.run(message)).outcome, 'rejected');
    assert.equal(h.backend.calls().length, 0);
    assert.equal(h.notify.notifications().length, 0);
    assert.equal((await h.ledgerRow(`msg:${message.messageId}`))?.state, 'rejected');
  });

  test('backend 503 × 3 then 200: exactly one accepted callback, then the e-mail', async () => {
    h.backend.inject({ type: 'status', status: 503, times: 3 });
    const result = await h.run(received(fileJob('job-503-1', 'jobs/small/input.zip')));
    assert.equal(result.outcome, 'succeeded');
    assert.deepEqual(h.backend.calls().map((c) => c.status), [503, 503, 503, 201]);
    assert.equal(h.backend.accepted().length, 1);
    assert.equal(h.notify.notifications().length, 1);
  });

  test('backend down: retry, retry, final failure with exactly one FAILED e-mail; a redrive resumes from the stored result', async () => {
    h.backend.inject({ type: 'down' });
    const message = received(fileJob('job-down-1', 'jobs/small/input.zip'));
    const outcomes = [];
    for (const receiveCount of [1, 2, 3]) outcomes.push(await h.run({ ...message, receiveCount }));
    assert.deepEqual(outcomes.map((r) => [r.outcome, r.error?.code]), [['retry', 'callback_failed'], ['retry', 'callback_failed'], ['final_failure', 'callback_failed']]);
    assert.equal(h.backend.accepted().length, 0);
    const mails = h.notify.notifications();
    assert.deepEqual(mails.map((m) => [m.email_address, m.reference]), [[SUPPORT_EMAIL, 'job-down-1:failed']]);
    const p = mails[0]?.personalisation as Record<string, string>;
    assert.deepEqual([p.job_id, p.job_type, p.error_code, p.attempts, p.message_id], ['job-down-1', 'file', 'callback_failed', '3', message.messageId]);
    assert.ok(!JSON.stringify(p).includes('developer@example.com'));
    const row = await h.ledgerRow('file:job-down-1');
    assert.deepEqual([row?.state, row?.verdict, row?.error_code], ['failed', 'completed', 'callback_failed']);
    const deliveries = await h.db.sql<{ outcome: string; visibility_set_s: number | null }[]>`SELECT outcome, visibility_set_s FROM nrf_worker.job_delivery WHERE job_key = 'file:job-down-1' ORDER BY receive_count`;
    assert.deepEqual(deliveries.map((d) => [d.outcome, d.visibility_set_s]), [['retry', 30], ['retry', 60], ['final_failure', 0]]);

    // The DLQ redrive after the backend is fixed: a fresh delivery (receive count 1) resumes.
    h.backend.clearFaults();
    h.notify.reset();
    const redriven = await h.run({ ...message, messageId: `${message.messageId}-redrive`, receiveCount: 1 });
    assert.equal(redriven.outcome, 'succeeded');
    assert.equal(h.backend.accepted().length, 1);
    assert.deepEqual(h.notify.notifications().map((m) => m.reference), ['job-down-1:completed']);
  });

  test('a pending e-mail is reconciled with Notify by reference before any resend', async () => {
    assert.equal((await h.run(received(fileJob('job-recon-1', 'jobs/small/input.zip')))).outcome, 'succeeded');
    const [sent] = h.notify.notifications();
    // Simulate a crash after Notify accepted the send but before the ledger heard back.
    await h.db.sql`UPDATE nrf_worker.job_side_effect SET status = 'pending' WHERE job_key = 'file:job-recon-1' AND kind = 'email_completed'`;
    await h.db.sql`UPDATE nrf_worker.job_ledger SET state = 'assessed' WHERE job_key = 'file:job-recon-1'`;
    const result = await h.run(received(fileJob('job-recon-1', 'jobs/small/input.zip'), { receiveCount: 2 }));
    assert.equal(result.outcome, 'succeeded');
    assert.equal(h.notify.notifications().length, 1, 'no second e-mail');
    assert.equal(h.backend.calls().length, 1, 'the sent callback is not repeated');
    const effects = await h.sideEffects('file:job-recon-1');
    assert.deepEqual(effects.map((e) => [e.kind, e.status, e.external_ref]), [['callback', 'sent', '201'], ['email_completed', 'sent', sent?.id]]);

    // Same, but Notify never got it: exactly one send now.
    await h.db.sql`UPDATE nrf_worker.job_side_effect SET status = 'pending' WHERE job_key = 'file:job-recon-1' AND kind = 'email_completed'`;
    await h.db.sql`UPDATE nrf_worker.job_ledger SET state = 'assessed' WHERE job_key = 'file:job-recon-1'`;
    h.notify.reset();
    assert.equal((await h.run(received(fileJob('job-recon-1', 'jobs/small/input.zip')))).outcome, 'succeeded');
    assert.deepEqual(h.notify.notifications().map((m) => m.reference), ['job-recon-1:completed']);
  });

  test('two workers with the same job at once: one runs it, the other gets job_in_progress; one callback, one e-mail', async () => {
    const body = fileJob('job-race-1', 'jobs/small/input.zip');
    const other = h.runnerWith({}, 'spec-host:2:1');
    const signal = new AbortController().signal;
    const results = await Promise.all([
      h.run(received(body)),
      other.run(received(body), { signal, receivedAt: new Date() }),
    ]);
    const outcomes = results.map((r) => [r.outcome, r.error?.code ?? null]).sort();
    assert.deepEqual(outcomes, [['retry', 'job_in_progress'], ['succeeded', null]]);
    assert.equal(h.backend.accepted().length, 1);
    assert.equal(h.notify.notifications().length, 1);
  });

  test('shutdown mid-callback: abandoned, no e-mail, lease released; the next delivery resumes without recomputing', async () => {
    h.backend.inject({ type: 'slow', delayMs: 3_000, times: 1 });
    const controller = new AbortController();
    const message = received(fileJob('job-shutdown-1', 'jobs/small/input.zip'));
    const running = h.run(message, controller.signal);
    const deadline = Date.now() + 30_000;
    while (h.backend.calls().length === 0 && (await h.sideEffects('file:job-shutdown-1')).every((e) => e.attempts === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort(new JobAbortError('shutdown'));
    const result = await running;
    assert.deepEqual([result.outcome, result.error?.code], ['abandoned', 'shutdown']);
    assert.equal(h.notify.notifications().length, 0);
    const row = await h.ledgerRow('file:job-shutdown-1');
    assert.deepEqual([row?.state, row?.lease_owner], ['assessed', null]);

    h.backend.clearFaults();
    const resumed = await h.run({ ...message, receiveCount: 2 });
    assert.equal(resumed.outcome, 'succeeded');
    assert.equal(h.notify.notifications().length, 1);
    assert.ok(h.logLines.some((l) => l.message === 'resuming from the stored result'));
  });
});
