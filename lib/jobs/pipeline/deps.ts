// What one attempt needs, built once per worker by createPipelineRunner (lib/jobs/runner.ts).
// Collaborators the pipeline reaches over the network are narrow ports, so a spec can hand in the
// real clients pointed at local fakes (or with a short backoff sleep).

import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../config.js';
import type { Sql } from '../../db/sql.js';
import type { BackendClient } from '../../delivery/backend.js';
import type { Notifier } from '../../delivery/notify.js';
import type { LookupCache } from '../../reference/repository.js';
import type { Logging } from '../../observability/logger.js';
import type { WorkerMetrics } from '../../observability/metrics.js';
import type { Ledger } from '../ledger.js';

/** GOV.UK Notify as the pipeline uses it; transient failures throw `notify_failed`. */
export type EmailPort = Pick<Notifier, 'sendEmail' | 'findByReference'>;

export type BackendPort = Pick<BackendClient, 'patchQuote' | 'postResults'>;

export interface PipelineDeps {
  config: Config;
  logging: Logging;
  sql: Sql;
  s3: S3Client;
  metrics: WorkerMetrics;
  ledger: Ledger;
  backend: BackendPort;
  email: EmailPort;
  /** Injectable clock (levy calculation date, timings). */
  now: () => Date;
  /** Nutrient look-ups cached per (table, active version) for the worker's life (nutrient.md §5.5). */
  lookupCache: LookupCache;
}
