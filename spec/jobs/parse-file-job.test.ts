// contracts.md §2: every field of the file-job table, every reason, and the normalised Job (§4.1).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectInvalid, expectJob, fileBody, parse } from './parse-helpers.js';

function without(field: string): Record<string, unknown> {
  const body = fileBody();
  delete body[field];
  return body;
}

describe('file job table (§2): every field and reason', () => {
  const cases: [string, unknown, string][] = [
    ['job_id', 42, 'type:string'],
    ['job_id', '', 'pattern'],
    ['job_id', '-starts-with-dash', 'pattern'],
    ['job_id', 'has space', 'pattern'],
    ['job_id', 'a'.repeat(65), 'pattern'],
    ['s3_input_key', '', 'minLength:1'],
    ['s3_input_key', 'k'.repeat(1025), 'maxLength:1024'],
    ['s3_input_key', ['a'], 'type:string'],
    ['developer_email', 'developer.example.com', 'format:email'],
    ['developer_email', 'a@b@example.com', 'format:email'],
    ['developer_email', 'dev eloper@example.com', 'format:email'],
    ['developer_email', 'developer@localhost', 'format:email'],
    ['developer_email', '@example.com', 'format:email'],
    ['developer_email', `${'a'.repeat(243)}@example.com`, 'maxLength:254'],
    ['developer_email', 7, 'type:string'],
    ['submitted_at', '2026-07-30', 'format:date-time'],
    ['submitted_at', '2026-07-30T09:12:44', 'format:date-time'],
    ['submitted_at', '2026-02-30T09:12:44Z', 'format:date-time'],
    ['submitted_at', '2026-07-30T25:12:44Z', 'format:date-time'],
    ['submitted_at', 'yesterday', 'format:date-time'],
    ['submitted_at', 1785402764000, 'type:string'],
    ['development_name', 'n'.repeat(201), 'maxLength:200'],
    ['development_name', 3, 'type:string'],
    ['dwelling_type', '', 'minLength:1'],
    ['dwelling_type', 'd'.repeat(101), 'maxLength:100'],
    ['dwelling_type', false, 'type:string'],
    ['number_of_dwellings', '19', 'type:integer'],
    ['number_of_dwellings', 19.5, 'type:integer'],
    ['number_of_dwellings', 0, 'minimum:1'],
    ['number_of_dwellings', -3, 'minimum:1'],
    ['number_of_dwellings', 1_000_000, 'maximum:999999'],
    ['assessment_type', 'bats', 'enum:nutrient|gcn'],
    ['assessment_type', 'Nutrient', 'enum:nutrient|gcn'],
    ['assessment_type', 1, 'type:string'],
    ['s3_survey_ponds_key', '', 'minLength:1'],
    ['s3_survey_ponds_key', 'p'.repeat(1025), 'maxLength:1024'],
    ['s3_survey_ponds_key', 5, 'type:string'],
    ['s3_bucket', 'someone-elses-bucket', 'not_allowed'],
    ['s3_bucket', 12, 'type:string'],
  ];
  for (const [field, value, reason] of cases) {
    test(`${field} = ${JSON.stringify(value).slice(0, 40)} → ${reason}`, () => {
      const error = expectInvalid(parse(fileBody({ [field]: value })), field, reason);
      assert.deepEqual(error.detail.violations, [{ field, reason }]);
    });
  }

  test('job_id null → required; job_id absent is no file job at all (unknown_shape)', () => {
    expectInvalid(parse(fileBody({ job_id: null })), 'job_id', 'required');
    expectInvalid(parse(without('job_id')), 'body', 'unknown_shape');
  });

  for (const field of ['s3_input_key', 'developer_email', 'submitted_at', 'development_name', 'dwelling_type', 'number_of_dwellings', 'assessment_type']) {
    test(`${field} missing or null → required`, () => {
      expectInvalid(parse(without(field)), field, 'required');
      expectInvalid(parse(fileBody({ [field]: null })), field, 'required');
    });
  }

  test('limits are inclusive', () => {
    expectJob(parse(fileBody({ job_id: 'A'.repeat(64), number_of_dwellings: 999_999, dwelling_type: 'd'.repeat(100), development_name: 'n'.repeat(200), s3_input_key: 'k'.repeat(1024) })));
    expectJob(parse(fileBody({ number_of_dwellings: 1, developer_email: `${'a'.repeat(242)}@example.com` })));
  });

  test('lengths count code points', () => {
    expectJob(parse(fileBody({ development_name: '😀'.repeat(200) })));
    expectInvalid(parse(fileBody({ development_name: '😀'.repeat(201) })), 'development_name', 'maxLength:200');
  });

  test('all violations are collected; the first in table order is named', () => {
    const error = expectInvalid(parse(fileBody({ assessment_type: 'x', number_of_dwellings: '3', developer_email: 'nope', s3_bucket: 'evil' })), 'developer_email', 'format:email');
    assert.deepEqual(error.detail.violations, [
      { field: 'developer_email', reason: 'format:email' },
      { field: 'number_of_dwellings', reason: 'type:integer' },
      { field: 'assessment_type', reason: 'enum:nutrient|gcn' },
      { field: 's3_bucket', reason: 'not_allowed' },
    ]);
    assert.equal(error.toEnvelope().message, 'Your request was missing some information or contained values we could not accept, so it could not be assessed. Please submit it again.');
  });

  test('an empty development_name is allowed; optional nulls count as absent', () => {
    const job = expectJob(parse(fileBody({ development_name: '', s3_survey_ponds_key: null, s3_bucket: null, traceId: null })));
    assert.equal(job.developmentName, '');
    assert.equal(job.surveyPonds, null);
  });

  test('offset date-times are normalised to UTC with milliseconds', () => {
    assert.equal(expectJob(parse(fileBody({ submitted_at: '2026-07-30T10:12:44.5+01:00' }))).submittedAt, '2026-07-30T09:12:44.500Z');
    assert.equal(expectJob(parse(fileBody({ submitted_at: '2026-07-30T09:12Z' }))).submittedAt, '2026-07-30T09:12:00.000Z');
    assert.equal(expectJob(parse(fileBody({ submitted_at: '2024-02-29T00:00:00-0230' }))).submittedAt, '2024-02-29T02:30:00.000Z');
  });
});

