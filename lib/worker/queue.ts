// Queue address and the start-up redrive check (operations.md §2.1, contracts.md §1.1). A queue
// name is resolved once per worker with GetQueueUrl; transient failures back off like poll errors
// (IAM changes propagate slowly). A wrong redrive policy is a configuration fault when deployed.

import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type Logger from 'bunyan';
import type { Config } from '../config.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { classifyAwsError } from './aws-errors.js';
import { POLL_BACKOFF, fullJitterDelay, sleep } from './backoff.js';

export class QueueConfigFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueConfigFault';
  }
}

interface QueueDeps {
  sqs: Pick<SQSClient, 'send'>;
  config: Pick<Config, 'sqs' | 'deployed'>;
  metrics: WorkerMetrics;
  log: Logger;
  signal: AbortSignal;
  random?: () => number;
}

/**
 * Retries `fn` with the poll backoff until it succeeds, the signal aborts (→ null) or `fatal`
 * says the failure is a configuration fault (→ QueueConfigFault).
 */
async function withBackoff<T>(deps: QueueDeps, operation: 'get_queue_url' | 'get_queue_attributes', fn: () => Promise<T>, fatal: (name: string) => string | null): Promise<T | null> {
  for (let attempt = 1; !deps.signal.aborted; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      const classified = classifyAwsError(error);
      if (classified.class === 'aborted' || deps.signal.aborted) return null;
      const fault = fatal(classified.error.name);
      if (fault) throw new QueueConfigFault(fault);
      if (operation === 'get_queue_url') deps.metrics.sqsErrors.inc({ operation, class: classified.class });
      const delay = fullJitterDelay(attempt, POLL_BACKOFF, deps.random);
      const level = attempt === 1 ? 'error' : 'warn';
      deps.log[level]({ err: classified.error, sqs: { operation, class: classified.class, attempt, backoff_ms: delay } }, `${operation} failed; backing off`);
      await sleep(delay, deps.signal);
    }
  }
  return null;
}

const QUEUE_MISSING = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

/** The queue URL, or null when shutdown began first. */
export async function resolveQueueUrl(deps: QueueDeps): Promise<string | null> {
  const { queueUrl, queueName } = deps.config.sqs;
  if (queueUrl) return queueUrl;
  if (!queueName) throw new QueueConfigFault('neither SQS_QUEUE_URL nor SQS_QUEUE_NAME is set');
  const out = await withBackoff(deps, 'get_queue_url', () => deps.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }), { abortSignal: deps.signal }),
    // Deployed: a missing queue is a configuration fault (exit 78). Locally the emulator may still be starting.
    (name) => (deps.config.deployed && QUEUE_MISSING.has(name) ? `queue "${queueName}" does not exist` : null));
  if (out === null) return null;
  if (!out.QueueUrl) throw new QueueConfigFault(`GetQueueUrl returned no URL for "${queueName}"`);
  return out.QueueUrl;
}

export type RedriveCheck = { ok: true; maxReceiveCount: number; deadLetterTargetArn: string } | { ok: false; problem: string };

/** Judges a RedrivePolicy attribute against SQS_MAX_RECEIVE_COUNT. */
export function judgeRedrivePolicy(policyText: string | undefined, expectedMaxReceiveCount: number): RedriveCheck {
  if (!policyText) return { ok: false, problem: 'the queue has no RedrivePolicy' };
  let policy: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  try {
    policy = JSON.parse(policyText) as typeof policy;
  } catch {
    return { ok: false, problem: 'the RedrivePolicy is not JSON' };
  }
  if (typeof policy.deadLetterTargetArn !== 'string' || policy.deadLetterTargetArn === '') return { ok: false, problem: 'the RedrivePolicy has no deadLetterTargetArn' };
  const max = Number(policy.maxReceiveCount);
  if (max !== expectedMaxReceiveCount) return { ok: false, problem: `the RedrivePolicy maxReceiveCount is ${String(policy.maxReceiveCount)}, SQS_MAX_RECEIVE_COUNT is ${expectedMaxReceiveCount}` };
  return { ok: true, maxReceiveCount: max, deadLetterTargetArn: policy.deadLetterTargetArn };
}

/** Reads the queue's RedrivePolicy; null when shutdown began first. */
export async function checkRedrivePolicy(deps: QueueDeps, queueUrl: string): Promise<RedriveCheck | null> {
  const out = await withBackoff(deps, 'get_queue_attributes',
    () => deps.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }), { abortSignal: deps.signal }),
    (name) => (deps.config.deployed && QUEUE_MISSING.has(name) ? 'the queue does not exist' : null));
  if (out === null) return null;
  return judgeRedrivePolicy(out.Attributes?.RedrivePolicy, deps.config.sqs.maxReceiveCount);
}
