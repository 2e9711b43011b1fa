// The lease heartbeat (operations.md §2.3): every floor(VT / 3) s, ChangeMessageVisibility(VT),
// which counts from now, so each beat restores a full lease. A beat never throws. `stop()` waits
// for a beat already in flight, so a late beat can never hide a message that was just released.

import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type Logger from 'bunyan';
import type { WorkerMetrics } from '../observability/metrics.js';
import { classifyAwsError } from './aws-errors.js';

export interface LeaseHeartbeatOptions {
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  receiptHandle: string;
  visibilityTimeout: number;
  metrics: WorkerMetrics;
  log: () => Logger;
  /** Called after each successful beat (the job ledger renews its own lease alongside). */
  onBeat?: () => void;
  beatTimeoutMs?: number;
  /**
   * No beat after this long (the job deadline): a runner that ignores its abort cannot hold the
   * message towards SQS's 12-hour ceiling; JOB_TIMEOUT + VT ≤ 43200 is validated at start.
   */
  maxExtendMs?: number;
}

export interface LeaseHeartbeat {
  stop(): Promise<void>;
  readonly beats: number;
}

export function heartbeatIntervalSeconds(visibilityTimeout: number): number {
  return Math.floor(visibilityTimeout / 3);
}

export function startLeaseHeartbeat(options: LeaseHeartbeatOptions): LeaseHeartbeat {
  const intervalMs = heartbeatIntervalSeconds(options.visibilityTimeout) * 1000;
  let stopped = false;
  let beats = 0;
  let inFlight: Promise<void> | null = null;
  const startedAt = Date.now();

  async function beat(): Promise<void> {
    try {
      await options.sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: options.receiptHandle, VisibilityTimeout: options.visibilityTimeout }),
        { abortSignal: AbortSignal.timeout(options.beatTimeoutMs ?? 5_000) },
      );
      beats += 1;
      options.metrics.visibilityExtensions.inc({ result: 'ok' });
      options.log().debug({ event: { action: 'sqs.visibility_extended' }, sqs: { visibility: options.visibilityTimeout } }, 'lease extended');
      options.onBeat?.();
    } catch (error) {
      const classified = classifyAwsError(error);
      options.metrics.visibilityExtensions.inc({ result: 'error' });
      options.log().warn({ err: classified.error, sqs: { operation: 'visibility', class: classified.class } }, 'lease heartbeat failed; the next beat retries');
    }
  }

  const timer = setInterval(() => {
    if (stopped || inFlight) return;
    if (options.maxExtendMs !== undefined && Date.now() - startedAt >= options.maxExtendMs) {
      clearInterval(timer);
      options.log().warn({ sqs: { beats } }, 'lease heartbeat stopped at the job deadline; the lease now runs out');
      return;
    }
    inFlight = beat().finally(() => {
      inFlight = null;
    });
  }, intervalMs);

  return {
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      if (inFlight) await inFlight;
    },
    get beats() {
      return beats;
    },
  };
}
