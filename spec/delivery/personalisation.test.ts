// contracts.md §9.2 formatting and §9.3 references, exact strings.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildCompletedPersonalisation, buildFailedPersonalisation, buildRejectedPersonalisation, errorSummary, exceptionClassOf,
  formatGbp, formatKgYr, formatWholeM2, notifyReference,
} from '../../lib/delivery/personalisation.js';
import { buildAssessmentResults, type AssessmentResultsDocument, type NutrientSummary } from '../../lib/delivery/result-document.js';
import { validatePayload } from '../../lib/delivery/schemas.js';
import { ERROR_CATALOGUE, JobError, isErrorCode, toJobError } from '../../lib/errors.js';
import { COMPLETED_NUTRIENT_DOCUMENT } from '../fixtures/contracts/examples.js';

const RESULTS = 'https://nrf.example.gov.uk/results/';
const nutrientDoc = buildAssessmentResults(COMPLETED_NUTRIENT_DOCUMENT);

function withSummary(summary: Partial<NutrientSummary>, name: string | null = 'Land east of Station Road'): AssessmentResultsDocument {
  return { ...nutrientDoc, job: { ...nutrientDoc.job, developmentName: name }, summary: { ...(nutrientDoc.summary as NutrientSummary), ...summary } };
}

const gcnDoc: AssessmentResultsDocument = {
  ...nutrientDoc, jobId: 'gcn-job/7', assessmentType: 'gcn', rlbs: [], modelVersions: { gcnBufferMode: 'disc' },
  gcn: { assessment_type: 'gcn' },
  summary: { siteCount: 4, habitatM2: { RLB: { Red: 12345.5, Amber: 0.4, Green: 1000 }, Buffer: { Red: 1, Amber: 2, Green: 3 } }, pondCount: 44 },
};

describe('COMPLETED personalisation', () => {
  test('nutrient: every key, exact formatting, valid against the schema', () => {
    const p = buildCompletedPersonalisation(nutrientDoc, { resultsBaseUrl: RESULTS });
    assert.deepEqual(p, {
      reference: '6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20',
      development_name: 'Land east of Station Road',
      assessment_type: 'Nutrient',
      site_count: '1',
      nitrogen_total: '38.53 kg/yr',
      phosphorus_total: '3.50 kg/yr',
      wwtw: 'Whitlingham Water Recycling Centre',
      catchments: 'Bure Broads and Marshes',
      levy: '£50,825.00',
      gcn_summary: 'Not applicable',
      results_link: 'https://nrf.example.gov.uk/results/6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20',
    });
    assert.ok(validatePayload('notify/personalisation#completed', p).valid);
  });

  test('en-GB grouping, negatives, not calculated, none identified, distinct joins, unnamed', () => {
    const p = buildCompletedPersonalisation(withSummary({
      nitrogenTotalKgYr: 1234567.8, phosphorusTotalKgYr: -1234.5, levyGbpTotal: null,
      wwtwNames: [], catchmentLabels: ['Wensum', 'Bure Broads and Marshes', 'Wensum'],
    }, '   '), { resultsBaseUrl: RESULTS });
    assert.equal(p.nitrogen_total, '1,234,567.80 kg/yr');
    assert.equal(p.phosphorus_total, '-1,234.50 kg/yr');
    assert.equal(p.levy, 'Not calculated');
    assert.equal(p.wwtw, 'None identified');
    assert.equal(p.catchments, 'Wensum; Bure Broads and Marshes');
    assert.equal(p.development_name, 'Unnamed development');
    assert.equal(buildCompletedPersonalisation(withSummary({ catchmentLabels: [] }, ''), { resultsBaseUrl: RESULTS }).catchments, 'None');
    assert.ok(validatePayload('notify/personalisation#completed', p).valid);
  });

  test('money and loads are formatted from exact digits', () => {
    assert.equal(formatGbp(27418.75), '£27,418.75');
    assert.equal(formatGbp(1234567.89), '£1,234,567.89');
    assert.equal(formatGbp(0), '£0.00');
    assert.equal(formatGbp(999), '£999.00');
    assert.equal(formatKgYr(0.1 + 0.2), '0.30 kg/yr');
    assert.equal(formatKgYr(2.675), '2.68 kg/yr');
    assert.equal(formatKgYr(-0.001), '0.00 kg/yr');
    assert.equal(formatWholeM2(1234567.49), '1,234,567');
  });

  test('GCN: the summary sentence with whole m², everything nutrient Not applicable, encoded link', () => {
    const p = buildCompletedPersonalisation(gcnDoc, { resultsBaseUrl: 'https://nrf.example.gov.uk/results//' });
    assert.equal(p.assessment_type, 'Great crested newt');
    assert.equal(p.site_count, '4');
    assert.equal(p.gcn_summary, 'Within the site: Red 12,346 m², Amber 0 m², Green 1,000 m². Ponds counted: 44.');
    for (const key of ['nitrogen_total', 'phosphorus_total', 'wwtw', 'catchments', 'levy'] as const) assert.equal(p[key], 'Not applicable');
    assert.equal(p.results_link, 'https://nrf.example.gov.uk/results/gcn-job%2F7');
    assert.ok(validatePayload('notify/personalisation#completed', p).valid);
  });
});

