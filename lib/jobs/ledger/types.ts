// Job ledger vocabulary (contracts.md §7.4). The ledger makes side effects happen at most once per
// job key and remembers each job's verdict across deliveries.

import type { ErrorEnvelope } from '../../errors.js';
import type { AssessmentType, JobKind } from '../types.js';

export type LedgerState = 'processing' | 'assessed' | 'succeeded' | 'rejected' | 'failed';
export type SideEffectKind = 'callback' | 'email_completed' | 'email_rejected' | 'email_failed';
export type SideEffectStatus = 'pending' | 'sent' | 'skipped' | 'failed_permanent';
/** What the job itself concluded, independent of whether delivery has finished. */
export type Verdict = 'completed' | 'rejected';

/** Who the job is, as far as the message told us. */
export interface LedgerIdentity {
  jobKey: string;
  jobKind: JobKind | 'unknown';
  jobId: string | null;
  assessmentType: AssessmentType | null;
  payloadSha256: string;
  correlationId: string;
}

export interface DeliveryRef {
  messageId: string;
  receiveCount: number;
  receivedAt: Date;
}

export interface SideEffectRow {
  kind: SideEffectKind;
  status: SideEffectStatus;
  externalRef: string | null;
  notifyReference: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
}

export interface LedgerRecord {
  jobKey: string;
  state: LedgerState;
  payloadSha256: string;
  verdict: Verdict | null;
  verdictError: ErrorEnvelope | null;
  /** The §8.3 result document (file job) or the PATCH body (quote job). */
  result: unknown;
  errorCode: string | null;
  series: number;
  attempts: number;
  sideEffects: SideEffectRow[];
}

/**
 * What a delivery must do (contracts.md §7.5):
 * - `process`: compute from scratch (new key, a fresh series, or an earlier attempt that stored nothing);
 * - `resume`: the verdict and result are stored; deliver the side effects not yet sent or skipped;
 * - `duplicate`: the key succeeded; delete the message, nothing else;
 * - `in_progress`: another consumer holds a live lease;
 * - `failed_skip`: the key failed and this is not a fresh delivery (receive count > 1).
 */
export type ClaimDecision =
  | { action: 'process'; series: number; attempt: number; newSeries: boolean }
  | { action: 'resume'; series: number; attempt: number; newSeries: boolean; record: LedgerRecord }
  | { action: 'duplicate'; conflict: boolean }
  | { action: 'in_progress'; leaseOwner: string; leaseExpiresAt: Date }
  | { action: 'failed_skip'; record: LedgerRecord };

