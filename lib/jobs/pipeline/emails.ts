// Which e-mail goes to whom (contracts.md §9.1), with which Notify reference (§9.3) and
// personalisation (§9.2, built by lib/delivery/personalisation.ts).

import {
  buildCompletedPersonalisation,
  buildFailedPersonalisation,
  buildRejectedPersonalisation,
  notifyReference as baseReference,
  type EmailKind as TemplateKind,
  type Personalisation,
} from '../../delivery/personalisation.js';
import type { AssessmentResultsDocument } from '../../delivery/result-document.js';
import type { ErrorEnvelope } from '../../errors.js';
import type { PlannedSideEffect, SideEffectKind, Verdict } from '../ledger.js';
import type { JobSubject } from './subject.js';

export const EMAIL_KINDS = ['email_completed', 'email_rejected', 'email_failed'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export function isEmailKind(kind: SideEffectKind): kind is EmailKind {
  return (EMAIL_KINDS as readonly string[]).includes(kind);
}

const TEMPLATE: Record<EmailKind, TemplateKind> = { email_completed: 'completed', email_rejected: 'rejected', email_failed: 'failed' };

/** `{jobId}:{kind}` or `msg-{messageId}:{kind}`; attempt series after the first add `:{series}`. */
export function notifyReference(subject: Pick<JobSubject, 'id' | 'message'>, kind: EmailKind, series: number): string {
  const base = baseReference(TEMPLATE[kind], { jobId: subject.id, messageId: subject.message.messageId });
  return series > 1 ? `${base}:${series}` : base;
}

/** The side effects a verdict needs, e-mails with their references (§7.1, §8.3, §9.1, §9.3). */
export function plannedSideEffects(subject: JobSubject, verdict: Verdict, series: number): PlannedSideEffect[] {
  return sideEffectsFor(subject, verdict).map((kind) => planned(subject, kind, series));
}

export function planned(subject: JobSubject, kind: SideEffectKind, series: number): PlannedSideEffect {
  return { kind, notifyReference: isEmailKind(kind) ? notifyReference(subject, kind, series) : null };
}

export function sideEffectsFor(subject: JobSubject, verdict: Verdict): SideEffectKind[] {
  if (verdict === 'completed') return subject.kind === 'file' ? ['callback', 'email_completed'] : ['callback'];
  // Quote jobs have no developer channel: their rejections reach support (§6.2).
  if (subject.kind === 'quote') return ['email_failed'];
  if (subject.kind !== 'file' || subject.id === null) return [];
  // A REJECTED e-mail needs both a valid job_id and a valid developer_email (§9.1).
  return subject.developerEmail !== null ? ['callback', 'email_rejected'] : ['callback'];
}

export interface EmailContext {
  subject: JobSubject;
  series: number;
  resultsBaseUrl: string | null;
  /** The stored result (a completed document) and the rejection error. */
  result: unknown;
  verdictError: ErrorEnvelope | null;
  /** The failure a FAILED e-mail reports, and the class of what was thrown. */
  failure: ErrorEnvelope | null;
  failureClass: string;
  occurredAt: Date;
}

export interface EmailToSend {
  template: TemplateKind;
  /** Developer address; null sends to GOVUK_NOTIFY_SUPPORT_EMAIL (failed only). */
  recipient: string | null;
  personalisation: Personalisation;
  reference: string;
}

/** The e-mail for one row (its stored reference wins), or null when there is nobody to send it to. */
export function composeEmail(kind: EmailKind, ctx: EmailContext, storedReference: string | null): EmailToSend | null {
  const { subject } = ctx;
  const reference = storedReference ?? notifyReference(subject, kind, ctx.series);
  switch (kind) {
    case 'email_completed': {
      if (!subject.developerEmail) return null;
      const document = ctx.result as AssessmentResultsDocument;
      return { template: 'completed', recipient: subject.developerEmail, reference, personalisation: buildCompletedPersonalisation(document, { resultsBaseUrl: ctx.resultsBaseUrl }) };
    }
    case 'email_rejected': {
      if (!subject.developerEmail || !subject.id || !ctx.verdictError) return null;
      const developmentName = subject.job?.developmentName ?? subject.known?.developmentName ?? null;
      return {
        template: 'rejected', recipient: subject.developerEmail, reference,
        personalisation: buildRejectedPersonalisation({ jobId: subject.id, developmentName, assessmentType: subject.assessmentType, error: ctx.verdictError }),
      };
    }
    case 'email_failed': {
      const error = ctx.failure ?? ctx.verdictError;
      if (!error) return null;
      return {
        template: 'failed', recipient: null, reference,
        personalisation: buildFailedPersonalisation({
          jobId: subject.id, jobType: subject.kind, assessmentType: subject.assessmentType, code: error.code, exceptionClass: ctx.failureClass,
          correlationId: subject.correlationId, messageId: subject.message.messageId, attempts: subject.message.receiveCount, occurredAt: ctx.occurredAt,
        }),
      };
    }
  }
}