describe('REJECTED and FAILED personalisation', () => {
  test('REJECTED carries the §6.1 user message', () => {
    const error = new JobError('zip_missing_shapefile_parts', { detail: { missing: ['.prj'] } });
    const p = buildRejectedPersonalisation({ jobId: 'job-1', developmentName: null, assessmentType: null, error: error.toEnvelope() });
    assert.deepEqual(p, {
      reference: 'job-1', development_name: 'Unnamed development', assessment_type: 'Not known',
      error_code: 'zip_missing_shapefile_parts', error_message: ERROR_CATALOGUE.zip_missing_shapefile_parts.message,
    });
    assert.ok(validatePayload('notify/personalisation#rejected', p).valid);
  });

  test('FAILED: job id the only identifying value; summary from code + class, ≤ 300 chars, no PII', () => {
    const leaky = new TypeError('cannot read developer@example.com at /jobs/secret-key.zip (582815, 328189)');
    const error = toJobError(leaky);
    const p = buildFailedPersonalisation({
      jobId: null, jobType: 'unknown', assessmentType: null, code: error.code, exceptionClass: exceptionClassOf(error),
      correlationId: null, messageId: 'm-1', attempts: 3, occurredAt: new Date('2026-07-30T09:12:47.512Z'),
    });
    assert.equal(p.job_id, 'unknown');
    assert.equal(p.error_summary, 'internal_error [bug] (TypeError): Unexpected error (TypeError); the job will be retried, then dead-lettered.');
    assert.deepEqual([p.attempts, p.correlation_id, p.message_id, p.occurred_at], ['3', 'unknown', 'm-1', '2026-07-30T09:12:47.512Z']);
    assert.ok(validatePayload('notify/personalisation#failed', p).valid);
    assert.doesNotMatch(JSON.stringify(p), /@|secret|582815/);
  });

  test('every catalogue code gives a one-line summary within 300 characters', () => {
    for (const code of Object.keys(ERROR_CATALOGUE)) {
      assert.ok(isErrorCode(code));
      const s = errorSummary(code, 'A'.repeat(500));
      assert.ok(s.length <= 300 && !/[\r\n@{}]/.test(s), `${code}: ${s}`);
      assert.ok(s.startsWith(`${code} [`));
    }
  });

  test('exception class of a JobError is its cause class; plain JobError otherwise', () => {
    assert.equal(exceptionClassOf(new JobError('db_unavailable', { cause: new RangeError('x') })), 'RangeError');
    assert.equal(exceptionClassOf(new JobError('levy_data_missing')), 'JobError');
    assert.equal(exceptionClassOf('boom'), 'string');
  });
});

describe('Notify references (§9.3)', () => {
  test('{jobId}:{kind}, or msg-{messageId}:{kind}', () => {
    assert.equal(notifyReference('completed', { jobId: '6f1d' }), '6f1d:completed');
    assert.equal(notifyReference('rejected', { jobId: null, messageId: 'abc' }), 'msg-abc:rejected');
    assert.throws(() => notifyReference('failed', {}));
  });
});
