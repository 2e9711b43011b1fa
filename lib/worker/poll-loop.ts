// The receive loop (operations.md §2.2, §2.5): readiness gate → long poll for one message → run
// it → settle → loop. The poll has its own AbortSignal (stop receiving), separate from the job's.
// A failed receive never touches a message: it backs off with full jitter (1 s base, 60 s cap),
// logging the first error of a run at error and repeats at warn at most once a minute.

import { ReceiveMessageCommand, type Message, type ReceiveMessageCommandInput, type SQSClient } from '@aws-sdk/client-sqs';
import type Logger from 'bunyan';
import type { Config } from '../config.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { classifyAwsError, type ClassifiedAwsError } from './aws-errors.js';
import { POLL_BACKOFF, fullJitterDelay, sleep } from './backoff.js';
import type { WorkerStatus } from './status.js';

export const READINESS_RECHECK_MS = 5_000;
const REPEAT_LOG_INTERVAL_MS = 60_000;

export interface PollLoopDeps {
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  config: Pick<Config, 'sqs'>;
  metrics: WorkerMetrics;
  log: Logger;
  status: WorkerStatus;
  readiness: { isOpen(): boolean; refresh(): Promise<unknown> };
  /** Aborted when draining begins: ends the long poll and the loop. */
  pollSignal: AbortSignal;
  handle(message: Message): Promise<unknown>;
  /** Hands back a message that arrived after draining began (visibility 0, job not started). */
  release(message: Message): Promise<unknown>;
  random?: () => number;
  now?: () => number;
}

export function receiveInput(queueUrl: string, sqs: Config['sqs']): ReceiveMessageCommandInput {
  return {
    QueueUrl: queueUrl,
    MaxNumberOfMessages: 1,
    WaitTimeSeconds: sqs.waitTimeSeconds,
    VisibilityTimeout: sqs.visibilityTimeout,
    MessageAttributeNames: ['All'],
    MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
  };
}

/** Error logging for a run of poll failures: the first at error, repeats at warn once a minute. */
function createErrorReporter(log: Logger, now: () => number) {
  let lastLoggedAt = 0;
  return {
    report(classified: ClassifiedAwsError, attempt: number, delayMs: number): void {
      const fields = {
        err: classified.error,
        event: { action: 'sqs.poll_failed', outcome: 'failure' },
        sqs: { operation: 'receive', class: classified.class, code: classified.code, attempt, backoff_ms: delayMs },
      };
      if (attempt === 1) log.error(fields, `receive failed (${classified.class}); backing off`);
      else if (now() - lastLoggedAt >= REPEAT_LOG_INTERVAL_MS) log.warn(fields, `receive still failing (${classified.class}, attempt ${attempt})`);
      else return;
      lastLoggedAt = now();
    },
  };
}

export async function runPollLoop(deps: PollLoopDeps): Promise<void> {
  const { metrics, status, pollSignal: signal } = deps;
  const now = deps.now ?? Date.now;
  const reporter = createErrorReporter(deps.log, now);
  const input = receiveInput(deps.queueUrl, deps.config.sqs);
  let failures = 0;

  while (!signal.aborted) {
    if (!deps.readiness.isOpen()) {
      await sleep(READINESS_RECHECK_MS, signal);
      if (signal.aborted) break;
      await deps.readiness.refresh();
      continue;
    }

    let message: Message | undefined;
    try {
      const out = await deps.sqs.send(new ReceiveMessageCommand(input), { abortSignal: signal });
      message = out.Messages?.[0];
    } catch (error) {
      const classified = classifyAwsError(error);
      if (classified.class === 'aborted' || signal.aborted) break;
      failures += 1;
      status.sqsFailed();
      metrics.sqsErrors.inc({ operation: 'receive', class: classified.class });
      const delay = fullJitterDelay(failures, POLL_BACKOFF, deps.random);
      reporter.report(classified, failures, delay);
      await sleep(delay, signal);
      continue;
    }

    if (failures > 0) deps.log.info({ event: { action: 'sqs.poll_recovered', outcome: 'success' }, sqs: { failures } }, 'receive recovered');
    failures = 0;
    status.sqsSucceeded();
    metrics.sqsReceives.inc();
    if (!message) {
      metrics.sqsEmptyReceives.inc();
      deps.log.debug({ event: { action: 'sqs.receive_empty' } }, 'long poll returned nothing');
      continue;
    }
    if (signal.aborted) {
      // The receive raced the drain: hand the message straight back rather than start it.
      await deps.release(message);
      break;
    }
    await deps.handle(message);
  }
}
