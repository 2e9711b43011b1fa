// Issue 7 acceptance: the real `bin/worker start` primary with WORKER_COUNT=2 against fauxqs,
// PostGIS with the reference fixtures, the fake backend and the fake Notify. Every job goes in
// through the queue; every assertion reads what left the worker (callbacks, e-mails, queue state,
// log records) or the ledger.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AssessmentResultsDocument, GcnSummary, NutrientSummary, RlbNutrient } from '../../lib/delivery/result-document.js';
import type { QuotePatchBody } from '../../lib/delivery/quote-patch.js';
import { needsSharedData, sharedPath } from '../support/data.js';
import { fileJob, sqsAction, startStack, SUPPORT_EMAIL, RESULTS_BASE_URL, zipShapefile, type Stack } from './stack.js';

const SMALL_ZIP = sharedPath('inputs', 'nutrients', 'BnW_small_under_1_hectare.zip');
const EDP_NAME = 'Broads SAC (Yare & Bure) & Wensum SAC';

/** levy.md §6 with the fixture charge (2675.00/unit, start year 2026) for the worker's own clock. */
let levyFor: (units: number) => number;

async function pinLevyToThisYear(stack: Stack): Promise<void> {
  const year = new Date().getUTCFullYear();
  if (year === 2026) {
    levyFor = (units) => 2675 * units;
    return;
  }
  // Test-only data (levy.md §7 uses a test-only 2027 index of 410 the same way).
  await stack.db.sql`UPDATE levy_charges SET charge_valid_to = ${`${Math.max(year, 2027)}-12-31`}::date`;
  await stack.db.sql`INSERT INTO levy_inflation_index (id, version, charging_year, cil_index)
    SELECT gen_random_uuid(), a.active_version, ${year}, 410 FROM data_active_version a WHERE a.table_name = 'levy_inflation_index'
    ON CONFLICT DO NOTHING`;
  levyFor = (units) => Number((BigInt(267500 * units) * 410n * 2n + 400n) / 800n) / 100;
}

