// Side-effect rows (contracts.md §7.5 rule 6): `pending` before the call, `sent` / `skipped` /
// `failed_permanent` after it. A row's attempt count tells a resumed delivery whether an earlier
// call may have left the building (then an e-mail is reconciled with Notify before any resend).

import type { Sql } from '../../db/sql.js';
import { toSideEffect, type SideEffectDbRow } from './rows.js';
import type { SideEffectKind, SideEffectRow, SideEffectStatus } from './types.js';

export async function listSideEffects(sql: Sql, jobKey: string): Promise<SideEffectRow[]> {
  const rows = await sql<SideEffectDbRow[]>`
    SELECT kind, status, external_ref, notify_reference, attempts, last_error, sent_at
    FROM nrf_worker.job_side_effect WHERE job_key = ${jobKey}`;
  return rows.map(toSideEffect);
}

/**
 * Marks the row pending and counts the attempt; returns how many attempts came before this one.
 * A reference already on the row wins: it is the one any earlier attempt may have used.
 */
export async function beginSideEffect(sql: Sql, jobKey: string, kind: SideEffectKind, notifyReference: string | null): Promise<number> {
  const [row] = await sql<{ previous: number }[]>`
    INSERT INTO nrf_worker.job_side_effect (job_key, kind, status, notify_reference, attempts)
    VALUES (${jobKey}, ${kind}, 'pending', ${notifyReference}, 1)
    ON CONFLICT (job_key, kind) DO UPDATE SET
      status = 'pending', attempts = job_side_effect.attempts + 1,
      notify_reference = COALESCE(job_side_effect.notify_reference, EXCLUDED.notify_reference), updated_at = now()
    RETURNING attempts - 1 AS previous`;
  if (!row) throw new Error(`side effect ${jobKey}/${kind} was not written`);
  return row.previous;
}

export interface SideEffectResult {
  status: Exclude<SideEffectStatus, 'pending'>;
  externalRef?: string | null;
  lastError?: string | null;
}

export async function finishSideEffect(sql: Sql, jobKey: string, kind: SideEffectKind, result: SideEffectResult): Promise<void> {
  await sql`
    UPDATE nrf_worker.job_side_effect SET
      status = ${result.status}, external_ref = ${result.externalRef ?? null}, last_error = ${result.lastError ?? null},
      sent_at = CASE WHEN ${result.status} = 'sent' THEN now() ELSE sent_at END, updated_at = now()
    WHERE job_key = ${jobKey} AND kind = ${kind}`;
}

/** Records a failed attempt whose outcome is known not to have happened (row stays pending). */
export async function noteSideEffectError(sql: Sql, jobKey: string, kind: SideEffectKind, lastError: string): Promise<void> {
  await sql`UPDATE nrf_worker.job_side_effect SET last_error = ${lastError}, updated_at = now() WHERE job_key = ${jobKey} AND kind = ${kind}`;
}
