// S3 retrieval (contracts.md §5.1): HeadObject, then GetObject with the body streamed into memory
// and abandoned at maxBytes + 1. Missing objects are permanent (`s3_download_failed`); access,
// throttling, 5xx and network faults are transient (`s3_unavailable`). Both calls carry the
// job's AbortSignal, so a deadline or shutdown stops the transfer itself.

import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isAbortError, JobError } from '../errors.js';
import type { InputBudget } from './budget.js';
import { fileTooLarge, inputError, toSurveyPondsError, withFileRole } from './errors.js';

export interface S3ObjectLocation {
  bucket: string;
  key: string;
}

export interface FetchOptions {
  signal: AbortSignal;
  maxBytes: number;
  /** The job's byte budget; downloaded bytes are charged to it. */
  budget?: InputBudget;
  /** Which file this is; survey-ponds failures become `invalid_survey_ponds` (§5.10). */
  file?: 'input' | 'survey_ponds';
}

export interface FetchedObject {
  bytes: Buffer;
  size: number;
  sha256: string;
}

const MISSING = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound']);
/** errno-style socket codes (ECONNRESET, ETIMEDOUT, ENOTFOUND, …) and undici's; not ERR_* bugs. */
const NETWORK_CODE = /^(E[A-Z0-9]+|UND_ERR_[A-Z_]+)$/;

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

/** Maps an SDK or network failure to a JobError; aborts and our own JobErrors pass through. */
export function classifyS3Error(error: unknown, loc: S3ObjectLocation): unknown {
  if (error instanceof JobError || isAbortError(error)) return error;
  if (!(error instanceof Error)) return error;
  const aws = error as AwsLikeError;
  const awsCode = aws.Code ?? aws.name ?? aws.code ?? 'Error';
  const status = aws.$metadata?.httpStatusCode ?? null;
  const detail = { bucket: loc.bucket, key: loc.key, awsCode, status };
  if (MISSING.has(awsCode) || (status === 404 && aws.$fault === 'client')) return inputError('s3_download_failed', detail, error);
  // AccessDenied, SlowDown, 5xx, timeouts, sockets: a later attempt may succeed. So may anything
  // else S3 answers that we do not recognise; only a missing object is known to be permanent.
  const isNetwork = (typeof aws.code === 'string' && NETWORK_CODE.test(aws.code)) || error.name === 'TimeoutError';
  const isServiceOrNetwork = status !== null || aws.$fault !== undefined || isNetwork;
  return isServiceOrNetwork ? new JobError('s3_unavailable', { detail, cause: error }) : error;
}

async function readBody(body: Readable | undefined, options: FetchOptions, loc: S3ObjectLocation): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      // Abandon the stream at maxBytes + 1: the declared length is not trusted either.
      if (size > options.maxBytes) throw fileTooLarge(options.maxBytes, { bucket: loc.bucket, key: loc.key, bytesRead: size });
      options.budget?.charge(chunk.length, 'download');
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    }
  } finally {
    if (!body.destroyed) body.destroy();
  }
  return Buffer.concat(chunks, size);
}

async function fetchObject(s3: S3Client, loc: S3ObjectLocation, options: FetchOptions): Promise<FetchedObject> {
  const { signal, maxBytes } = options;
  const input = { Bucket: loc.bucket, Key: loc.key };
  const head = await s3.send(new HeadObjectCommand(input), { abortSignal: signal });
  const declared = head.ContentLength;
  if (declared !== undefined && declared > maxBytes) throw fileTooLarge(maxBytes, { bucket: loc.bucket, key: loc.key, declaredBytes: declared });
  if (declared === 0) throw inputError('upload_file_missing', { bucket: loc.bucket, key: loc.key });
  const object = await s3.send(new GetObjectCommand(input), { abortSignal: signal });
  const bytes = await readBody(object.Body as Readable | undefined, options, loc);
  if (bytes.length === 0) throw inputError('upload_file_missing', { bucket: loc.bucket, key: loc.key });
  return { bytes, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function fetchS3Object(s3: S3Client, loc: S3ObjectLocation, options: FetchOptions): Promise<FetchedObject> {
  try {
    return await fetchObject(s3, loc, options);
  } catch (raw) {
    if (options.signal.aborted && !(raw instanceof JobError)) throw options.signal.reason ?? raw;
    const error = classifyS3Error(raw, loc);
    throw options.file === 'survey_ponds' ? toSurveyPondsError(error) : withFileRole(error, 'input');
  }
}