describe('issue 7 end to end: bin/worker start, two workers', needsSharedData(), () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
    await pinLevyToThisYear(stack);
    await stack.aws.putObject('jobs/small/input.zip', readFileSync(SMALL_ZIP));
    await stack.aws.putObject('jobs/gcn/site.zip', await zipShapefile('inputs/gcn/SiteBoundaries', 'SiteBoundary_00001'));
    await stack.aws.putObject('jobs/gcn/ponds.zip', await zipShapefile('inputs/gcn/SitePonds', 'SitePonds_00001'));
    await stack.aws.putObject('jobs/open/input.geojson', JSON.stringify({
      type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:27700' } },
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[582800, 328180], [582900, 328180], [582900, 328280], [582800, 328280]]] } }],
    }));
  });
  after(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    stack.backend.reset();
    stack.notify.reset();
  });

  test('nutrient file job: one schema-valid callback, one COMPLETED e-mail with the right figures, message deleted', async () => {
    const id = await stack.send(fileJob('e2e-nutrient-1', 'jobs/small/input.zip'), 'e2e-trace-1');
    const [settled] = await stack.settled(id);
    assert.deepEqual([settled?.event?.reason, sqsAction(settled)?.action], ['succeeded', 'delete']);
    assert.equal(stack.inFlight(id), false);

    const calls = stack.backend.accepted();
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.headers['x-cdp-request-id'], 'e2e-trace-1');
    const doc = calls[0]?.body as AssessmentResultsDocument;
    const rlb = doc.rlbs[0];
    const n = rlb?.nutrient as RlbNutrient;
    // Natural England's small-site output (shared/data/expected): works, area and wastewater for 1 dwelling.
    assert.deepEqual([rlb?.areaHa, n.wwtw.id, n.wwtw.name], [0.03, 1065, 'Sculthorpe ']);
    assert.deepEqual([n.wastewater?.occupancyRate, n.wastewater?.waterUsageLPerPersonDay, n.wastewater?.nitrogenPermKgYr, n.wastewater?.phosphorusPermKgYr], [2.4, 120, 2.56, 0.09]);
    assert.deepEqual(n.edp, { edpId: 1, edpName: EDP_NAME });
    assert.equal(n.levyGbp?.amountInflationAdjusted, levyFor(1));
    const summary = doc.summary as NutrientSummary;
    assert.equal(summary.nitrogenTotalKgYr, n.totals.nitrogenKgYr);

    const mails = stack.notify.notifications();
    assert.deepEqual(mails.map((m) => [m.email_address, m.reference]), [['developer@example.com', 'e2e-nutrient-1:completed']]);
    const p = mails[0]?.personalisation as Record<string, string>;
    const gbp = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    assert.deepEqual([p.site_count, p.nitrogen_total, p.phosphorus_total, p.levy, p.wwtw, p.results_link], [
      '1', `${gbp.format(summary.nitrogenTotalKgYr)} kg/yr`, `${gbp.format(summary.phosphorusTotalKgYr)} kg/yr`, `£${gbp.format(levyFor(1))}`,
      summary.wwtwNames.join('; '), `${RESULTS_BASE_URL}/e2e-nutrient-1`,
    ]);
  });

  test('quote job in an SNS envelope: one PATCH, no e-mail, message deleted', async () => {
    const geometry = (JSON.parse(readFileSync(sharedPath('inputs/nutrients/BnW_small_under_1_hectare_geojson/BnW_small_under_1_hectare.geojson'), 'utf8')) as { features: { geometry: Record<string, unknown> }[] }).features[0]?.geometry;
    const inner = {
      reference: 'NRL-000123',
      boundaryGeojson: { boundaryGeometryOriginal: { ...geometry, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } } }, intersectingEdps: [{ label: EDP_NAME }] },
      developmentTypes: ['housing'], residentialBuildingCount: 19, peopleCount: 46,
    };
    const id = await stack.send({
      Type: 'Notification', MessageId: 'e2e-sns-1', TopicArn: 'arn:aws:sns:eu-west-2:000000000000:nrf_quote_estimate_request',
      Message: JSON.stringify(inner), Timestamp: new Date().toISOString(), SignatureVersion: '1',
      MessageAttributes: { CorrelationId: { Type: 'String', Value: 'e2e-sns-trace' } },
    });
    const [settled] = await stack.settled(id);
    assert.deepEqual([settled?.event?.reason, sqsAction(settled)?.action], ['succeeded', 'delete']);
    const calls = stack.backend.accepted();
    assert.deepEqual(calls.map((c) => [c.method, c.path, c.headers['x-cdp-request-id']]), [['PATCH', '/quotes/NRL-000123', 'e2e-sns-trace']]);
    const edp = (calls[0]?.body as QuotePatchBody).edps[0];
    assert.deepEqual([edp.edpId, edp.edpName, edp.levyGbp.amountInflationAdjusted, edp.levyGbp.amountExcludingVat], [1, EDP_NAME, levyFor(19), 2675 * 19]);
    assert.equal(stack.notify.notifications().length, 0);
  });

  test('GCN survey file job completes: document with the embedded GCN result, one COMPLETED e-mail', async () => {
    const id = await stack.send(fileJob('e2e-gcn-1', 'jobs/gcn/site.zip', { assessment_type: 'gcn', s3_survey_ponds_key: 'jobs/gcn/ponds.zip' }));
    const [settled] = await stack.settled(id, 1, 120_000);
    assert.equal(settled?.event?.reason, 'succeeded');
    const doc = stack.backend.accepted()[0]?.body as AssessmentResultsDocument;
    assert.deepEqual([doc.assessmentType, doc.rlbs.length, (doc.gcn as { route?: string }).route], ['gcn', 4, 'survey']);
    const summary = doc.summary as GcnSummary;
    assert.equal(summary.pondCount, ((doc.gcn as { pond_frequency: { FREQUENCY: number }[] }).pond_frequency).reduce((a, r) => a + r.FREQUENCY, 0));
    const mails = stack.notify.notifications();
    assert.deepEqual(mails.map((m) => m.reference), ['e2e-gcn-1:completed']);
    assert.equal((mails[0]?.personalisation as Record<string, string>).assessment_type, 'Great crested newt');
  });

  test('rejected boundary: one rejected POST, one REJECTED e-mail, and the message reaches the DLQ', async () => {
    const id = await stack.send(fileJob('e2e-open-1', 'jobs/open/input.geojson'));
    await stack.aws.server.spy.waitForMessageWithId(id, 'dlq', 60_000);
    const attempts = await stack.settled(id, 3);
    assert.deepEqual(attempts.map((r) => [r.nrf?.receive_count, r.event?.reason, sqsAction(r)?.visibility]), [[1, 'rejected', 0], [2, 'rejected', 0], [3, 'rejected', 0]]);
    const calls = stack.backend.accepted();
    assert.equal(calls.length, 1);
    assert.equal((calls[0]?.body as AssessmentResultsDocument).error?.code, 'unclosed_ring');
    assert.deepEqual(stack.notify.notifications().map((m) => [m.email_address, m.reference]), [['developer@example.com', 'e2e-open-1:rejected']]);
  });

  test('backend 503 × 3 then 200: exactly one accepted callback', async () => {
    stack.backend.inject({ type: 'status', status: 503, times: 3 });
    const id = await stack.send(fileJob('e2e-503-1', 'jobs/small/input.zip'));
    const [settled] = await stack.settled(id);
    assert.equal(settled?.event?.reason, 'succeeded');
    assert.deepEqual(stack.backend.calls().map((c) => c.status), [503, 503, 503, 201]);
    assert.equal(stack.notify.notifications().length, 1);
  });

  test('backend down for good: the message reaches the DLQ with exactly one FAILED e-mail', async () => {
    stack.backend.inject({ type: 'down' });
    try {
      const id = await stack.send(fileJob('e2e-down-1', 'jobs/small/input.zip'));
      for (const receive of [1, 2]) {
        const [attempt] = (await stack.settled(id, receive)).slice(-1);
        // 30 s × 2^(n−1), capped at SQS_VISIBILITY_TIMEOUT (30 s here).
        assert.deepEqual([attempt?.event?.reason, sqsAction(attempt)?.visibility], ['retry', Math.min(30 * 2 ** (receive - 1), 30)]);
        // The emulator's clock: skip the backoff rather than wait it out.
        assert.ok(await stack.releaseNow(id));
      }
      const all = await stack.settled(id, 3);
      assert.equal(all[2]?.event?.reason, 'final_failure');
      await stack.aws.server.spy.waitForMessageWithId(id, 'dlq', 30_000);
      assert.equal(stack.backend.accepted().length, 0);
      const mails = stack.notify.notifications();
      assert.deepEqual(mails.map((m) => [m.email_address, m.reference]), [[SUPPORT_EMAIL, 'e2e-down-1:failed']]);
      assert.equal((mails[0]?.personalisation as Record<string, string>).error_code, 'callback_failed');
    } finally {
      stack.backend.clearFaults();
    }
  });

  test('the same job delivered twice never produces a second callback or e-mail', async () => {
    const body = fileJob('e2e-twice-1', 'jobs/small/input.zip');
    const first = await stack.send(body);
    await stack.settled(first);
    const second = await stack.send(body);
    const [dup] = await stack.settled(second);
    assert.deepEqual([dup?.event?.reason, sqsAction(dup)?.action], ['duplicate', 'delete']);
    assert.equal(stack.backend.accepted().length, 1);
    assert.equal(stack.notify.notifications().length, 1);
  });

  test('a worker SIGKILLed between the callback and the delete: the redelivery sends no second callback or e-mail', async () => {
    // Notify's fake stores this send, then holds the answer: the worker dies waiting for it.
    const id = await stack.send(fileJob('e2e-kill-1', 'jobs/small/input.zip', { developer_email: 'notify-slow-60000@example.com' }));
    const received = await stack.primary.waitFor((r) => r.event?.action === 'job.received' && r.nrf?.message_id === id, 30_000, 'job received');
    const deadline = Date.now() + 60_000;
    while (!stack.notify.notifications().some((m) => m.reference === 'e2e-kill-1:completed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(stack.backend.accepted().length, 1, 'the callback was accepted before the kill');
    const pid = received['process.pid'] as number;
    process.kill(pid, 'SIGKILL');

    // Time passes: the ledger lease and the message's visibility both run out.
    await stack.db.sql`UPDATE nrf_worker.job_ledger SET lease_expires_at = now() - interval '1 second' WHERE job_key = 'file:e2e-kill-1'`;
    assert.ok(await stack.releaseNow(id));
    const [redelivered] = await stack.settled(id, 1, 60_000);
    assert.deepEqual([redelivered?.nrf?.receive_count, redelivered?.event?.reason, sqsAction(redelivered)?.action], [2, 'succeeded', 'delete']);
    assert.equal(stack.backend.accepted().length, 1, 'no second callback');
    assert.equal(stack.notify.notifications().length, 1, 'no second e-mail: the pending one was found at Notify by reference');
    const [effect] = await stack.db.sql<{ status: string; external_ref: string }[]>`SELECT status, external_ref FROM nrf_worker.job_side_effect WHERE job_key = 'file:e2e-kill-1' AND kind = 'email_completed'`;
    assert.deepEqual([effect?.status, effect?.external_ref], ['sent', stack.notify.notifications()[0]?.id]);
    assert.deepEqual(stack.primary.junk, [], 'every stdout line is ECS JSON');
  });
});
