// The whole local stack, as the demo, the benchmark and the chaos run need it: a PostGIS cluster
// with a migrated database and active reference data (the public data when present, else the
// demo's synthetic world), fauxqs with queue + DLQ + bucket, the fake backend and the fake Notify.
// `env` is what a real `bin/worker start` needs to use them. The end-to-end and pipeline specs
// use the same services (`startLocalServices`) against a clone of the spec runner's template.

import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { migrate } from '../../lib/db/migrate.js';
import { loadReferenceFiles } from '../../lib/reference/loader.js';
import { describeFailures } from '../../lib/reference/report.js';
import { loadSyntheticCoefficients } from '../../lib/reference/generator/load.js';
import { writeSyntheticWorld } from '../../demo/world.js';
import { startCluster, type Cluster } from './cluster.js';
import { startLocalAws, type LocalAws } from './aws.js';
import { startFakeBackend, type FakeBackend } from './fakes/backend.js';
import { makeNotifyApiKey, startFakeNotify, type FakeNotify } from './fakes/notify.js';
import { deliveryTemplates, TEMPLATE_IDS } from './fakes/notify-templates.js';
import { SHARED_DATA_DIR } from './data.js';

export const BACKEND_API_KEY = 'local-backend-key';
export const SUPPORT_EMAIL = 'nrf-support@example.com';

export interface ServiceOptions {
  /** The queue's visibility timeout and SQS_VISIBILITY_TIMEOUT, in seconds (default 60). */
  visibilityTimeout?: number;
  /** The queue's redrive maxReceiveCount and SQS_MAX_RECEIVE_COUNT (default 3). */
  maxReceiveCount?: number;
  /** RESULTS_BASE_URL, the prefix of the results link in e-mails. */
  resultsBaseUrl?: string;
}

/** fauxqs, the fake backend and the fake Notify, and the variables a worker needs to use them. */
export interface LocalServices {
  aws: LocalAws;
  backend: FakeBackend;
  notify: FakeNotify;
  /** Queue, bucket, backend, Notify and results-link variables (no database, no ENVIRONMENT). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startLocalServices(options: ServiceOptions = {}): Promise<LocalServices> {
  const visibilityTimeout = options.visibilityTimeout ?? 60;
  const maxReceiveCount = options.maxReceiveCount ?? 3;
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const fn of stoppers.reverse()) await fn().catch(() => undefined);
  };
  try {
    const aws = await startLocalAws({ visibilityTimeout, maxReceiveCount });
    stoppers.push(() => aws.stop());
    const backend = await startFakeBackend({ apiKey: BACKEND_API_KEY });
    stoppers.push(() => backend.stop());
    const notifyKey = makeNotifyApiKey('nrf-local');
    const notify = await startFakeNotify({ apiKeys: [notifyKey], templates: deliveryTemplates() });
    stoppers.push(() => notify.stop());
    const env: Record<string, string> = {
      ...aws.env,
      BACKEND_BASE_URL: backend.url,
      BACKEND_API_KEY,
      GOVUK_NOTIFY_ENABLED: 'true',
      GOVUK_NOTIFY_API_KEY: notifyKey,
      GOVUK_NOTIFY_BASE_URL: notify.url,
      GOVUK_NOTIFY_TEMPLATE_COMPLETED: TEMPLATE_IDS.completed,
      GOVUK_NOTIFY_TEMPLATE_REJECTED: TEMPLATE_IDS.rejected,
      GOVUK_NOTIFY_TEMPLATE_FAILED: TEMPLATE_IDS.failed,
      GOVUK_NOTIFY_SUPPORT_EMAIL: SUPPORT_EMAIL,
      RESULTS_BASE_URL: options.resultsBaseUrl ?? 'http://localhost:3000/results',
      SQS_MAX_RECEIVE_COUNT: String(maxReceiveCount),
      SQS_VISIBILITY_TIMEOUT: String(visibilityTimeout),
    };
    return { aws, backend, notify, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface StackOptions extends ServiceOptions {
  /** Folder holding `reference/` (default ../shared/data); absent → synthetic world. */
  dataDir?: string;
  /** Force the synthetic world even when the public data is present. */
  synthetic?: boolean;
  /** Coefficient parcels (default: a little above what covers the NN catchments). */
  coefficientParcels?: number;
  log?: (line: string) => void;
}

export interface Stack {
  cluster: Cluster;
  databaseUrl: string;
  sql: postgres.Sql;
  aws: LocalAws;
  backend: FakeBackend;
  notify: FakeNotify;
  dataSource: 'public' | 'synthetic';
  dataDir: string | null;
  /** Environment for `bin/worker start` against this stack. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function referenceFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.(gpkg|sqlite|csv|geojson)$/i.test(f)).sort().map((f) => path.join(dir, f));
}

async function loadReference(sql: postgres.Sql, options: StackOptions, log: (line: string) => void): Promise<{ source: 'public' | 'synthetic'; dir: string | null; scratch: string | null }> {
  const dataDir = options.dataDir ?? SHARED_DATA_DIR;
  const usePublic = !options.synthetic && existsSync(path.join(dataDir, 'reference'));
  const scratch = usePublic ? null : await mkdtemp(path.join(os.tmpdir(), 'nrf-world-'));
  const files = usePublic ? referenceFiles(path.join(dataDir, 'reference')) : await writeSyntheticWorld(scratch ?? '');
  const started = performance.now();
  const reports = await loadReferenceFiles(sql, files, { activate: true });
  const failures = describeFailures(reports);
  if (failures.length > 0) throw new Error(`reference data failed QC: ${failures.join('; ')}`);
  log(`reference data (${usePublic ? `public, ${dataDir}` : 'synthetic world'}): ${reports.length} tables in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Just above the coverage of the NN union (≈ 11,800 cells for the public fixtures, ≈ 5,000 for
  // the synthetic world), so every NN hectare has parcels without a long load.
  const parcels = options.coefficientParcels ?? (usePublic ? 15_000 : 8_000);
  const synthetic = await loadSyntheticCoefficients(sql, { within: 'nn_catchments', parcels });
  log(`coefficient layer: ${synthetic.report.rows} synthetic parcels in ${synthetic.seconds.toFixed(1)} s`);
  return { source: usePublic ? 'public' : 'synthetic', dir: usePublic ? dataDir : null, scratch };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const cluster = await startCluster({ log });
  const admin = postgres(cluster.url, { max: 1, onnotice: () => undefined });
  await admin.unsafe('CREATE DATABASE nrf_impact');
  await admin.end();
  const databaseUrl = cluster.urlFor('nrf_impact');
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => undefined });
  const stoppers: (() => Promise<void> | void)[] = [() => cluster.stop()];
  const stop = async (): Promise<void> => {
    for (const fn of stoppers.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };
  try {
    stoppers.push(() => sql.end({ timeout: 5 }));
    await migrate(sql);
    const reference = await loadReference(sql, options, log);
    if (reference.scratch) stoppers.push(() => rm(reference.scratch ?? '', { recursive: true, force: true }));
    const services = await startLocalServices(options);
    stoppers.push(() => services.stop());
    const env: Record<string, string> = {
      ...services.env,
      ENVIRONMENT: 'local',
      DATABASE_URL: databaseUrl,
      DB_SSL_MODE: 'disable',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const { aws, backend, notify } = services;
    return { cluster, databaseUrl, sql, aws, backend, notify, dataSource: reference.source, dataDir: reference.dir, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
