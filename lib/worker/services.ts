// What a worker process builds once and hands to the job pipeline. Created by the worker
// bootstrap (lib/worker/), closed through its LIFO cleanup stack.

import type { SQSClient } from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config.js';
import type { Sql } from '../db/sql.js';
import type { Logging } from '../observability/logger.js';
import type { WorkerMetrics } from '../observability/metrics.js';

export interface WorkerServices {
  config: Config;
  logging: Logging;
  sql: Sql;
  sqs: SQSClient;
  s3: S3Client;
  metrics: WorkerMetrics;
  queueUrl: string;
  /** Ledger lease owner: `${hostname}:${pid}:${slot}`. */
  workerId: string;
}
