// Message → Job (contracts.md §1.2–§4). Both message shapes become one immutable Job before any
// processing; nothing downstream reads the raw message. A message that cannot become a Job yields
// `invalid_message` plus whatever identity could be salvaged (ledger key, e-mail recipient).

import { JobError } from '../errors.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { chooseCorrelation, snsCorrelationAttribute, type Correlation, type CorrelationSkip } from './parse/correlation.js';
import { decodeBody } from './parse/decode.js';
import { FILE_JOB_FIELDS, readFileJob, type FieldsResult } from './parse/file-job.js';
import type { JobFields, KnownFileFields, PartialIdentity } from './parse/fields.js';
import { QUOTE_JOB_FIELDS, readQuoteJob, unknownBoundaryKeys } from './parse/quote-job.js';
import type { Violation } from './parse/violations.js';
import type { AssessmentType, Job, JobKind, MessageMeta, ReceivedMessage } from './types.js';

export { MAX_BODY_BYTES } from './parse/decode.js';
export type { Violation } from './parse/violations.js';
export type { KnownFileFields } from './parse/fields.js';
export type { Correlation, CorrelationSkip } from './parse/correlation.js';

export interface ParseOptions {
  quoteReferencePattern: RegExp;
  allowedBuckets: readonly string[];
  inputBucket: string;
  /** Quote jobs take submittedAt from SentTimestamp; this clock is the fallback when it is absent. */
  now?: () => Date;
  /** Injectable for tests; defaults to crypto.randomUUID. */
  generateId?: () => string;
}

/** What is known about a message that failed validation. */
export interface PartialJob {
  /** `file:{job_id}` / `quote:{reference}` when the id is valid, else `msg:{messageId}`. */
  jobKey: string;
  jobKind: JobKind | 'unknown';
  jobId: string | null;
  developerEmail: string | null;
  assessmentType: AssessmentType | null;
  /** File-job fields that did pass validation (null for other shapes). */
  known: KnownFileFields | null;
  correlationId: string;
  correlationSource: Correlation['source'];
  message: MessageMeta;
  /** No canonical payload exists, so the raw body's SHA-256 stands in (ledger rule 3). */
  payloadSha256: string;
}

interface Diagnostics {
  /** Unknown key names (never values): count them and log the names at debug. */
  unknownFields: string[];
  /** Correlation candidates skipped as unusable: log a warning per entry. */
  correlationSkipped: CorrelationSkip[];
}

export type ParseResult = ({ job: Job; error?: undefined; partial?: undefined } | { job?: undefined; error: JobError; partial: PartialJob }) & Diagnostics;

export function parseMessage(message: ReceivedMessage, options: ParseOptions): ParseResult {
  const meta: MessageMeta = {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    receiveCount: message.receiveCount,
    sentTimestamp: message.sentTimestamp,
    bodySha256: sha256Hex(message.body),
  };
  const decoded = decodeBody(message.body);
  const { correlation, skipped } = chooseCorrelation(
    {
      sqsAttribute: message.attributes.CorrelationId,
      snsAttribute: snsCorrelationAttribute(decoded.envelope),
      bodyTraceId: decoded.body?.traceId,
    },
    options.generateId,
  );

  if (!decoded.ok) {
    return {
      error: invalidMessage([decoded.violation]),
      partial: partialOf(meta, correlation, 'unknown', { jobId: null, developerEmail: null, assessmentType: null, known: null }),
      unknownFields: [],
      correlationSkipped: skipped,
    };
  }

  const { shape, body } = decoded;
  let read: FieldsResult;
  let unknownFields: string[];
  if (shape === 'file') {
    read = readFileJob(body, options);
    unknownFields = Object.keys(body).filter((key) => !(FILE_JOB_FIELDS as readonly string[]).includes(key));
  } else {
    read = readQuoteJob(body, { quoteReferencePattern: options.quoteReferencePattern, submittedAt: quoteSubmittedAt(message, options) });
    unknownFields = [...Object.keys(body).filter((key) => !(QUOTE_JOB_FIELDS as readonly string[]).includes(key)), ...unknownBoundaryKeys(body)];
  }

  if (!read.fields) {
    return {
      error: invalidMessage(read.violations),
      partial: partialOf(meta, correlation, shape, read.identity),
      unknownFields,
      correlationSkipped: skipped,
    };
  }
  const job: Job = Object.freeze({
    ...read.fields,
    correlationId: correlation.id,
    correlationSource: correlation.source,
    message: meta,
    payloadSha256: payloadSha256(read.fields),
    parseWarnings: read.warnings,
  });
  return { job, unknownFields, correlationSkipped: skipped };
}

/** SHA-256 of the canonical JSON of every §4.1 property except correlation* and message. */
export function payloadSha256(fields: JobFields): string {
  const hashed: JobFields = {
    kind: fields.kind,
    key: fields.key,
    id: fields.id,
    assessmentType: fields.assessmentType,
    developmentName: fields.developmentName,
    dwellingCategory: fields.dwellingCategory,
    dwellings: fields.dwellings,
    developerEmail: fields.developerEmail,
    submittedAt: fields.submittedAt,
    input: fields.input,
    surveyPonds: fields.surveyPonds,
    quote: fields.quote,
  };
  return sha256Hex(canonicalJson(hashed));
}

function invalidMessage(violations: Violation[]): JobError {
  const first = violations[0] ?? { field: 'body', reason: 'invalid' };
  return new JobError('invalid_message', {
    detail: { field: first.field, reason: first.reason, violations: violations.map((v) => ({ ...v })) },
  });
}

function partialOf(
  meta: MessageMeta,
  correlation: Correlation,
  kind: JobKind | 'unknown',
  identity: PartialIdentity,
): PartialJob {
  const jobKey = kind !== 'unknown' && identity.jobId ? `${kind}:${identity.jobId}` : `msg:${meta.messageId}`;
  return {
    jobKey,
    jobKind: kind,
    jobId: kind !== 'unknown' ? identity.jobId : null,
    developerEmail: kind === 'file' ? identity.developerEmail : null,
    assessmentType: kind !== 'unknown' ? identity.assessmentType : null,
    known: kind === 'file' ? identity.known : null,
    correlationId: correlation.id,
    correlationSource: correlation.source,
    message: meta,
    payloadSha256: meta.bodySha256,
  };
}

function quoteSubmittedAt(message: ReceivedMessage, options: ParseOptions): string {
  if (message.sentTimestamp !== null && Number.isFinite(message.sentTimestamp)) return new Date(message.sentTimestamp).toISOString();
  return (options.now?.() ?? new Date()).toISOString();
}
