// The issue-7 acceptance stack: a cloned PostGIS database with the reference fixtures, fauxqs
// (queue + DLQ + bucket), the fake backend and the fake Notify, and the real `bin/worker start`
// primary with two workers pointed at all of them. Specs drive it through the queue and read the
// primary's ECS log lines, the fakes' records and the ledger.

import { SendMessageCommand, ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { startLocalAws, type LocalAws } from '../support/aws.js';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { sharedPath } from '../support/data.js';
import { startFakeBackend, type FakeBackend } from '../support/fakes/backend.js';
import { makeNotifyApiKey, startFakeNotify, type FakeNotify } from '../support/fakes/notify.js';
import { deliveryTemplates, TEMPLATE_IDS } from '../support/fakes/notify-templates.js';
import { baseEnv, startPrimary, waitForHealth, type EcsRecord, type PrimaryProcess } from '../support/test-worker-process.js';

export const SUPPORT_EMAIL = 'nrf-support@example.com';
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

export async function zipShapefile(dir: string, stem: string): Promise<Buffer> {
  const zip = new JSZip();
  for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) zip.file(`${stem}.${ext}`, readFileSync(sharedPath(dir, `${stem}.${ext}`)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export async function startStack(): Promise<Stack> {
  const [db, aws, backend] = await Promise.all([cloneTemplate(), startLocalAws({ visibilityTimeout: 30 }), startFakeBackend()]);
  const apiKey = makeNotifyApiKey();
  const notify = await startFakeNotify({ apiKeys: [apiKey], templates: deliveryTemplates() });
  const primary = await startPrimary({
    command: 'bin',
    env: baseEnv({
      ...aws.env,
      DATABASE_URL: db.url,
      SQS_VISIBILITY_TIMEOUT: '30',
      BACKEND_BASE_URL: backend.url,
      BACKEND_API_KEY: 'test-backend-key',
      GOVUK_NOTIFY_ENABLED: 'true',
      GOVUK_NOTIFY_API_KEY: apiKey,
      GOVUK_NOTIFY_BASE_URL: notify.url,
      GOVUK_NOTIFY_TEMPLATE_COMPLETED: TEMPLATE_IDS.completed,
      GOVUK_NOTIFY_TEMPLATE_REJECTED: TEMPLATE_IDS.rejected,
      GOVUK_NOTIFY_TEMPLATE_FAILED: TEMPLATE_IDS.failed,
      GOVUK_NOTIFY_SUPPORT_EMAIL: SUPPORT_EMAIL,
      RESULTS_BASE_URL,
    }),
  });
  try {
    await waitForHealth(primary, (b) => b.workers.length === 2 && b.workers.every((w) => w.state === 'idle') && b.ready, 60_000);
  } catch (error) {
    await primary.stop();
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
      await Promise.all([backend.stop(), notify.stop(), aws.stop()]);
      await db.drop();
    },
  };
}

export function fileJob(jobId: string, key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: jobId,
    s3_input_key: key,
    developer_email: 'developer@example.com',
    submitted_at: '2026-06-01T09:00:00Z',
    development_name: 'Old White Horse, Station Road',
    dwelling_type: 'house',
    number_of_dwellings: 1,
    assessment_type: 'nutrient',
    ...overrides,
  };
}

export const sqsAction = (r: EcsRecord | undefined): { action?: string; visibility?: number | null } | undefined => r?.sqs as { action?: string; visibility?: number | null } | undefined;
