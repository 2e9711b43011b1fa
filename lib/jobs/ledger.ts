// The job ledger (contracts.md §7.4–7.5): one row per job key with its state, verdict, stored
// result and lease; one row per side effect; one audit row per receive. Every unit of work goes
// through withDbRetry, so a passing database fault is retried and an exhausted one becomes the
// transient `db_unavailable`.

import type { Sql } from '../db/sql.js';
import { withDbRetry, type RetryKey } from '../db/retry.js';
import type { ErrorEnvelope } from '../errors.js';
import { claimJob } from './ledger/claim.js';
import { beginSideEffect, finishSideEffect, listSideEffects, noteSideEffectError, type SideEffectResult } from './ledger/side-effects.js';
import type { ClaimDecision, DeliveryRef, LedgerIdentity, LedgerState, SideEffectKind, SideEffectRow, Verdict } from './ledger/types.js';
import type { Outcome } from './types.js';

export type * from './ledger/types.js';
export type { SideEffectResult } from './ledger/side-effects.js';

export interface LedgerOptions {
  /** Lease owner: `${hostname}:${pid}:${slot}`. */
  owner: string;
  /** SQS_VISIBILITY_TIMEOUT: the lease lasts as long as the message's own. */
  leaseSeconds: number;
  onRetry?: (key: RetryKey) => void;
}

export interface StoreVerdictInput {
  verdict: Verdict;
  /** `assessed` for a completed job still delivering; `rejected` for a rejection. */
  state: Extract<LedgerState, 'assessed' | 'rejected'>;
  result: unknown;
  verdictError: ErrorEnvelope | null;
  /**
   * Side effects this verdict needs, created `pending` in the same transaction (kept if present).
   * E-mail rows carry their Notify reference from the start, so it never changes across attempts.
   */
  sideEffects: PlannedSideEffect[];
}

export interface PlannedSideEffect {
  kind: SideEffectKind;
  notifyReference: string | null;
}

export interface FinishInput {
  /** The state to leave the row in; omitted keeps the current one (retry, abandoned). */
  state?: LedgerState;
  error: ErrorEnvelope | null;
}

export interface Ledger {
  claim(identity: LedgerIdentity, delivery: DeliveryRef, signal: AbortSignal): Promise<ClaimDecision>;
  renewLease(jobKey: string, signal: AbortSignal): Promise<boolean>;
  storeVerdict(jobKey: string, input: StoreVerdictInput, signal: AbortSignal): Promise<void>;
  sideEffects(jobKey: string, signal: AbortSignal): Promise<SideEffectRow[]>;
  planSideEffect(jobKey: string, effect: PlannedSideEffect, signal: AbortSignal): Promise<void>;
  beginSideEffect(jobKey: string, kind: SideEffectKind, notifyReference: string | null, signal: AbortSignal): Promise<number>;
  finishSideEffect(jobKey: string, kind: SideEffectKind, result: SideEffectResult, signal: AbortSignal): Promise<void>;
  noteSideEffectError(jobKey: string, kind: SideEffectKind, lastError: string, signal: AbortSignal): Promise<void>;
  /** Ends the attempt: state, last error, and the lease released whatever the outcome. */
  /** Records the attempt's end and releases the lease; false when another consumer holds the row. */
  finish(jobKey: string, input: FinishInput, signal: AbortSignal): Promise<boolean>;
  settleDelivery(delivery: DeliveryRef, outcome: Outcome, visibilitySeconds: number | null, signal: AbortSignal): Promise<void>;
}

export function createLedger(sql: Sql, options: LedgerOptions): Ledger {
  const { owner, leaseSeconds } = options;
  const run = async <T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> => {
    signal.throwIfAborted();
    return withDbRetry(fn, { signal, onRetry: (key) => options.onRetry?.(key) });
  };
  const json = (value: unknown) => sql.json(value as Parameters<Sql['json']>[0]);

  return {
    claim: (identity, delivery, signal) => run(() => claimJob(sql, { identity, delivery, owner, leaseSeconds }), signal),

    renewLease: (jobKey, signal) => run(async () => {
      const rows = await sql`
        UPDATE nrf_worker.job_ledger SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
        WHERE job_key = ${jobKey} AND lease_owner = ${owner} RETURNING job_key`;
      return rows.length > 0;
    }, signal),

    storeVerdict: (jobKey, input, signal) => run(() => sql.begin(async (tx) => {
      await tx`
        UPDATE nrf_worker.job_ledger SET state = ${input.state}, verdict = ${input.verdict},
          result = ${input.result === null || input.result === undefined ? null : JSON.stringify(input.result)}::text::json,
          verdict_error = ${input.verdictError ? json(input.verdictError) : null}, updated_at = now()
        WHERE job_key = ${jobKey}`;
      for (const effect of input.sideEffects) {
        await tx`INSERT INTO nrf_worker.job_side_effect (job_key, kind, status, notify_reference)
          VALUES (${jobKey}, ${effect.kind}, 'pending', ${effect.notifyReference}) ON CONFLICT DO NOTHING`;
      }
    }).then(() => undefined), signal),

    sideEffects: (jobKey, signal) => run(() => listSideEffects(sql, jobKey), signal),

    planSideEffect: (jobKey, effect, signal) => run(async () => {
      await sql`INSERT INTO nrf_worker.job_side_effect (job_key, kind, status, notify_reference)
        VALUES (${jobKey}, ${effect.kind}, 'pending', ${effect.notifyReference}) ON CONFLICT DO NOTHING`;
    }, signal),

    beginSideEffect: (jobKey, kind, reference, signal) => run(() => beginSideEffect(sql, jobKey, kind, reference), signal),
    finishSideEffect: (jobKey, kind, result, signal) => run(() => finishSideEffect(sql, jobKey, kind, result), signal),
    noteSideEffectError: (jobKey, kind, lastError, signal) => run(() => noteSideEffectError(sql, jobKey, kind, lastError), signal),

    finish: (jobKey, input, signal) => run(async () => {
      const terminal = input.state === 'succeeded' || input.state === 'rejected' || input.state === 'failed';
      const updated = await sql`
        UPDATE nrf_worker.job_ledger SET
          state = COALESCE(${input.state ?? null}, state),
          error_code = ${input.error?.code ?? null},
          error_detail = ${input.error ? json(input.error.detail) : null},
          finished_at = CASE WHEN ${terminal} THEN now() ELSE finished_at END,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE job_key = ${jobKey} AND (lease_owner = ${owner} OR lease_owner IS NULL)`;
      return updated.count > 0;
    }, signal),

    settleDelivery: (delivery, outcome, visibilitySeconds, signal) => run(async () => {
      await sql`
        UPDATE nrf_worker.job_delivery SET outcome = ${outcome}, visibility_set_s = ${visibilitySeconds}
        WHERE message_id = ${delivery.messageId} AND receive_count = ${delivery.receiveCount}`;
    }, signal),
  };
}
