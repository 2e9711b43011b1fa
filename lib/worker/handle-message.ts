// One received message, start to settle (operations.md §2.2–2.4). It runs inside its own
// AsyncLocalStorage scope seeded with the trace id (contracts.md §4.2); the lease heartbeat starts
// before the pipeline and stops in `finally` before the settle call; the job signal fires on the
// deadline (`timeout`) or on the primary's abort order (`shutdown`).

import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../config.js';
import type { JobResult, JobRunner, Outcome, ReceivedMessage } from '../jobs/types.js';
import type { Logging } from '../observability/logger.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { JobError, toJobError } from '../errors.js';
import { JobAbortError, jobAbortReason } from './abort.js';
import type { Acker, SettleResult } from './ack.js';
import { correlationFor } from './correlation.js';
import { startLeaseHeartbeat } from './heartbeat.js';
import type { WorkerStatus } from './status.js';

export interface MessageHandlerDeps {
  runner: JobRunner;
  acker: Acker;
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  config: Pick<Config, 'jobTimeoutSeconds' | 'sqs'>;
  metrics: WorkerMetrics;
  logging: Logging;
  status: WorkerStatus;
  /** Fires (reason `shutdown`) when the primary orders the abort phase. */
  shutdownSignal: AbortSignal;
}

/** SQS Message → the runner's ReceivedMessage (string attributes only, receive count ≥ 1). */
export function toReceivedMessage(message: Message): ReceivedMessage {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (typeof value.StringValue === 'string') attributes[name] = value.StringValue;
  }
  const count = Number(message.Attributes?.ApproximateReceiveCount);
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    receiveCount: Number.isInteger(count) && count >= 1 ? count : 1,
    sentTimestamp: Number.isFinite(sent) && sent > 0 ? sent : null,
    attributes,
  };
}

const EVENT_OUTCOME: Record<Outcome, 'success' | 'failure' | 'unknown'> = {
  succeeded: 'success', duplicate: 'success', rejected: 'failure', failed: 'failure', final_failure: 'failure', retry: 'unknown', abandoned: 'unknown',
};

/** A runner should never throw; if it does, the worker still settles from the signal and the count. */
function resultFromThrow(error: unknown, signal: AbortSignal, receiveCount: number, maxReceiveCount: number): JobResult {
  const reason = jobAbortReason(signal);
  if (reason === 'shutdown') return { outcome: 'abandoned', jobType: 'unknown', error: new JobError('shutdown').toEnvelope() };
  const envelope = reason === 'timeout' ? new JobError('deadline_exceeded').toEnvelope() : toJobError(error).toEnvelope();
  return { outcome: receiveCount >= maxReceiveCount ? 'final_failure' : 'retry', jobType: 'unknown', error: envelope };
}

/** After a shutdown abort, anything short of a durable outcome is handed back (visibility 0). */
function finalOutcome(result: JobResult, signal: AbortSignal): Outcome {
  if (jobAbortReason(signal) === 'shutdown' && result.outcome === 'retry') return 'abandoned';
  return result.outcome;
}

export async function handleMessage(raw: Message, deps: MessageHandlerDeps): Promise<Outcome> {
  const message = toReceivedMessage(raw);
  const { correlation, skipped } = correlationFor(message);
  const { context } = deps.logging;
  const fields = { traceId: correlation.id, messageId: message.messageId, receiveCount: message.receiveCount };
  return context.run(fields, async () => {
    const log = (): ReturnType<typeof context.log> => context.log();
    const receivedAt = new Date();
    deps.status.jobStarted(message.messageId, context.current());
    deps.metrics.jobsInFlight.inc();
    for (const skip of skipped) log().warn({ component: 'poll', correlation: skip }, 'unusable correlation id skipped');
    log().info({
      component: 'poll',
      event: { action: 'job.received' },
      correlation: { source: correlation.source },
      sqs: { sent_timestamp: message.sentTimestamp, body_bytes: Buffer.byteLength(message.body) },
    }, 'message received');

    const heartbeat = startLeaseHeartbeat({
      sqs: deps.sqs, queueUrl: deps.queueUrl, receiptHandle: message.receiptHandle,
      visibilityTimeout: deps.config.sqs.visibilityTimeout, metrics: deps.metrics, log,
      maxExtendMs: deps.config.jobTimeoutSeconds * 1000,
    });
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new JobAbortError('timeout')), deps.config.jobTimeoutSeconds * 1000);
    const signal = AbortSignal.any([deadline.signal, deps.shutdownSignal]);
    let result: JobResult;
    try {
      result = await deps.runner.run(message, { signal, receivedAt });
    } catch (error) {
      log().error({ component: 'poll', err: error }, 'job runner threw instead of returning an outcome');
      result = resultFromThrow(error, signal, message.receiveCount, deps.config.sqs.maxReceiveCount);
    } finally {
      clearTimeout(timer);
      await heartbeat.stop();
    }

    const outcome = finalOutcome(result, signal);
    const settled = await deps.acker.settle(message, outcome);
    recordSettled(deps, result, outcome, settled, receivedAt);
    deps.status.jobFinished(outcome);
    deps.metrics.jobsInFlight.dec();
    return outcome;
  });
}

function recordSettled(deps: MessageHandlerDeps, result: JobResult, outcome: Outcome, settled: SettleResult, receivedAt: Date): void {
  const seconds = (Date.now() - receivedAt.getTime()) / 1000;
  deps.metrics.jobs.inc({ type: result.jobType, outcome });
  deps.metrics.stageDuration.observe({ type: result.jobType, stage: 'total' }, seconds);
  if (outcome === 'succeeded') deps.metrics.lastJobSuccess.set(Date.now() / 1000);
  const action = settled.action;
  const level = settled.ok ? 'info' : 'error';
  deps.logging.context.log()[level]({
    component: 'ack',
    event: { action: 'job.settled', outcome: EVENT_OUTCOME[outcome], reason: outcome, duration: Math.round(seconds * 1e9) },
    sqs: { action: action.kind, visibility: action.kind === 'release' ? action.visibility : null, confirmed: settled.ok, attempts: settled.attempts },
    ...(result.error ? { failure: { code: result.error.code, kind: result.error.kind } } : {}),
  }, `message settled: ${outcome}`);
}
