// The metric catalogue (operations.md §3.3). Every metric declares its cluster aggregator;
// no Summary anywhere. Worker metrics are created per registry by a factory (no singletons).

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const PREFIX = 'nrf_impact_';
export const STAGE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900];

export type JobTypeLabel = 'nutrient' | 'gcn' | 'unknown';
export type StageLabel = 'parse' | 'ledger' | 'download' | 'validate' | 'assess' | 'callback' | 'notify' | 'total';

export function createWorkerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    jobs: new Counter({ name: `${PREFIX}jobs_total`, help: 'Jobs settled, by type and outcome', labelNames: ['type', 'outcome'] as const, registers, aggregator: 'sum' }),
    stageDuration: new Histogram({ name: `${PREFIX}job_stage_duration_seconds`, help: 'Time spent per job stage', labelNames: ['type', 'stage'] as const, buckets: STAGE_BUCKETS, registers, aggregator: 'sum' }),
    jobsInFlight: new Gauge({ name: `${PREFIX}jobs_in_flight`, help: 'Jobs being processed', registers, aggregator: 'sum' }),
    lastJobSuccess: new Gauge({ name: `${PREFIX}last_job_success_timestamp_seconds`, help: 'Unix time of the last succeeded job', registers, aggregator: 'max' }),
    sqsReceives: new Counter({ name: `${PREFIX}sqs_receives_total`, help: 'Completed ReceiveMessage calls', registers, aggregator: 'sum' }),
    sqsEmptyReceives: new Counter({ name: `${PREFIX}sqs_empty_receives_total`, help: 'ReceiveMessage calls that returned nothing', registers, aggregator: 'sum' }),
    sqsErrors: new Counter({ name: `${PREFIX}sqs_errors_total`, help: 'SQS call failures by operation and class', labelNames: ['operation', 'class'] as const, registers, aggregator: 'sum' }),
    visibilityExtensions: new Counter({ name: `${PREFIX}sqs_visibility_extensions_total`, help: 'Lease heartbeats', labelNames: ['result'] as const, registers, aggregator: 'sum' }),
    messagesDeleted: new Counter({ name: `${PREFIX}sqs_messages_deleted_total`, help: 'Messages deleted after a durable outcome', registers, aggregator: 'sum' }),
    messagesReleased: new Counter({ name: `${PREFIX}sqs_messages_released_total`, help: 'Messages released for another attempt', labelNames: ['reason'] as const, registers, aggregator: 'sum' }),
    dlqBound: new Counter({ name: `${PREFIX}dlq_bound_total`, help: 'Messages released at visibility 0 towards the DLQ', labelNames: ['reason'] as const, registers, aggregator: 'sum' }),
    unknownFields: new Counter({ name: `${PREFIX}message_unknown_fields_total`, help: 'Unknown keys seen in job messages', registers, aggregator: 'sum' }),
    callbackAttempts: new Counter({ name: `${PREFIX}callback_attempts_total`, help: 'Backend callback attempts by status class', labelNames: ['status'] as const, registers, aggregator: 'sum' }),
    notifyAttempts: new Counter({ name: `${PREFIX}notify_attempts_total`, help: 'GOV.UK Notify attempts by template and status', labelNames: ['template', 'status'] as const, registers, aggregator: 'sum' }),
    dbRetries: new Counter({ name: `${PREFIX}db_retries_total`, help: 'Retried database units of work by retry key', labelNames: ['code'] as const, registers, aggregator: 'sum' }),
    ready: new Gauge({ name: `${PREFIX}ready`, help: '1 when the database is reachable and reference data present', registers, aggregator: 'min' }),
    referenceDataVersion: new Gauge({ name: `${PREFIX}reference_data_version`, help: 'Active version per reference table', labelNames: ['table'] as const, registers, aggregator: 'max' }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

export function createPrimaryMetrics(registry: Registry) {
  const registers = [registry];
  return {
    workerRestarts: new Counter({ name: `${PREFIX}worker_restarts_total`, help: 'Worker restarts by slot', labelNames: ['worker'] as const, registers, aggregator: 'sum' }),
    workers: new Gauge({ name: `${PREFIX}workers`, help: 'Workers by state', labelNames: ['state'] as const, registers, aggregator: 'first' }),
    workerCrashLoop: new Gauge({ name: `${PREFIX}worker_crash_loop`, help: '1 when a slot is in a crash loop', labelNames: ['worker'] as const, registers, aggregator: 'max' }),
    healthStatus: new Gauge({ name: `${PREFIX}health_status`, help: '0 ok, 1 degraded, 2 failing', registers, aggregator: 'first' }),
    scrapeWorkersMissing: new Gauge({ name: `${PREFIX}metrics_scrape_workers_missing`, help: 'Workers that did not answer the last scrape', registers, aggregator: 'first' }),
    scrapeWorkerTimeouts: new Counter({ name: `${PREFIX}metrics_scrape_worker_timeouts_total`, help: 'Scrape requests a worker did not answer in time', labelNames: ['worker'] as const, registers, aggregator: 'sum' }),
  };
}

export type PrimaryMetrics = ReturnType<typeof createPrimaryMetrics>;
