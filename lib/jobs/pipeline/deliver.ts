// Side effects, in order: callback, then e-mails (contracts.md §7.5 rule 6, §8, §9). A row is
// `pending` before the call and final after it; a `sent` or `skipped` row is never repeated. A
// pending e-mail that an earlier attempt may already have sent is first looked up at Notify by its
// reference and only resent when Notify has none.

import type { AssessmentResultsDocument } from '../../delivery/result-document.js';
import type { QuotePatchBody } from '../../delivery/quote-patch.js';
import { JobError } from '../../errors.js';
import type { SideEffectKind } from '../ledger.js';
import type { PipelineDeps } from './deps.js';
import { composeEmail, isEmailKind, type EmailContext, type EmailKind } from './emails.js';
import type { StageClock } from './stages.js';

const ORDER: readonly SideEffectKind[] = ['callback', 'email_completed', 'email_rejected', 'email_failed'];

export interface DeliveryRun {
  deps: PipelineDeps;
  clock: StageClock;
  email: EmailContext;
  signal: AbortSignal;
}

/** Sends every pending side effect of the job (optionally only the given kinds), in order. */
export async function deliverPending(run: DeliveryRun, only?: readonly SideEffectKind[]): Promise<void> {
  const { ledger } = run.deps;
  const key = run.email.subject.key;
  const rows = await ledger.sideEffects(key, run.signal);
  for (const kind of ORDER) {
    if (only && !only.includes(kind)) continue;
    const row = rows.find((r) => r.kind === kind);
    if (!row || row.status !== 'pending') continue;
    if (kind === 'callback') await sendCallback(run);
    else if (isEmailKind(kind)) await sendEmail(run, kind, row.notifyReference);
  }
}

async function sendCallback(run: DeliveryRun): Promise<void> {
  const { deps, email: { subject, result }, signal } = run;
  const { ledger, backend } = deps;
  if (!subject.id || result === null || result === undefined) throw new TypeError(`callback planned for ${subject.key} without an id or a stored result`);
  const id = subject.id;
  await ledger.beginSideEffect(subject.key, 'callback', null, signal);
  try {
    const call = { correlationId: subject.correlationId, signal };
    const answer = await run.clock.run('callback', () => (subject.kind === 'quote'
      ? backend.patchQuote(id, result as QuotePatchBody, call)
      : backend.postResults(id, result as AssessmentResultsDocument, call)));
    await ledger.finishSideEffect(subject.key, 'callback', { status: 'sent', externalRef: String(answer.status) }, signal);
  } catch (error) {
    if (error instanceof JobError && error.code === 'callback_rejected') {
      const raw = error.detail.status;
      const status = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : 'unknown';
      await ledger.finishSideEffect(subject.key, 'callback', { status: 'failed_permanent', externalRef: status, lastError: `callback_rejected: HTTP ${status}` }, signal);
    } else if (!signal.aborted) {
      await ledger.noteSideEffectError(subject.key, 'callback', error instanceof JobError ? error.code : 'internal_error', signal).catch(() => undefined);
    }
    throw error;
  }
}

async function sendEmail(run: DeliveryRun, kind: EmailKind, storedReference: string | null): Promise<void> {
  const { deps, signal } = run;
  const { ledger } = deps;
  const key = run.email.subject.key;
  const request = composeEmail(kind, run.email, storedReference);
  if (!request) {
    await ledger.finishSideEffect(key, kind, { status: 'skipped', lastError: 'no_recipient' }, signal);
    return;
  }
  const previousAttempts = await ledger.beginSideEffect(key, kind, request.reference, signal);
  try {
    await run.clock.run('notify', async () => {
      // An earlier attempt may have reached Notify without hearing back (§9.3).
      if (previousAttempts > 0) {
        const found = await deps.email.findByReference(request.reference, signal);
        if (found) {
          await ledger.finishSideEffect(key, kind, { status: 'sent', externalRef: found.id, lastError: 'reconciled' }, signal);
          return;
        }
      }
      const sent = await deps.email.sendEmail(request.template, { recipient: request.recipient, personalisation: request.personalisation, reference: request.reference }, signal);
      if (sent.status === 'sent') await ledger.finishSideEffect(key, kind, { status: 'sent', externalRef: sent.id }, signal);
      else if (sent.status === 'skipped') await ledger.finishSideEffect(key, kind, { status: 'skipped', lastError: sent.reason }, signal);
      else await ledger.finishSideEffect(key, kind, { status: 'failed_permanent', lastError: sent.errorType }, signal);
    });
  } catch (error) {
    // The outcome may be unknown (timeout after the request left): the row stays pending.
    if (!signal.aborted) await ledger.noteSideEffectError(key, kind, error instanceof JobError ? error.code : 'internal_error', signal).catch(() => undefined);
    throw error;
  }
}
