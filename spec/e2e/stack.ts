// The issue-7 acceptance stack: a cloned PostGIS database with the reference fixtures, the local
// services of spec/support/stack.ts (fauxqs with queue + DLQ + bucket, the fake backend and the
// fake Notify), and the real `bin/worker start` primary with two workers pointed at all of them.
// Specs drive it through the queue and read the primary's ECS log lines, the fakes' records and
// the ledger.

import { SendMessageCommand, ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { LocalAws } from '../support/aws.js';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import type { FakeBackend } from '../support/fakes/backend.js';
import type { FakeNotify } from '../support/fakes/notify.js';
import { fileJobBody } from '../support/jobs.js';
import { startLocalServices } from '../support/stack.js';
import { baseEnv, startPrimary, waitForHealth, type EcsRecord, type PrimaryProcess } from '../support/test-worker-process.js';

export { SUPPORT_EMAIL } from '../support/stack.js';
export { zipSharedShapefile as zipShapefile } from '../support/data.js';
export const RESULTS_BASE_URL = 'https://nrf.example.gov.uk/results';

export interface Stack {
  db: TestDatabase;
  aws: LocalAws;
  backend: FakeBackend;
  notify: FakeNotify;
  primary: PrimaryProcess;
  send(body: unknown, correlationId?: string): Promise<string>;
  /** The `job.settled` records of one message, waiting until `count` exist. */
  settled(messageId: string, count?: number, timeoutMs?: number): Promise<EcsRecord[]>;
  /** Makes an in-flight message visible now instead of after its backoff (the emulator's clock). */
  releaseNow(messageId: string): Promise<boolean>;
  inFlight(messageId: string): boolean;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const [db, services] = await Promise.all([cloneTemplate(), startLocalServices({ visibilityTimeout: 30, resultsBaseUrl: RESULTS_BASE_URL })]);
  const { aws, backend, notify } = services;
  const primary = await startPrimary({ command: 'bin', env: baseEnv({ ...services.env, DATABASE_URL: db.url }) });
  try {
    await waitForHealth(primary, (b) => b.workers.length === 2 && b.workers.every((w) => w.state === 'idle') && b.ready, 60_000);
  } catch (error) {
    await primary.stop();
    await services.stop();
    await db.drop();
    throw new Error(`${String(error)}\nstderr: ${primary.stderr().slice(-3000)}`);
  }
  const inflight = (id: string) => aws.server.inspectQueue(aws.queueName)?.messages.inflight.find((m) => m.message.messageId === id);
  return {
    db, aws, backend, notify, primary,
    async send(body, correlationId) {
      const out = await aws.sqs.send(new SendMessageCommand({
        QueueUrl: aws.queueUrl,
        MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
        ...(correlationId ? { MessageAttributes: { CorrelationId: { DataType: 'String', StringValue: correlationId } } } : {}),
      }));
      return out.MessageId ?? '';
    },
    settled: (messageId, count = 1, timeoutMs = 60_000) =>
      primary.waitForCount((r) => r.event?.action === 'job.settled' && r.nrf?.message_id === messageId, count, timeoutMs, `job.settled × ${count} for ${messageId}`),
    async releaseNow(messageId) {
      const lease = inflight(messageId);
      if (!lease) return false;
      await aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: aws.queueUrl, ReceiptHandle: lease.receiptHandle, VisibilityTimeout: 0 }));
      return true;
    },
    inFlight: (messageId) => inflight(messageId) !== undefined,
    async stop() {
      await primary.stop();
      await services.stop();
      await db.drop();
    },
  };
}

/** A file job of one dwelling at the Old White Horse (the small-site fixture's development). */
export function fileJob(jobId: string, key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return fileJobBody(jobId, key, { development_name: 'Old White Horse, Station Road', number_of_dwellings: 1, ...overrides });
}

export const sqsAction = (r: EcsRecord | undefined): { action?: string; visibility?: number | null } | undefined => r?.sqs as { action?: string; visibility?: number | null } | undefined;
