// contracts.md §1.2 steps 1–4 (size, JSON, object, SNS envelope, shape), §4.2 correlation and the
// §4.1 payload hash.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_BODY_BYTES } from '../../lib/jobs/parse.js';
import { canonicalJson } from '../../lib/jobs/canonical.js';
import { expectInvalid, expectJob, fileBody, parse, quoteBody, snsEnvelope } from './parse-helpers.js';

/** A valid file-job body padded (via an unknown key) to exactly `bytes` UTF-8 bytes. */
function bodyOfBytes(bytes: number, filler = 'x'): string {
  const base = JSON.stringify({ ...fileBody(), pad: '' });
  const room = bytes - Buffer.byteLength(base, 'utf8');
  const unit = Buffer.byteLength(filler, 'utf8');
  const text = filler.repeat(Math.floor(room / unit)) + 'x'.repeat(room % unit);
  const body = JSON.stringify({ ...fileBody(), pad: text });
  assert.equal(Buffer.byteLength(body, 'utf8'), bytes);
  return body;
}

describe('body decoding (§1.2)', () => {
  test('262,144 UTF-8 bytes is accepted; one more byte is too_large', () => {
    expectJob(parse(bodyOfBytes(MAX_BODY_BYTES)));
    expectInvalid(parse(bodyOfBytes(MAX_BODY_BYTES + 1)), 'body', 'too_large');
  });

  test('the limit counts UTF-8 bytes, not characters', () => {
    const body = bodyOfBytes(MAX_BODY_BYTES + 2, '€');
    assert.ok(body.length < MAX_BODY_BYTES, 'fewer characters than the byte limit');
    expectInvalid(parse(body), 'body', 'too_large');
  });

  test('not JSON, and JSON that is not an object', () => {
    expectInvalid(parse('{"job_id": '), 'body', 'not_json');
    expectInvalid(parse(''), 'body', 'not_json');
    for (const text of ['[]', '"text"', '42', 'null', 'true']) expectInvalid(parse(text), 'body', 'not_object');
  });

  test('shape: job_id with reference is ambiguous; neither key is unknown', () => {
    expectInvalid(parse({ ...fileBody(), reference: 'NRL-000123' }), 'body', 'ambiguous_shape');
    expectInvalid(parse({ hello: 'world' }), 'body', 'unknown_shape');
    expectInvalid(parse({}), 'body', 'unknown_shape');
  });

  test('a body with boundaryGeojson but no reference is a quote job missing its reference', () => {
    const body = quoteBody();
    delete body.reference;
    const result = parse(body);
    expectInvalid(result, 'reference', 'required');
    assert.equal(result.partial?.jobKind, 'quote');
    assert.equal(result.partial?.jobKey, 'msg:m-0001');
  });

  test('a decode failure keeps a msg: key, kind unknown, and a body hash', () => {
    const result = parse('nope');
    assert.equal(result.partial?.jobKey, 'msg:m-0001');
    assert.equal(result.partial?.jobKind, 'unknown');
    assert.match(result.partial?.payloadSha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(result.partial?.payloadSha256, result.partial?.message.bodySha256);
  });
});

describe('SNS envelope (§1.2 step 3)', () => {
  test('a Notification carrying a quote decodes like the raw body', () => {
    const raw = expectJob(parse(quoteBody()));
    const wrapped = expectJob(parse(snsEnvelope(quoteBody())));
    assert.equal(wrapped.kind, 'quote');
    assert.equal(wrapped.payloadSha256, raw.payloadSha256);
  });

  test('a Notification carrying a file job is a file job', () => {
    assert.equal(expectJob(parse(snsEnvelope(fileBody()))).kind, 'file');
  });

  test('Type other than Notification', () => {
    expectInvalid(parse(snsEnvelope(quoteBody(), { Type: 'SubscriptionConfirmation' })), 'Type', 'unsupported_sns_type');
    expectInvalid(parse(snsEnvelope(quoteBody(), { Type: null })), 'Type', 'unsupported_sns_type');
  });

  test('Message missing or not a string', () => {
    const envelope = snsEnvelope(quoteBody());
    delete envelope.Message;
    expectInvalid(parse(envelope), 'Message', 'missing');
    expectInvalid(parse(snsEnvelope(quoteBody(), { Message: { reference: 'NRL-000123' } })), 'Message', 'missing');
  });

  test('Message that is not JSON or not an object', () => {
    expectInvalid(parse(snsEnvelope('{broken')), 'Message', 'not_json');
    expectInvalid(parse(snsEnvelope('[1,2]')), 'Message', 'not_json');
    expectInvalid(parse(snsEnvelope('"a string"')), 'Message', 'not_json');
  });

  test('envelope keys are not unknown fields; signatures are ignored', () => {
    const result = parse(snsEnvelope(quoteBody(), { Signature: 'bogus', SigningCertURL: 'https://x', UnsubscribeURL: 'https://y' }));
    expectJob(result);
    assert.deepEqual(result.unknownFields, []);
  });

  test('the SNS-wrapped shape check applies to the inner message', () => {
    expectInvalid(parse(snsEnvelope({ ...fileBody(), reference: 'NRL-000123' })), 'body', 'ambiguous_shape');
    expectInvalid(parse(snsEnvelope({ nothing: 1 })), 'body', 'unknown_shape');
  });
});

describe('correlation id (§4.2)', () => {
  const sns = (value: unknown, type = 'String'): Record<string, unknown> => ({ MessageAttributes: { CorrelationId: { Type: type, Value: value } } });

  test('SQS attribute wins over SNS attribute over body traceId', () => {
    const all = parse(snsEnvelope(quoteBody({ traceId: 'from-body' }), sns('from-sns')), { attributes: { CorrelationId: 'from-sqs' } });
    assert.deepEqual([all.job?.correlationId, all.job?.correlationSource], ['from-sqs', 'sqs-attribute']);
    const snsOnly = parse(snsEnvelope(quoteBody({ traceId: 'from-body' }), sns('from-sns')));
    assert.deepEqual([snsOnly.job?.correlationId, snsOnly.job?.correlationSource], ['from-sns', 'sns-attribute']);
    const bodyOnly = parse(quoteBody({ traceId: 'from-body' }));
    assert.deepEqual([bodyOnly.job?.correlationId, bodyOnly.job?.correlationSource], ['from-body', 'body']);
  });

  test('no candidate: a fresh UUID v4 per message', () => {
    const a = expectJob(parse(fileBody()));
    const b = expectJob(parse(fileBody()));
    assert.equal(a.correlationSource, 'generated');
    assert.match(a.correlationId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a.correlationId, b.correlationId);
  });

  test('unusable values are skipped with a note, never used', () => {
    const long = 'a'.repeat(129);
    const result = parse(snsEnvelope(quoteBody({ traceId: 'ok.trace:1-2_3' }), sns('has space')), { attributes: { CorrelationId: long } });
    assert.deepEqual([result.job?.correlationId, result.job?.correlationSource], ['ok.trace:1-2_3', 'body']);
    assert.deepEqual(result.correlationSkipped.map((s) => [s.source, s.reason]), [['sqs-attribute', 'unusable'], ['sns-attribute', 'unusable']]);
    const typed = parse(snsEnvelope(quoteBody({ traceId: 42 }), sns('x', 'Number')));
    assert.equal(typed.job?.correlationSource, 'generated');
    assert.deepEqual(typed.correlationSkipped.map((s) => [s.source, s.reason]), [['body', 'not_a_string']]);
    assert.equal(expectJob(parse(fileBody({ traceId: 'a'.repeat(128) }))).correlationSource, 'body');
  });

  test('an invalid message still gets a correlation id', () => {
    const result = parse({ ...fileBody({ number_of_dwellings: 0 }), traceId: 'trace-1' });
    assert.equal(result.partial?.correlationId, 'trace-1');
  });
});

describe('payloadSha256 (§4.1)', () => {
  test('ignores key order, spacing, correlation and message metadata', () => {
    const body = fileBody();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const a = expectJob(parse(body));
    const b = expectJob(parse(JSON.stringify(reordered, null, 2), { messageId: 'other', receiveCount: 3, attributes: { CorrelationId: 'c-1' } }));
    assert.equal(a.payloadSha256, b.payloadSha256);
    assert.notEqual(a.message.bodySha256, b.message.bodySha256);
  });

  test('changes with any business field', () => {
    const base = expectJob(parse(fileBody())).payloadSha256;
    for (const change of [{ number_of_dwellings: 20 }, { development_name: 'Other' }, { submitted_at: '2026-07-30T09:12:45Z' }, { s3_bucket: 'nrf-inputs-alt' }]) {
      assert.notEqual(expectJob(parse(fileBody(change))).payloadSha256, base, JSON.stringify(change));
    }
  });

  test('equal timestamps in different notations hash alike', () => {
    const a = expectJob(parse(fileBody({ submitted_at: '2026-07-30T09:12:44Z' })));
    const b = expectJob(parse(fileBody({ submitted_at: '2026-07-30T10:12:44.000+01:00' })));
    assert.equal(a.payloadSha256, b.payloadSha256);
  });

  test('canonical JSON sorts keys at every depth and keeps array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});