describe('file job normalisation (§4.1)', () => {
  test('the example message becomes the documented Job', () => {
    const job = expectJob(parse(fileBody(), { receiveCount: 2 }));
    assert.deepEqual({ ...job, message: undefined, payloadSha256: undefined, correlationId: undefined }, {
      kind: 'file',
      key: 'file:6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20',
      id: '6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20',
      assessmentType: 'nutrient',
      developmentName: 'Land east of Station Road',
      dwellingCategory: 'house',
      dwellings: 19,
      developerEmail: 'developer@example.com',
      submittedAt: '2026-07-30T09:12:44.000Z',
      input: { source: 's3', bucket: 'nrf-inputs', key: 'jobs/6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20/input.zip' },
      surveyPonds: null,
      quote: null,
      correlationSource: 'generated',
      parseWarnings: [],
      message: undefined,
      payloadSha256: undefined,
      correlationId: undefined,
    });
    assert.equal(job.message.receiveCount, 2);
    assert.ok(Object.isFrozen(job));
  });

  test('GCN survey route: ponds key in the job bucket (s3_bucket overrides both)', () => {
    const job = expectJob(parse(fileBody({ assessment_type: 'gcn', s3_survey_ponds_key: 'jobs/x/ponds.zip', s3_bucket: 'nrf-inputs-alt' })));
    assert.deepEqual(job.surveyPonds, { bucket: 'nrf-inputs-alt', key: 'jobs/x/ponds.zip' });
    assert.deepEqual(job.input, { source: 's3', bucket: 'nrf-inputs-alt', key: 'jobs/6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20/input.zip' });
  });

  test('GCN without ponds key is the national route', () => {
    assert.equal(expectJob(parse(fileBody({ assessment_type: 'gcn' }))).surveyPonds, null);
  });

  test('nutrient with a ponds key: ignored, warning survey_ponds_ignored', () => {
    const job = expectJob(parse(fileBody({ s3_survey_ponds_key: 'jobs/x/ponds.zip' })));
    assert.equal(job.surveyPonds, null);
    assert.deepEqual(job.parseWarnings.map((w) => w.code), ['survey_ponds_ignored']);
  });

  test('unknown keys are ignored and named (never their values)', () => {
    const result = parse(fileBody({ dwellings: 5, extra_field: { secret: 'x' } }));
    expectJob(result);
    assert.deepEqual(result.unknownFields, ['dwellings', 'extra_field']);
  });

  test('partial identity of an invalid file job keeps the valid id, e-mail and type', () => {
    const result = parse(fileBody({ number_of_dwellings: 0, assessment_type: 'gcn' }));
    expectInvalid(result, 'number_of_dwellings', 'minimum:1');
    assert.deepEqual({ ...result.partial, message: undefined, correlationId: undefined, payloadSha256: undefined }, {
      jobKey: 'file:6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20', jobKind: 'file', jobId: '6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20',
      developerEmail: 'developer@example.com', assessmentType: 'gcn', correlationSource: 'generated',
      message: undefined, correlationId: undefined, payloadSha256: undefined,
      known: {
        developmentName: 'Land east of Station Road', dwellingType: 'house', numberOfDwellings: null, submittedAt: '2026-07-30T09:12:44.000Z',
        input: { bucket: 'nrf-inputs', key: 'jobs/6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20/input.zip' }, surveyPonds: null,
      },
    });
  });

  test('an invalid job_id falls back to the message key', () => {
    const result = parse(fileBody({ job_id: '../etc', developer_email: 'bad' }));
    assert.equal(result.partial?.jobKey, 'msg:m-0001');
    assert.equal(result.partial?.jobId, null);
    assert.equal(result.partial?.developerEmail, null);
  });

  test('a disallowed bucket leaves the input location unknown', () => {
    const result = parse(fileBody({ s3_bucket: 'evil', number_of_dwellings: 0 }));
    assert.equal(result.partial?.known?.input, null);
    assert.equal(result.partial?.known?.developmentName, 'Land east of Station Road');
  });
});
