// Shared builders for the parse specs: valid bodies of both shapes and a ReceivedMessage wrapper.

import assert from 'node:assert/strict';
import { parseMessage, type ParseOptions, type ParseResult } from '../../lib/jobs/parse.js';
import type { Job, ReceivedMessage } from '../../lib/jobs/types.js';
import type { JobError } from '../../lib/errors.js';

export const OPTIONS: ParseOptions = {
  quoteReferencePattern: /^(NRF|NRL)-\d{6}$/,
  allowedBuckets: ['nrf-inputs', 'nrf-inputs-alt'],
  inputBucket: 'nrf-inputs',
};

export const SENT = Date.UTC(2026, 6, 30, 9, 12, 44, 120);

export function fileBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: '6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20',
    s3_input_key: 'jobs/6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20/input.zip',
    developer_email: 'developer@example.com',
    submitted_at: '2026-07-30T09:12:44Z',
    development_name: 'Land east of Station Road',
    dwelling_type: 'house',
    number_of_dwellings: 19,
    assessment_type: 'nutrient',
    ...overrides,
  };
}

export const POLYGON = {
  type: 'Polygon',
  coordinates: [[[582815.0, 328189.0], [582809.0, 328204.0], [582825.0, 328210.0], [582830.0, 328197.0], [582815.0, 328189.0]]],
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } },
};

export function quoteBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    reference: 'NRL-000123',
    boundaryGeojson: {
      boundaryGeometryOriginal: POLYGON,
      intersectingEdps: [{ label: 'Broads SAC (Yare & Bure) & Wensum SAC', catchments: [{ label: 'Bure Broads and Marshes' }] }],
    },
    developmentTypes: ['housing'],
    housingUnits: 19,
    peopleCount: 46,
    wasteWaterTreatmentWorksId: '938',
    traceId: '3c8a1f0e6b2d4e59a7c1d0f28b6e4a13',
    ...overrides,
  };
}

export function snsEnvelope(inner: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: '5b0f7a52-8d7e-4f0f-9a3e-1c2b3d4e5f60',
    TopicArn: 'arn:aws:sns:eu-west-2:000000000000:nrf_quote_estimate_request',
    Message: typeof inner === 'string' ? inner : JSON.stringify(inner),
    Timestamp: '2026-07-30T09:12:44.120Z',
    SignatureVersion: '1',
    ...extra,
  };
}

export function message(body: unknown, overrides: Partial<ReceivedMessage> = {}): ReceivedMessage {
  return {
    messageId: 'm-0001',
    receiptHandle: 'rh-0001',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    receiveCount: 1,
    sentTimestamp: SENT,
    attributes: {},
    ...overrides,
  };
}

export function parse(body: unknown, overrides: Partial<ReceivedMessage> = {}, options: Partial<ParseOptions> = {}): ParseResult {
  return parseMessage(message(body, overrides), { ...OPTIONS, ...options });
}

export function expectJob(result: ParseResult): Job {
  assert.equal(result.error, undefined, `expected a job, got ${JSON.stringify(result.error?.detail)}`);
  assert.ok(result.job);
  return result.job;
}

export function expectInvalid(result: ParseResult, field: string, reason: string): JobError {
  assert.ok(result.error, 'expected invalid_message');
  assert.equal(result.error.code, 'invalid_message');
  assert.equal(result.error.kind, 'input');
  assert.deepEqual({ field: result.error.detail.field, reason: result.error.detail.reason }, { field, reason });
  return result.error;
}
