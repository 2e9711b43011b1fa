// Row mapping between postgres.js results and the ledger types.

import type { ErrorEnvelope } from '../../errors.js';
import type { LedgerRecord, LedgerState, SideEffectKind, SideEffectRow, SideEffectStatus, Verdict } from './types.js';

export interface LedgerRow {
  job_key: string;
  state: LedgerState;
  payload_sha256: string;
  verdict: Verdict | null;
  verdict_error: ErrorEnvelope | null;
  result: unknown;
  error_code: string | null;
  attempt_series: number;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  lease_live: boolean;
}

export interface SideEffectDbRow {
  kind: SideEffectKind;
  status: SideEffectStatus;
  external_ref: string | null;
  notify_reference: string | null;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
}

/** Columns selected for a LedgerRow; `lease_live` is computed against the database clock. */
export const LEDGER_COLUMNS = `job_key, state, payload_sha256, verdict, verdict_error, result, error_code, attempt_series, attempts,
  lease_owner, lease_expires_at, (lease_owner IS NOT NULL AND lease_expires_at > now()) AS lease_live`;

export function toSideEffect(row: SideEffectDbRow): SideEffectRow {
  return {
    kind: row.kind,
    status: row.status,
    externalRef: row.external_ref,
    notifyReference: row.notify_reference,
    attempts: row.attempts,
    lastError: row.last_error,
    sentAt: row.sent_at,
  };
}

export function toRecord(row: LedgerRow, sideEffects: SideEffectDbRow[]): LedgerRecord {
  return {
    jobKey: row.job_key,
    state: row.state,
    payloadSha256: row.payload_sha256,
    verdict: row.verdict,
    verdictError: row.verdict_error,
    result: row.result,
    errorCode: row.error_code,
    series: row.attempt_series,
    attempts: row.attempts,
    sideEffects: sideEffects.map(toSideEffect),
  };
}
