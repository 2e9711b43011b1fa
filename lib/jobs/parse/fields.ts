// The payload part of a Job: every §4.1 property that payloadSha256 covers (all but correlation*
// and message).

import type { Job } from '../types.js';

export type JobFields = Omit<Job, 'correlationId' | 'correlationSource' | 'message' | 'payloadSha256' | 'parseWarnings'>;

/** File-job fields that passed validation in a message that failed it (the rejected document's `job`). */
export interface KnownFileFields {
  developmentName: string | null;
  dwellingType: string | null;
  numberOfDwellings: number | null;
  submittedAt: string | null;
  input: { bucket: string; key: string } | null;
  surveyPonds: { bucket: string; key: string } | null;
}

/** What is known about a message that failed validation (for the ledger key and e-mails). */
export interface PartialIdentity {
  jobId: string | null;
  developerEmail: string | null;
  assessmentType: Job['assessmentType'] | null;
  /** File jobs only. */
  known: KnownFileFields | null;
}
