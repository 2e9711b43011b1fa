// Terminology:
//   message  — one SQS delivery (id, receipt handle, receive count).
//   job      — the normalised unit of work both message shapes become (contracts.md §4.1).
//   outcome  — how an attempt ended (contracts.md §7.1); the worker maps it to one queue action.
//   ledger   — Postgres rows that make side effects happen at most once per job (§7.4).

import type { Polygon, MultiPolygon, Geometry } from 'geojson';
import type { ErrorEnvelope } from '../errors.js';

export type AssessmentType = 'nutrient' | 'gcn';
export type JobKind = 'file' | 'quote';
export type CorrelationSource = 'sqs-attribute' | 'sns-attribute' | 'body' | 'generated';

/** What the worker loop hands to the job runner. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  receiveCount: number;
  sentTimestamp: number | null;
  /** SQS message attributes, string values only. */
  attributes: Record<string, string>;
}

export interface MessageMeta {
  messageId: string;
  receiptHandle: string;
  receiveCount: number;
  sentTimestamp: number | null;
  bodySha256: string;
}

export interface S3Location {
  bucket: string;
  key: string;
}

export type JobInput =
  | { source: 's3'; bucket: string; key: string }
  | { source: 'inline'; geometry: Geometry | Polygon | MultiPolygon | Record<string, unknown>; declaredCrs: unknown };

export interface QuoteDetails {
  intersectingEdpLabels: (string | null)[];
  developmentTypes: string[];
  peopleCount: number | null;
  wasteWaterTreatmentWorksId: string | null;
}

/** A machine-readable warning attached to a job's result (`{code, message, rlbId?}`, contracts.md §8.3). */
export interface JobWarning {
  code: string;
  message: string;
  rlbId?: number;
}

export interface Job {
  kind: JobKind;
  key: string;
  id: string;
  assessmentType: AssessmentType;
  developmentName: string;
  dwellingCategory: string;
  dwellings: number;
  developerEmail: string | null;
  submittedAt: string;
  input: JobInput;
  surveyPonds: S3Location | null;
  quote: QuoteDetails | null;
  correlationId: string;
  correlationSource: CorrelationSource;
  message: MessageMeta;
  payloadSha256: string;
  /** Warnings found while parsing (survey_ponds_ignored); not part of payloadSha256. */
  parseWarnings: JobWarning[];
}

export type Outcome = 'succeeded' | 'duplicate' | 'rejected' | 'failed' | 'retry' | 'final_failure' | 'abandoned';

/** What the job runner returns to the worker loop; ack.ts turns it into one queue action. */
export interface JobResult {
  outcome: Outcome;
  jobType: AssessmentType | 'unknown';
  error: ErrorEnvelope | null;
}

export interface JobRunContext {
  /** Fires on the job deadline (reason `timeout`) or shutdown abort (reason `shutdown`). */
  signal: AbortSignal;
  receivedAt: Date;
}

/** The seam between the worker loop and the job pipeline. */
export interface JobRunner {
  run(message: ReceivedMessage, context: JobRunContext): Promise<JobResult>;
}
