// S3 retrieval (contracts.md §5.1) against fauxqs with the real SDK client, plus a stubbed `send`
// for the exact AWS error names fauxqs cannot produce (throttling, access, 5xx, sockets).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { fetchS3Object, InputBudget } from '../../lib/input/index.js';
import { startLocalAws, type LocalAws } from '../support/aws.js';
import { rejectsWith } from './support/expect.js';

const MAX = 2_097_152;

type Sent = { command: string; abortSignal?: AbortSignal };

/** A client whose `send` answers HeadObject / GetObject from `answers` and records the calls. */
function stubClient(answers: Record<string, () => unknown>, sent: Sent[] = []): S3Client {
  return {
    send: (command: object, options?: { abortSignal?: AbortSignal }) => {
      const name = command.constructor.name;
      sent.push({ command: name, abortSignal: options?.abortSignal });
      return Promise.resolve().then(() => answers[name]?.());
    },
  } as unknown as S3Client;
}

function awsError(name: string, status: number | undefined, fault: 'client' | 'server' = 'client'): Error {
  return Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

const failingWith = (error: Error): S3Client => stubClient({ HeadObjectCommand: () => { throw error; } });

describe('fetchS3Object against fauxqs', () => {
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws();
  });
  after(async () => {
    await aws.stop();
  });
  const signal = (): AbortSignal => AbortSignal.timeout(30_000);

  test('reads the object, its size and SHA-256, and charges the budget', async () => {
    const body = Buffer.from('{"type":"FeatureCollection","features":[]}');
    await aws.putObject('jobs/1/input.geojson', body);
    const budget = new InputBudget(10_000);
    const got = await fetchS3Object(aws.s3, { bucket: aws.bucket, key: 'jobs/1/input.geojson' }, { signal: signal(), maxBytes: MAX, budget });
    assert.deepEqual(got, { bytes: body, size: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    assert.equal(budget.usedBytes, body.length);
  });

  test('a missing key or bucket is s3_download_failed (permanent)', async () => {
    const missingKey = await rejectsWith(fetchS3Object(aws.s3, { bucket: aws.bucket, key: 'jobs/none.zip' }, { signal: signal(), maxBytes: MAX }), 's3_download_failed', { file: 'input', key: 'jobs/none.zip' });
    assert.equal(missingKey.kind, 'input');
    await rejectsWith(fetchS3Object(aws.s3, { bucket: 'no-such-bucket', key: 'a.zip' }, { signal: signal(), maxBytes: MAX }), 's3_download_failed');
  });

  test('an oversize object is refused before download; an empty one is upload_file_missing', async () => {
    await aws.putObject('jobs/big.zip', Buffer.alloc(MAX + 1, 1));
    const big = await rejectsWith(fetchS3Object(aws.s3, { bucket: aws.bucket, key: 'jobs/big.zip' }, { signal: signal(), maxBytes: MAX }), 'file_size_too_large', { declaredBytes: MAX + 1 });
    assert.match(big.message, /bigger than 2 MB/);
    await aws.putObject('jobs/empty.zip', Buffer.alloc(0));
    await rejectsWith(fetchS3Object(aws.s3, { bucket: aws.bucket, key: 'jobs/empty.zip' }, { signal: signal(), maxBytes: MAX }), 'upload_file_missing');
  });

  test('a survey-ponds miss is invalid_survey_ponds with the S3 code as reason', async () => {
    await rejectsWith(fetchS3Object(aws.s3, { bucket: aws.bucket, key: 'jobs/ponds.zip' }, { signal: signal(), maxBytes: MAX, file: 'survey_ponds' }), 'invalid_survey_ponds', { file: 'survey_ponds', reason: 's3_download_failed' });
  });

  test('an aborted signal stops the request and surfaces the abort reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutdown'));
    await assert.rejects(fetchS3Object(aws.s3, { bucket: aws.bucket, key: 'jobs/1/input.geojson' }, { signal: controller.signal, maxBytes: MAX }), /shutdown/);
  });
});

describe('fetchS3Object error classification (stubbed send)', () => {
  const loc = { bucket: 'nrf-inputs', key: 'jobs/1/input.zip' };
  const options = { signal: new AbortController().signal, maxBytes: MAX };

  test('NoSuchKey, NoSuchBucket and NotFound are permanent s3_download_failed', async () => {
    for (const error of [awsError('NoSuchKey', 404), awsError('NoSuchBucket', 404), awsError('NotFound', 404)]) {
      await rejectsWith(fetchS3Object(failingWith(error), loc, options), 's3_download_failed', { awsCode: error.name });
    }
  });

  test('AccessDenied, throttling, 5xx and network errors are transient s3_unavailable', async () => {
    const socket = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    for (const error of [awsError('AccessDenied', 403), awsError('Forbidden', 403), awsError('SlowDown', 503, 'server'), awsError('InternalError', 500, 'server'), awsError('ServiceUnavailable', 503, 'server'), socket, timeout]) {
      const failure = await rejectsWith(fetchS3Object(failingWith(error), loc, options), 's3_unavailable');
      assert.equal(failure.kind, 'transient');
      assert.equal(failure.cause, error);
    }
    // Transient faults stay transient on the survey-ponds file too (§5.10).
    await rejectsWith(fetchS3Object(failingWith(awsError('SlowDown', 503, 'server')), loc, { ...options, file: 'survey_ponds' }), 's3_unavailable');
  });

  test('a bug is not disguised as an S3 fault', async () => {
    await assert.rejects(fetchS3Object(failingWith(new TypeError('undefined is not a function')), loc, options), TypeError);
  });

  test('both calls carry the signal; a body longer than HeadObject said is abandoned at maxBytes + 1', async () => {
    const sent: Sent[] = [];
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 65_536;
        this.push(Buffer.alloc(65_536, 1));
      },
    });
    const client = stubClient({ HeadObjectCommand: () => ({ ContentLength: 10 }), GetObjectCommand: () => ({ Body: endless }) }, sent);
    await rejectsWith(fetchS3Object(client, loc, { ...options, maxBytes: 1_000_000 }), 'file_size_too_large', { key: loc.key });
    assert.deepEqual(sent.map((s) => [s.command, s.abortSignal === options.signal]), [['HeadObjectCommand', true], ['GetObjectCommand', true]]);
    assert.ok(endless.destroyed, 'the body stream is destroyed');
    assert.ok(produced < 1_000_000 + 4 * 65_536, `read ${produced} bytes`);
  });
});
