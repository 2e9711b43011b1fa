// One view over "who this delivery is about", whether the message became a Job or only a partial
// identity (invalid_message). The ledger key, e-mails and the rejected document read from here.

import type { LedgerIdentity } from '../ledger.js';
import type { KnownFileFields, PartialJob } from '../parse.js';
import type { AssessmentType, Job, JobKind, MessageMeta } from '../types.js';

export interface JobSubject {
  key: string;
  kind: JobKind | 'unknown';
  /** Job id (file) or reference (quote); null when the message had no usable id. */
  id: string | null;
  assessmentType: AssessmentType | null;
  developerEmail: string | null;
  correlationId: string;
  payloadSha256: string;
  message: MessageMeta;
  job: Job | null;
  /** File-job fields known to be valid when the message failed validation. */
  known: KnownFileFields | null;
}

export function subjectOfJob(job: Job): JobSubject {
  return {
    key: job.key,
    kind: job.kind,
    id: job.id,
    assessmentType: job.assessmentType,
    developerEmail: job.developerEmail,
    correlationId: job.correlationId,
    payloadSha256: job.payloadSha256,
    message: job.message,
    job,
    known: null,
  };
}

export function subjectOfPartial(partial: PartialJob): JobSubject {
  return {
    key: partial.jobKey,
    kind: partial.jobKind,
    id: partial.jobId,
    assessmentType: partial.assessmentType,
    developerEmail: partial.developerEmail,
    correlationId: partial.correlationId,
    payloadSha256: partial.payloadSha256,
    message: partial.message,
    job: null,
    known: partial.known,
  };
}

export function ledgerIdentity(subject: JobSubject): LedgerIdentity {
  return {
    jobKey: subject.key,
    jobKind: subject.kind,
    jobId: subject.id,
    assessmentType: subject.assessmentType,
    payloadSha256: subject.payloadSha256,
    correlationId: subject.correlationId,
  };
}
