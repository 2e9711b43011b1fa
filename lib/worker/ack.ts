// The one place that deletes or releases a message after a job (operations.md §2.4,
// contracts.md §7.1). The outcome alone decides the queue action. Settle calls never take the
// poll or job signal: each attempt has its own 5 s timeout, transient failures get up to three
// attempts, so an abort never strands a message half-settled. Settling never throws.

import { ChangeMessageVisibilityCommand, DeleteMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type Logger from 'bunyan';
import type { Outcome } from '../jobs/types.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { classifyAwsError, isRetryableForAck, isStaleReceipt } from './aws-errors.js';
import { sleep } from './backoff.js';

export type QueueAction =
  | { kind: 'delete' }
  | { kind: 'release'; visibility: number; reason: 'retry' | 'shutdown' | 'rejected' | 'failed' | 'final_failure' };

/** min(30 × 2^(n−1), visibility timeout) seconds, n = ApproximateReceiveCount (contracts.md §7.1). */
export function retryVisibility(receiveCount: number, visibilityTimeout: number): number {
  const n = Math.max(1, Math.floor(receiveCount));
  return Math.min(30 * 2 ** Math.min(n - 1, 20), visibilityTimeout);
}

export function queueActionFor(outcome: Outcome, receiveCount: number, visibilityTimeout: number): QueueAction {
  switch (outcome) {
    case 'succeeded':
    case 'duplicate':
      return { kind: 'delete' };
    case 'retry':
      return { kind: 'release', visibility: retryVisibility(receiveCount, visibilityTimeout), reason: 'retry' };
    case 'abandoned':
      return { kind: 'release', visibility: 0, reason: 'shutdown' };
    case 'rejected':
    case 'failed':
    case 'final_failure':
      // Visibility 0: the redrive policy, not the worker, moves it to the DLQ (§2.4).
      return { kind: 'release', visibility: 0, reason: outcome };
  }
}

export interface SettleTarget {
  messageId: string;
  receiptHandle: string;
  receiveCount: number;
}

export interface SettleResult {
  action: QueueAction;
  /** True when SQS confirmed the call (or said the lease was already gone). */
  ok: boolean;
  attempts: number;
}

export interface AckerOptions {
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  visibilityTimeout: number;
  metrics: WorkerMetrics;
  log: () => Logger;
  attemptTimeoutMs?: number;
  maxAttempts?: number;
  /** Pause between attempts; injectable so specs do not wait. */
  pause?: (attempt: number) => Promise<unknown>;
}

export interface Acker {
  settle(target: SettleTarget, outcome: Outcome): Promise<SettleResult>;
}

export function createAcker(options: AckerOptions): Acker {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const pause = options.pause ?? ((attempt: number) => sleep(Math.floor(Math.random() * 250 * attempt)));
  const { metrics } = options;

  async function send(target: SettleTarget, action: QueueAction, signal: AbortSignal): Promise<void> {
    const common = { QueueUrl: options.queueUrl, ReceiptHandle: target.receiptHandle };
    if (action.kind === 'delete') await options.sqs.send(new DeleteMessageCommand(common), { abortSignal: signal });
    else await options.sqs.send(new ChangeMessageVisibilityCommand({ ...common, VisibilityTimeout: action.visibility }), { abortSignal: signal });
  }

  function count(action: QueueAction): void {
    if (action.kind === 'delete') metrics.messagesDeleted.inc();
    else if (action.reason === 'retry' || action.reason === 'shutdown') metrics.messagesReleased.inc({ reason: action.reason });
    else metrics.dlqBound.inc({ reason: action.reason });
  }

  async function settle(target: SettleTarget, outcome: Outcome): Promise<SettleResult> {
    const action = queueActionFor(outcome, target.receiveCount, options.visibilityTimeout);
    const operation = action.kind === 'delete' ? 'delete' : 'visibility';
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const timeout = AbortSignal.timeout(attemptTimeoutMs);
      try {
        await send(target, action, timeout);
        count(action);
        return { action, ok: true, attempts: attempt };
      } catch (error) {
        if (isStaleReceipt(error)) {
          options.log().warn({ err: error, sqs: { operation } }, 'receipt handle no longer valid; the lease was lost before settling');
          return { action, ok: true, attempts: attempt };
        }
        const classified = classifyAwsError(error);
        // Our own per-attempt timeout surfaces as an AbortError: it is a timeout, not a drain.
        const cls = classified.class === 'aborted' && timeout.aborted ? 'network' : classified.class;
        metrics.sqsErrors.inc({ operation, class: cls === 'aborted' ? 'network' : cls });
        const last = attempt === maxAttempts || !isRetryableForAck(cls);
        if (last) {
          options.log().error({ err: classified.error, sqs: { operation, class: cls, attempts: attempt } }, `${operation} failed; the message returns after its lease`);
          return { action, ok: false, attempts: attempt };
        }
        options.log().warn({ err: classified.error, sqs: { operation, class: cls, attempt } }, `${operation} failed; retrying`);
        await pause(attempt);
      }
    }
    return { action, ok: false, attempts: maxAttempts };
  }

  return { settle };
}
