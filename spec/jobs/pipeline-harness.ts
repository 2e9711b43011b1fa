// Real parts for the pipeline specs: a cloned PostGIS database with the reference fixtures, the
// local services of spec/support/stack.ts (fauxqs for S3, the fake backend and the fake Notify),
// the real backend and Notify clients (the backend's backoff sleep shortened so a 503 × 3 spec
// takes milliseconds, not 7 s), and a clock pinned to 2026 so the levy windows of the fixture
// data apply.

import { PassThrough } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { loadConfig, type Config } from '../../lib/config.js';
import { createSql } from '../../lib/db/sql.js';
import { createBackendClient } from '../../lib/delivery/backend.js';
import { createLogging } from '../../lib/observability/logger.js';
import { createWorkerMetrics } from '../../lib/observability/metrics.js';
import { createPipelineRunner, type PipelineOverrides } from '../../lib/jobs/runner.js';
import type { JobResult, JobRunner, ReceivedMessage } from '../../lib/jobs/types.js';
import type { WorkerServices } from '../../lib/worker/services.js';
import type { LocalAws } from '../support/aws.js';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import type { FakeBackend } from '../support/fakes/backend.js';
import type { FakeNotify } from '../support/fakes/notify.js';
import { startLocalServices } from '../support/stack.js';

export { SUPPORT_EMAIL } from '../support/stack.js';
export { fileJobBody as fileJob } from '../support/jobs.js';
export const PINNED = Date.parse('2026-06-01T10:00:00.000Z');

export interface Harness {
  db: TestDatabase;
  aws: LocalAws;
  backend: FakeBackend;
  notify: FakeNotify;
  config: Config;
  services: WorkerServices;
  runner: JobRunner;
  logLines: Record<string, unknown>[];
  /** A runner with other collaborators (e.g. a second worker id) over the same services. */
  runnerWith(overrides: PipelineOverrides, workerId?: string): JobRunner;
  run(message: ReceivedMessage, signal?: AbortSignal): Promise<JobResult>;
  ledgerRow(jobKey: string): Promise<Record<string, unknown> | undefined>;
  sideEffects(jobKey: string): Promise<Record<string, unknown>[]>;
  reset(): void;
  stop(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const [db, local] = await Promise.all([cloneTemplate(), startLocalServices({ visibilityTimeout: 60, resultsBaseUrl: 'https://nrf.example.gov.uk/results/' })]);
  const { aws, backend, notify } = local;
  const config = loadConfig({ ...local.env, DATABASE_URL: db.url, DB_SSL_MODE: 'disable', LOG_LEVEL: 'debug', ...env }, { role: 'worker' });
  const logLines: Record<string, unknown>[] = [];
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const logging = createLogging({ serviceVersion: config.serviceVersion, environment: 'local', level: 'debug', format: 'json', worker: '0', out });
  const sql = createSql(config.db, { applicationName: 'spec-jobs' });
  const metrics = createWorkerMetrics(new Registry());
  const services: WorkerServices = { config, logging, sql, sqs: aws.sqs, s3: aws.s3, metrics, queueUrl: aws.queueUrl, workerId: 'spec-host:1:0' };
  const t0 = Date.now();
  const now = (): Date => new Date(PINNED + (Date.now() - t0));
  const fastBackend = createBackendClient(config.backend, { serviceVersion: config.serviceVersion, metrics, sleep: () => Promise.resolve() });
  const runnerWith = (overrides: PipelineOverrides, workerId = services.workerId): JobRunner =>
    createPipelineRunner({ ...services, workerId }, { backend: fastBackend, now, ...overrides });
  const runner = runnerWith({});
  return {
    db, aws, backend, notify, config, services, runner, logLines, runnerWith,
    run: (message, signal = new AbortController().signal) => runner.run(message, { signal, receivedAt: new Date() }),
    async ledgerRow(jobKey) {
      const [row] = await db.sql`SELECT * FROM nrf_worker.job_ledger WHERE job_key = ${jobKey}`;
      return row;
    },
    async sideEffects(jobKey) {
      return [...await db.sql`SELECT kind, status, external_ref, notify_reference, attempts FROM nrf_worker.job_side_effect WHERE job_key = ${jobKey} ORDER BY kind`];
    },
    reset() {
      backend.reset();
      notify.reset();
    },
    async stop() {
      await fastBackend.close();
      await sql.end({ timeout: 5 });
      await local.stop();
      await db.drop();
    },
  };
}

let counter = 0;

/** A ReceivedMessage as the worker hands it over (fresh message id unless given). */
export function received(body: unknown, overrides: Partial<ReceivedMessage> = {}): ReceivedMessage {
  counter += 1;
  return {
    messageId: `msg-${counter}-${randomUUID()}`,
    receiptHandle: `rh-${counter}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    receiveCount: 1,
    sentTimestamp: PINNED,
    attributes: {},
    ...overrides,
  };
}
