// Quote jobs (raw and SNS-wrapped), a quote outside every EDP, and GCN file jobs (survey route
// completes; national route without a ponds layer fails on reference data) through the runner.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AssessmentResultsDocument, GcnSummary } from '../../lib/delivery/result-document.js';
import type { QuotePatchBody } from '../../lib/delivery/quote-patch.js';
import { needsSharedData, sharedPath, zipSharedShapefile } from '../support/data.js';
import { fileJob, received, startHarness, SUPPORT_EMAIL, type Harness } from './pipeline-harness.js';

interface FeatureCollection { features: { geometry: Record<string, unknown> }[] }

function firstGeometry(file: string): Record<string, unknown> {
  const geometry = (JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection).features[0]?.geometry;
  assert.ok(geometry);
  return geometry;
}

function quote(reference: string, geometry: Record<string, unknown>, crs: string): Record<string, unknown> {
  return {
    reference,
    boundaryGeojson: {
      boundaryGeometryOriginal: { ...geometry, crs: { type: 'name', properties: { name: crs } } },
      intersectingEdps: [{ label: 'Broads SAC (Yare & Bure) & Wensum SAC' }],
    },
    developmentTypes: ['housing'],
    housingUnits: 19,
    wasteWaterTreatmentWorksId: '938',
    traceId: `trace-${reference}`,
  };
}

