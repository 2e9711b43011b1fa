// One delivery of one message, start to JobResult: parse → claim → (compute → store) or resume →
// side effects → ledger state. Every result is stored before any callback, the ledger is always
// left consistent and the lease released, and the JobResult alone tells lib/worker/ack.ts what
// to do with the message.

import { randomUUID } from 'node:crypto';
import type Logger from 'bunyan';
import { JobError, isErrorCode, type ErrorEnvelope } from '../../errors.js';
import type { ClaimDecision, DeliveryRef } from '../ledger.js';
import { parseMessage, type ParseResult } from '../parse.js';
import type { JobResult, JobRunContext, ReceivedMessage } from '../types.js';
import { computeVerdict } from './compute.js';
import { deliverPending } from './deliver.js';
import type { PipelineDeps } from './deps.js';
import { planned, type EmailContext } from './emails.js';
import { exceptionClassOf } from '../../delivery/personalisation.js';
import { classifyFailure, plannedVisibility, transientOutcome } from './outcome.js';
import { StageClock } from './stages.js';
import { ledgerIdentity, subjectOfJob, subjectOfPartial, type JobSubject } from './subject.js';

/** Budget of the writes that close an attempt; never the job's signal, which may have fired. */
const SETTLE_TIMEOUT_MS = 20_000;
const settleSignal = (): AbortSignal => AbortSignal.timeout(SETTLE_TIMEOUT_MS);

interface Attempt {
  deps: PipelineDeps;
  message: ReceivedMessage;
  context: JobRunContext;
  clock: StageClock;
  subject: JobSubject;
  parsed: ParseResult;
  log: () => Logger;
}

export async function runAttempt(deps: PipelineDeps, message: ReceivedMessage, context: JobRunContext): Promise<JobResult> {
  const logContext = deps.logging.context;
  const log = (): Logger => logContext.log().child({ component: 'pipeline' });
  const clock = new StageClock(deps.metrics, log);
  const parsed = await clock.run('parse', () => parseMessage(message, {
    quoteReferencePattern: deps.config.quoteReferencePattern,
    allowedBuckets: deps.config.s3.allowedBuckets,
    inputBucket: deps.config.s3.inputBucket,
    now: deps.now,
    // The worker opened the log scope with a generated id when the message had none: reuse it.
    generateId: () => logContext.current()?.traceId ?? randomUUID(),
  }));
  const subject = parsed.job ? subjectOfJob(parsed.job) : subjectOfPartial(parsed.partial);
  clock.jobType = subject.assessmentType ?? 'unknown';
  logContext.update({ traceId: subject.correlationId, jobId: subject.id, jobKey: subject.key, jobKind: subject.kind });
  reportParse(deps, parsed, log);

  const attempt: Attempt = { deps, message, context, clock, subject, parsed, log };
  const delivery: DeliveryRef = { messageId: message.messageId, receiveCount: message.receiveCount, receivedAt: context.receivedAt };
  let result: JobResult;
  try {
    const decision = await clock.run('ledger', () => deps.ledger.claim(ledgerIdentity(subject), delivery, context.signal));
    result = await act(attempt, decision);
  } catch (error) {
    // The claim itself failed (database down, or aborted): nothing was changed, nothing is sent.
    const failure = classifyFailure(error, context.signal, message.receiveCount, deps.config.sqs.maxReceiveCount);
    log().error({ err: error, failure: { code: failure.error.code, kind: failure.error.kind } }, 'could not claim the job');
    result = { outcome: failure.outcome, jobType: clock.jobType, error: failure.error.toEnvelope() };
  }
  const visibility = plannedVisibility(result.outcome, message.receiveCount, deps.config.sqs.visibilityTimeout);
  await deps.ledger.settleDelivery(delivery, result.outcome, visibility, settleSignal())
    .catch((error: unknown) => log().warn({ err: error }, 'could not record the delivery outcome'));
  return result;
}

function reportParse(deps: PipelineDeps, parsed: ParseResult, log: () => Logger): void {
  if (parsed.unknownFields.length > 0) {
    deps.metrics.unknownFields.inc(parsed.unknownFields.length);
    log().debug({ unknownFields: parsed.unknownFields }, 'unknown message fields ignored');
  }
  if (parsed.error) {
    log().warn({ failure: { code: parsed.error.code, field: parsed.error.detail.field, reason: parsed.error.detail.reason } }, 'message rejected by validation');
  }
}

