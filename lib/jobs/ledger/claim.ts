// The claim (contracts.md §7.5 rules 1–5): lock the job's row, decide what this delivery may do,
// take the lease when it will do work, and write the delivery's audit row — one transaction.

import type { Sql } from '../../db/sql.js';
import { LEDGER_COLUMNS, toRecord, type LedgerRow, type SideEffectDbRow } from './rows.js';
import type { ClaimDecision, DeliveryRef, LedgerIdentity } from './types.js';

export interface ClaimInput {
  identity: LedgerIdentity;
  delivery: DeliveryRef;
  owner: string;
  leaseSeconds: number;
}

/** How the row changes when this delivery goes ahead. */
type Plan =
  | { kind: 'none'; decision: ClaimDecision }
  /** Same series, one more attempt. */
  | { kind: 'continue'; resume: boolean }
  /** New series, nothing kept (a different payload under the same key). */
  | { kind: 'fresh' }
  /**
   * New series after `failed` on a fresh delivery: keep the verdict and result, forget the FAILED
   * e-mail, and make permanently failed side effects pending again.
   */
  | { kind: 'reopen'; resume: boolean };

export function planClaim(row: LedgerRow, identity: LedgerIdentity, receiveCount: number, owner: string): Plan {
  if (row.lease_live && row.lease_owner !== null && row.lease_owner !== owner) {
    return { kind: 'none', decision: { action: 'in_progress', leaseOwner: row.lease_owner, leaseExpiresAt: row.lease_expires_at ?? new Date(0) } };
  }
  const sameHash = row.payload_sha256 === identity.payloadSha256;
  switch (row.state) {
    case 'succeeded':
      return { kind: 'none', decision: { action: 'duplicate', conflict: !sameHash } };
    case 'rejected':
      return sameHash ? { kind: 'continue', resume: true } : { kind: 'fresh' };
    case 'failed':
      if (receiveCount !== 1) return { kind: 'none', decision: { action: 'failed_skip', record: toRecord(row, []) } };
      return sameHash ? { kind: 'reopen', resume: row.verdict !== null } : { kind: 'fresh' };
    case 'processing':
    case 'assessed':
      if (!sameHash) return { kind: 'fresh' };
      return { kind: 'continue', resume: row.verdict !== null };
  }
}

export async function claimJob(sql: Sql, input: ClaimInput): Promise<ClaimDecision> {
  const { identity, delivery, owner, leaseSeconds } = input;
  return sql.begin(async (tx) => {
    await tx`
      INSERT INTO nrf_worker.job_delivery (message_id, receive_count, job_key, received_at)
      VALUES (${delivery.messageId}, ${delivery.receiveCount}, ${identity.jobKey}, ${delivery.receivedAt})
      ON CONFLICT (message_id, receive_count) DO UPDATE SET job_key = EXCLUDED.job_key`;
    const inserted = await tx`
      INSERT INTO nrf_worker.job_ledger (job_key, job_kind, job_id, assessment_type, payload_sha256, state, correlation_id,
        lease_owner, lease_expires_at, attempt_series, attempts)
      VALUES (${identity.jobKey}, ${identity.jobKind}, ${identity.jobId}, ${identity.assessmentType}, ${identity.payloadSha256},
        'processing', ${identity.correlationId}, ${owner}, now() + make_interval(secs => ${leaseSeconds}), 1, 1)
      ON CONFLICT (job_key) DO NOTHING
      RETURNING job_key`;
    if (inserted.length > 0) return { action: 'process', series: 1, attempt: 1, newSeries: true } satisfies ClaimDecision;

    const rows = await tx.unsafe<LedgerRow[]>(`SELECT ${LEDGER_COLUMNS} FROM nrf_worker.job_ledger WHERE job_key = $1 FOR UPDATE`, [identity.jobKey]);
    const row = rows[0];
    if (!row) throw new Error(`ledger row ${identity.jobKey} vanished inside its claim`);
    const plan = planClaim(row, identity, delivery.receiveCount, owner);
    if (plan.kind === 'none') return plan.decision;

    if (plan.kind === 'fresh') {
      await tx`DELETE FROM nrf_worker.job_side_effect WHERE job_key = ${identity.jobKey}`;
    } else if (plan.kind === 'reopen') {
      // A redrive follows a fix (data, peer, template): what failed for good may now succeed.
      await tx`DELETE FROM nrf_worker.job_side_effect WHERE job_key = ${identity.jobKey} AND kind = 'email_failed'`;
      await tx`UPDATE nrf_worker.job_side_effect SET status = 'pending', updated_at = now() WHERE job_key = ${identity.jobKey} AND status = 'failed_permanent'`;
    }
    const newSeries = plan.kind !== 'continue';
    const keep = plan.kind === 'continue' || plan.kind === 'reopen';
    const [updated] = await tx<{ attempt_series: number; attempts: number }[]>`
      UPDATE nrf_worker.job_ledger SET
        job_kind = ${identity.jobKind}, job_id = ${identity.jobId}, assessment_type = ${identity.assessmentType},
        payload_sha256 = ${identity.payloadSha256}, correlation_id = ${identity.correlationId},
        lease_owner = ${owner}, lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
        attempt_series = attempt_series + ${newSeries ? 1 : 0},
        attempts = CASE WHEN ${newSeries} THEN 1 ELSE attempts + 1 END,
        state = CASE
          WHEN NOT ${keep} THEN 'processing'
          WHEN state <> 'failed' THEN state
          WHEN verdict = 'completed' THEN 'assessed'
          WHEN verdict = 'rejected' THEN 'rejected'
          ELSE 'processing' END,
        verdict = CASE WHEN ${keep} THEN verdict ELSE NULL END,
        verdict_error = CASE WHEN ${keep} THEN verdict_error ELSE NULL END,
        result = CASE WHEN ${keep} THEN result ELSE NULL END,
        error_code = CASE WHEN ${keep} THEN error_code ELSE NULL END,
        error_detail = CASE WHEN ${keep} THEN error_detail ELSE NULL END,
        finished_at = NULL, updated_at = now()
      WHERE job_key = ${identity.jobKey}
      RETURNING attempt_series, attempts`;
    if (!updated) throw new Error(`ledger row ${identity.jobKey} vanished inside its claim`);
    const resume = plan.kind !== 'fresh' && plan.resume;
    if (!resume) return { action: 'process', series: updated.attempt_series, attempt: updated.attempts, newSeries } satisfies ClaimDecision;

    const after = await tx.unsafe<LedgerRow[]>(`SELECT ${LEDGER_COLUMNS} FROM nrf_worker.job_ledger WHERE job_key = $1`, [identity.jobKey]);
    const effects = await tx<SideEffectDbRow[]>`
      SELECT kind, status, external_ref, notify_reference, attempts, last_error, sent_at
      FROM nrf_worker.job_side_effect WHERE job_key = ${identity.jobKey}`;
    const record = toRecord(after[0] ?? row, effects);
    return { action: 'resume', series: updated.attempt_series, attempt: updated.attempts, newSeries, record } satisfies ClaimDecision;
  });
}