describe('pipeline: quote and GCN jobs', needsSharedData(), () => {
  let h: Harness;
  let small: Record<string, unknown>;
  before(async () => {
    h = await startHarness();
    small = firstGeometry(sharedPath('inputs', 'nutrients', 'BnW_small_under_1_hectare_geojson', 'BnW_small_under_1_hectare.geojson'));
    await h.aws.putObject('jobs/gcn/site.zip', await zipSharedShapefile('inputs/gcn/SiteBoundaries', 'SiteBoundary_00001'));
    await h.aws.putObject('jobs/gcn/ponds.zip', await zipSharedShapefile('inputs/gcn/SitePonds', 'SitePonds_00001'));
  });
  after(async () => {
    await h?.stop();
  });
  beforeEach(() => h.reset());

  test('quote job: one schema-valid PATCH with the levy and the correlation header, no e-mail', async () => {
    const result = await h.run(received(quote('NRL-000123', small, 'urn:ogc:def:crs:EPSG::27700')));
    assert.deepEqual(result, { outcome: 'succeeded', jobType: 'nutrient', error: null });
    const [call] = h.backend.accepted();
    assert.equal(h.backend.calls().length, 1);
    assert.deepEqual([call?.method, call?.path, call?.headers['x-cdp-request-id']], ['PATCH', '/quotes/NRL-000123', 'trace-NRL-000123']);
    const body = call?.body as QuotePatchBody;
    const edp = body.edps[0];
    assert.deepEqual([edp.edpId, edp.edpName, edp.edpType], [1, 'Broads SAC (Yare & Bure) & Wensum SAC', 'NUTRIENT']);
    assert.deepEqual(edp.levyGbp, { amountExcludingVat: 50825, amountInflationAdjusted: 50825, baseAmount: 50825, modelVersion: 1 });
    assert.equal(edp.impact.nitrogenTotal.unit, 'mg/I TP');
    assert.equal(h.notify.notifications().length, 0);
    const row = await h.ledgerRow('quote:NRL-000123');
    assert.equal(row?.state, 'succeeded');
    assert.equal(JSON.stringify(row?.result), call?.rawBody, 'the stored PATCH body is what was sent');
  });

  test('the same quote in an SNS envelope, delivered twice: one PATCH in all', async () => {
    const envelope = {
      Type: 'Notification', MessageId: 'sns-1', TopicArn: 'arn:aws:sns:eu-west-2:000000000000:nrf_quote_estimate_request',
      Message: JSON.stringify(quote('NRF-000777', small, 'EPSG:27700')), Timestamp: '2026-06-01T09:00:00.000Z',
      MessageAttributes: { CorrelationId: { Type: 'String', Value: 'sns-correlation-1' } },
    };
    const message = received(envelope, { attributes: {} });
    assert.equal((await h.run(message)).outcome, 'succeeded');
    assert.equal((await h.run({ ...message, receiveCount: 2 })).outcome, 'duplicate');
    assert.equal(h.backend.calls().length, 1);
    assert.equal(h.backend.calls()[0]?.headers['x-cdp-request-id'], 'sns-correlation-1');
    assert.equal(h.notify.notifications().length, 0);
  });

  test('a quote outside every EDP is rejected (levy_edp_unresolved): no PATCH, one FAILED e-mail to support', async () => {
    const london = firstGeometry(sharedPath('inputs', 'nutrients', 'no_edp_intersection.geojson'));
    const message = received(quote('NRL-000404', london, 'OGC:CRS84'));
    const result = await h.run(message);
    assert.deepEqual([result.outcome, result.error?.code, result.error?.detail.reason], ['rejected', 'levy_edp_unresolved', 'no_edp']);
    assert.equal(h.backend.calls().length, 0);
    const mails = h.notify.notifications();
    assert.deepEqual(mails.map((m) => [m.email_address, m.reference]), [[SUPPORT_EMAIL, 'NRL-000404:failed']]);
    assert.deepEqual((mails[0]?.personalisation as Record<string, string>).job_type, 'quote');
    assert.equal((await h.run({ ...message, receiveCount: 2 })).outcome, 'rejected');
    assert.equal(h.notify.notifications().length, 1, 'redelivery sends nothing new');
  });

  test('GCN survey route: completed document embedding the gcn result, one COMPLETED e-mail', async () => {
    const result = await h.run(received(fileJob('gcn-survey-1', 'jobs/gcn/site.zip', { assessment_type: 'gcn', s3_survey_ponds_key: 'jobs/gcn/ponds.zip' })));
    assert.deepEqual(result, { outcome: 'succeeded', jobType: 'gcn', error: null });
    const doc = h.backend.accepted()[0]?.body as AssessmentResultsDocument;
    assert.equal(doc.assessmentType, 'gcn');
    assert.equal(doc.rlbs.length, 4);
    assert.ok(doc.rlbs.every((r) => r.status === 'assessed' && r.nutrient === undefined && r.areaM2 > 0));
    assert.equal((doc.gcn as { route?: string }).route, 'survey');
    assert.equal(doc.job.surveyPonds?.format, 'shapefile-zip');
    assert.deepEqual(doc.modelVersions, { gcnBufferMode: 'disc' });
    const summary = doc.summary as GcnSummary;
    assert.equal(summary.siteCount, 4);
    const p = h.notify.notifications()[0]?.personalisation as Record<string, string>;
    assert.equal(p.assessment_type, 'Great crested newt');
    assert.match(p.gcn_summary ?? '', new RegExp(`Ponds counted: ${summary.pondCount}\\.$`));
  });

  test('GCN national route without a ponds layer: failed (data), one FAILED e-mail, no results POST', async () => {
    const message = received(fileJob('gcn-national-1', 'jobs/gcn/site.zip', { assessment_type: 'gcn' }));
    const result = await h.run(message);
    assert.deepEqual([result.outcome, result.error?.code, result.error?.kind], ['failed', 'gcn_reference_data_missing', 'data']);
    assert.equal(h.backend.calls().length, 0);
    assert.deepEqual(h.notify.notifications().map((m) => [m.email_address, m.reference]), [[SUPPORT_EMAIL, 'gcn-national-1:failed']]);
    const row = await h.ledgerRow('file:gcn-national-1');
    assert.deepEqual([row?.state, row?.verdict, row?.error_code], ['failed', null, 'gcn_reference_data_missing']);
    // Rule 5: only a fresh delivery retries it.
    assert.equal((await h.run({ ...message, receiveCount: 2 })).outcome, 'failed');
    assert.equal(h.notify.notifications().length, 1);
  });
});
