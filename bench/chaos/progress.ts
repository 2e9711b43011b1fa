// Progress of the chaos run (ledger successes, queue and DLQ depth from the emulator), the
// operator's redrive of valid jobs that were dead-lettered, and the outcome tally of every
// `job.settled` line of every supervisor.

import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Stack } from '../../spec/support/stack.js';
import type { PrimaryProcess } from '../../spec/support/test-worker-process.js';
import type { SentMessage } from './verify.js';

export interface Progress {
  succeeded: number;
  ready: number;
  inflight: number;
  delayed: number;
  dlq: number;
}

export async function progress(stack: Stack, valid: readonly SentMessage[]): Promise<Progress> {
  const keys = valid.map((s) => s.key);
  const [row] = await stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM nrf_worker.job_ledger WHERE state = 'succeeded' AND job_key = ANY(${keys})`;
  const queue = stack.aws.server.inspectQueue(stack.aws.queueName)?.messages;
  const dlq = stack.aws.server.inspectQueue(stack.aws.dlqName)?.messages;
  return {
    succeeded: row?.n ?? 0,
    ready: queue?.ready.length ?? 0,
    inflight: queue?.inflight.length ?? 0,
    delayed: queue?.delayed.length ?? 0,
    dlq: (dlq?.ready.length ?? 0) + (dlq?.inflight.length ?? 0),
  };
}

/** Moves valid messages from the DLQ back to the queue (a fresh message, receive count 1); poison stays. */
export async function redriveValid(stack: Stack, sent: SentMessage[]): Promise<string[]> {
  const byId = new Map(sent.map((s) => [s.messageId, s]));
  const moved: string[] = [];
  for (;;) {
    const res = await stack.aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.aws.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
    const messages = res.Messages ?? [];
    if (messages.length === 0) break;
    const keep: string[] = [];
    for (const m of messages) {
      const record = byId.get(m.MessageId ?? '');
      if (record && !record.planned.poison) {
        const out = await stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: stack.aws.queueUrl, MessageBody: m.Body ?? '' }));
        await stack.aws.sqs.send(new DeleteMessageCommand({ QueueUrl: stack.aws.dlqUrl, ReceiptHandle: m.ReceiptHandle }));
        record.messageId = out.MessageId ?? record.messageId;
        moved.push(record.key);
      } else keep.push(m.ReceiptHandle ?? '');
    }
    for (const handle of keep) await stack.aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: stack.aws.dlqUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    if (keep.length === messages.length) break;
  }
  return moved;
}

export function settledOutcomes(primaries: readonly PrimaryProcess[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of primaries) {
    for (const r of p.records) {
      if (r.event?.action !== 'job.settled') continue;
      const reason = r.event.reason ?? 'unknown';
      out[reason] = (out[reason] ?? 0) + 1;
    }
  }
  return out;
}