async function act(attempt: Attempt, decision: ClaimDecision): Promise<JobResult> {
  const { deps, message, clock, log } = attempt;
  const jobType = clock.jobType;
  switch (decision.action) {
    case 'duplicate':
      if (decision.conflict) log().warn({ warning: { code: 'job_key_conflict' } }, 'job already succeeded with a different payload; message dropped');
      else log().info('job already succeeded; duplicate delivery dropped');
      return { outcome: 'duplicate', jobType, error: null };
    case 'in_progress': {
      // Another consumer owns the job: no ledger change and no e-mail, even on the last receive.
      const failure = transientOutcome(new JobError('job_in_progress', { detail: { leaseExpiresAt: decision.leaseExpiresAt.toISOString() } }), message.receiveCount, deps.config.sqs.maxReceiveCount);
      log().warn({ lease: { owner: decision.leaseOwner, expiresAt: decision.leaseExpiresAt } }, 'job in progress elsewhere');
      return { outcome: failure.outcome, jobType, error: failure.error.toEnvelope() };
    }
    case 'failed_skip': {
      const code = decision.record.errorCode;
      const error = new JobError(isErrorCode(code) ? code : 'internal_error', { detail: { previous: code } });
      log().info({ failure: { code } }, 'job failed earlier; only a fresh delivery retries it');
      return { outcome: 'failed', jobType, error: error.toEnvelope() };
    }
    case 'process':
    case 'resume':
      return withLease(attempt, () => work(attempt, decision));
  }
}

async function withLease<T>(attempt: Attempt, fn: () => Promise<T>): Promise<T> {
  const { deps, subject, log } = attempt;
  const everyMs = Math.max(1, Math.floor(deps.config.sqs.visibilityTimeout / 3)) * 1000;
  const timer = setInterval(() => {
    deps.ledger.renewLease(subject.key, AbortSignal.timeout(everyMs))
      .then((held) => { if (!held) log().warn('ledger lease lost to another consumer'); })
      .catch((error: unknown) => log().warn({ err: error }, 'ledger lease renewal failed'));
  }, everyMs);
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

async function work(attempt: Attempt, decision: Extract<ClaimDecision, { action: 'process' | 'resume' }>): Promise<JobResult> {
  const { deps, clock, subject, context, message, log } = attempt;
  const { ledger } = deps;
  const signal = context.signal;
  const email: EmailContext = {
    subject, series: decision.series, resultsBaseUrl: deps.config.notify.resultsBaseUrl,
    result: null, verdictError: null, failure: null, failureClass: 'JobError', occurredAt: deps.now(),
  };
  try {
    let verdict: { verdict: 'completed' | 'rejected'; result: unknown; error: ErrorEnvelope | null };
    if (decision.action === 'resume' && decision.record.verdict !== null) {
      log().info({ ledger: { state: decision.record.state, series: decision.series, attempt: decision.attempt } }, 'resuming from the stored result');
      verdict = { verdict: decision.record.verdict, result: decision.record.result, error: decision.record.verdictError };
    } else {
      const startedAt = deps.now();
      const warnings = (subject.job?.parseWarnings ?? []).map((w) => ({ code: w.code, message: w.message }));
      const computed = await computeVerdict({ deps, clock, subject, receivedAt: context.receivedAt, startedAt, signal, series: decision.series, warnings }, attempt.parsed.error ?? null);
      // Durable before any callback (§7.4): a crash from here on resumes, never recomputes.
      await ledger.storeVerdict(subject.key, {
        verdict: computed.verdict, state: computed.verdict === 'completed' ? 'assessed' : 'rejected',
        result: computed.result, verdictError: computed.error, sideEffects: computed.sideEffects,
      }, signal);
      verdict = computed;
    }
    email.result = verdict.result;
    email.verdictError = verdict.error;
    await deliverPending({ deps, clock, email, signal });
    const outcome = verdict.verdict === 'completed' ? 'succeeded' : 'rejected';
    if (!(await ledger.finish(subject.key, { state: outcome, error: verdict.error }, settleSignal()))) {
      // Our lease lapsed (e.g. the database was away for a whole lease) and another consumer claimed
      // the row: its attempt finds every side effect done and records the outcome itself.
      log().warn({ event: { action: 'ledger.lease_lost' } }, 'ledger row held by another consumer at the end of the attempt; it will record the outcome');
    }
    return { outcome, jobType: clock.jobType, error: verdict.error };
  } catch (thrown) {
    const failure = classifyFailure(thrown, signal, message.receiveCount, deps.config.sqs.maxReceiveCount);
    const envelope = failure.error.toEnvelope();
    log()[failure.outcome === 'retry' || failure.outcome === 'abandoned' ? 'warn' : 'error']({ err: thrown, failure: { code: envelope.code, kind: envelope.kind, outcome: failure.outcome } }, `job ${failure.outcome}: ${envelope.code}`);
    if (failure.notifySupport) {
      email.failure = envelope;
      email.failureClass = exceptionClassOf(thrown);
      email.occurredAt = deps.now();
      const closing = settleSignal();
      await ledger.planSideEffect(subject.key, planned(subject, 'email_failed', decision.series), closing)
        .then(() => deliverPending({ deps, clock, email, signal: closing }, ['email_failed']))
        .catch((error: unknown) => log().error({ err: error }, 'the FAILED e-mail to support could not be sent'));
    }
    await ledger.finish(subject.key, { state: failure.state, error: envelope }, settleSignal())
      .catch((error: unknown) => log().error({ err: error }, 'could not record the attempt in the ledger'));
    return { outcome: failure.outcome, jobType: clock.jobType, error: envelope };
  }
}
