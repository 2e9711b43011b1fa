// The one environment schema (operations.md §5). Every variable the service reads is declared
// here with its parser, default and doc line; `.env.example` is checked against this list.

import os from 'node:os';
import * as p from './parsers.js';

export interface VariableSpec {
  readonly name: string;
  readonly parse: p.Parser<unknown>;
  /** Default as it would be written in the environment; undefined = unset. */
  readonly default?: string | (() => string);
  readonly doc: string;
  readonly secret?: boolean;
  /** Required when ENVIRONMENT is not `local`. */
  readonly requiredDeployed?: boolean;
  /** Example value for .env.example when there is no default. */
  readonly example?: string;
}

const v = (spec: VariableSpec): VariableSpec => spec;

export const ENVIRONMENTS = ['local', 'infra-dev', 'management', 'dev', 'test', 'perf-test', 'ext-test', 'prod'] as const;

export const VARIABLES: readonly VariableSpec[] = [
  // Process and runtime
  v({ name: 'ENVIRONMENT', parse: p.oneOf(ENVIRONMENTS), default: 'local', doc: 'deployment environment; anything but local is "deployed" and requires secrets' }),
  v({ name: 'SERVICE_VERSION', parse: p.str, doc: 'service.version in logs and /health (default: package.json version)' }),
  v({ name: 'WORKER_COUNT', parse: p.int(1, 64), default: () => String(os.availableParallelism()), doc: 'forked workers; set to the task vCPU count on Fargate' }),
  v({ name: 'WORKER_SLOT', parse: p.int(0, 63), doc: 'internal: set by the primary for each worker; refused in the primary environment' }),
  v({ name: 'HEALTH_PORT', parse: p.int(1, 65535), default: '8085', doc: 'Koa port for /health and /metrics' }),
  v({ name: 'WORKER_GRACEFUL_SHUTDOWN_TIMEOUT', parse: p.int(1, 100), default: '30', doc: 'seconds a running job gets after SIGTERM before it is aborted' }),
  v({ name: 'JOB_TIMEOUT_SECONDS', parse: p.int(30, 3600), default: '900', doc: 'hard deadline per job attempt' }),
  v({ name: 'LOG_LEVEL', parse: p.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal']), default: 'info', doc: 'minimum log level' }),
  v({ name: 'LOG_FORMAT', parse: p.oneOf(['json', 'pretty']), default: 'json', doc: 'json (ECS) or pretty (local only)' }),
  v({ name: 'DB_MIGRATE_ON_START', parse: p.bool, default: 'false', doc: 'primary applies migrations before forking workers' }),
  // Queue and storage
  v({ name: 'AWS_REGION', parse: p.pattern(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region'), default: 'eu-west-2', doc: 'region of every AWS client' }),
  v({ name: 'AWS_ENDPOINT_URL', parse: p.url(['http:', 'https:']), doc: 'emulator endpoint for SQS and S3 (local only)' }),
  v({ name: 'SQS_QUEUE_URL', parse: p.url(['http:', 'https:']), doc: 'job queue URL (exactly one of URL or name)', example: 'http://localhost:4566/000000000000/nrf-impact-assessment-jobs' }),
  v({ name: 'SQS_QUEUE_NAME', parse: p.pattern(/^[A-Za-z0-9_-]{1,80}$/, '1–80 of [A-Za-z0-9_-]'), doc: 'job queue name, resolved with GetQueueUrl' }),
  v({ name: 'SQS_WAIT_TIME_SECONDS', parse: p.int(1, 20), default: '20', doc: 'long-poll wait' }),
  v({ name: 'SQS_VISIBILITY_TIMEOUT', parse: p.int(30, 43200), default: '300', doc: 'lease on receive and per heartbeat; backoff cap' }),
  v({ name: 'SQS_MAX_MESSAGES', parse: p.int(1, 1), default: '1', doc: 'messages per receive; exactly 1' }),
  v({ name: 'SQS_MAX_RECEIVE_COUNT', parse: p.int(1, 1000), default: '3', doc: "must equal the queue's redrive maxReceiveCount" }),
  v({ name: 'AWS_S3_INPUT_BUCKET', parse: p.pattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name'), doc: 'file-job input bucket (required)', example: 'nrf-inputs' }),
  v({ name: 'AWS_S3_ALLOWED_BUCKETS', parse: p.commaList, doc: "buckets a file job's s3_bucket may name (default: the input bucket)" }),
  v({ name: 'MAX_INPUT_BYTES', parse: p.int(1048576, 104857600), default: '52428800', doc: 'per-job budget of downloaded plus inflated input bytes' }),
  // Messages and input files
  v({ name: 'QUOTE_REFERENCE_PATTERN', parse: p.regex, default: '^(NRF|NRL)-\\d{6}$', doc: 'quote reference pattern' }),
  v({ name: 'INPUT_MAX_FILE_BYTES', parse: p.int(1, 104857600), default: '2097152', doc: 'largest boundary or survey-ponds file' }),
  v({ name: 'ZIP_SAFETY_MAX_ENTRIES', parse: p.int(1, 1000), default: '10', doc: 'counted ZIP entries' }),
  v({ name: 'ZIP_SAFETY_MAX_RAW_ENTRIES', parse: p.int(1, 10000), default: '50', doc: 'all ZIP central-directory entries' }),
  v({ name: 'ZIP_SAFETY_MAX_ENTRY_BYTES', parse: p.int(1, 1073741824), default: '20971520', doc: 'uncompressed bytes per ZIP entry' }),
  v({ name: 'ZIP_SAFETY_MAX_TOTAL_BYTES', parse: p.int(1, 1073741824), default: '20971520', doc: 'uncompressed bytes of all ZIP entries' }),
  v({ name: 'ZIP_SAFETY_MAX_COMPRESSION_RATIO', parse: p.num(1, 100000), default: '100', doc: 'uncompressed ÷ compressed, per entry' }),
  // Database
  v({ name: 'DATABASE_URL', parse: p.url(['postgres:', 'postgresql:']), doc: 'postgres:// URL; alternative to DB_*', secret: true }),
  v({ name: 'DB_HOST', parse: p.str, default: 'localhost', doc: 'database host' }),
  v({ name: 'DB_PORT', parse: p.int(1, 65535), default: '5432', doc: 'database port' }),
  v({ name: 'DB_DATABASE', parse: p.str, default: 'nrf_impact', doc: 'database name' }),
  v({ name: 'DB_USER', parse: p.str, default: 'postgres', doc: 'database user' }),
  v({ name: 'DB_PASSWORD', parse: p.str, doc: 'static database password (unused with IAM)', secret: true }),
  v({ name: 'DB_SSL_MODE', parse: p.oneOf(['disable', 'require', 'verify-full']), default: 'verify-full', doc: 'disable (local only), require, verify-full' }),
  v({ name: 'DB_IAM_AUTHENTICATION', parse: p.bool, default: 'false', doc: 'RDS IAM token as password' }),
  v({ name: 'TRUSTSTORE_RDS_ROOT_CA', parse: p.str, doc: 'base64 PEM bundle used as the database CA', secret: true }),
  v({ name: 'DB_POOL_MAX', parse: p.int(1, 10), default: '4', doc: 'connections per worker' }),
  v({ name: 'DB_STATEMENT_TIMEOUT_SECONDS', parse: p.int(5, 900), default: '120', doc: 'server-side statement_timeout' }),
  // Backend and Notify
  v({ name: 'BACKEND_BASE_URL', parse: p.url(['http:', 'https:']), doc: 'callback base URL (required)', example: 'http://localhost:3001' }),
  v({ name: 'BACKEND_API_KEY', parse: p.str, doc: 'x-api-key for callbacks; required when deployed', secret: true, requiredDeployed: true }),
  v({ name: 'BACKEND_CALLBACK_TIMEOUT', parse: p.int(1, 120), default: '30', doc: 'seconds per callback attempt' }),
  v({ name: 'BACKEND_CALLBACK_MAX_RETRIES', parse: p.int(0, 10), default: '3', doc: 'callback retries after the first attempt' }),
  v({ name: 'TRACING_HEADER', parse: p.pattern(/^[A-Za-z0-9-]+$/, 'a header name'), default: 'x-cdp-request-id', doc: 'outbound correlation header' }),
  v({ name: 'GOVUK_NOTIFY_ENABLED', parse: p.bool, default: 'true', doc: 'false records every send as skipped' }),
  v({ name: 'GOVUK_NOTIFY_API_KEY', parse: p.notifyKey, doc: 'Notify API key; required when enabled and deployed', secret: true }),
  v({ name: 'GOVUK_NOTIFY_BASE_URL', parse: p.url(['http:', 'https:']), default: 'https://api.notifications.service.gov.uk', doc: 'Notify API base URL' }),
  v({ name: 'GOVUK_NOTIFY_TEMPLATE_COMPLETED', parse: p.uuid, doc: 'template for completed file jobs', example: '2b7e0c4a-5d1f-4a8e-9c3b-7f6d5e4a3b21' }),
  v({ name: 'GOVUK_NOTIFY_TEMPLATE_REJECTED', parse: p.uuid, doc: 'template for rejected file jobs', example: '3c8f1d5b-6e2a-4b9f-8d4c-8a7e6f5b4c32' }),
  v({ name: 'GOVUK_NOTIFY_TEMPLATE_FAILED', parse: p.uuid, doc: 'template for support failure e-mails', example: '4d9a2e6c-7f3b-4cae-9e5d-9b8f7a6c5d43' }),
  v({ name: 'GOVUK_NOTIFY_SUPPORT_EMAIL', parse: p.email, doc: 'recipient of FAILED e-mails', example: 'nrf-support@example.com' }),
  v({ name: 'GOVUK_NOTIFY_ALLOWED_DOMAINS', parse: p.commaList, default: '', doc: 'developer e-mail domains allowed (empty allows all)' }),
  v({ name: 'RESULTS_BASE_URL', parse: p.url(['http:', 'https:']), doc: 'results link prefix in e-mails', example: 'http://localhost:3000/results' }),
  // Assessment constants
  v({ name: 'NUTRIENT_RULESET', parse: p.oneOf(['v1', 'v2']), default: 'v2', doc: 'nutrient rule set' }),
  v({ name: 'WWTW_PERMIT_FACTOR', parse: p.num(0.5, 1.0), default: '0.9', doc: 'share of the permit concentration assumed discharged' }),
  v({ name: 'NUTRIENT_BUFFER_PERCENT', parse: p.num(0, 100), default: '20', doc: 'precautionary buffer on |B|' }),
  v({ name: 'NUTRIENT_FALLBACK_WWTW_ID', parse: p.int(-2147483648, 2147483647), default: '141', doc: 'WwTW id when no catchment overlaps' }),
  v({ name: 'NUTRIENT_FALLBACK_WWTW_NAME', parse: p.str, default: 'Package Treatment Plant default', doc: 'lookup name that marks the fallback works' }),
  v({ name: 'NUTRIENT_FALLBACK_LPA', parse: p.str, default: 'UNKNOWN', doc: 'Majority_LPA when no LPA overlaps' }),
  v({ name: 'NUTRIENT_SUDS_REMOVAL_PERCENT', parse: p.num(0, 100), default: '25', doc: 'SuDS nutrient removal %' }),
  v({ name: 'NUTRIENT_SUDS_FLOW_CAPTURE_PERCENT', parse: p.num(0, 100), default: '100', doc: 'share of run-off reaching SuDS %' }),
  v({ name: 'NUTRIENT_SUDS_THRESHOLD_DWELLINGS', parse: p.int(0, 1000000), default: '50', doc: 'v2: SuDS applies when Dwellings ≥ this' }),
  v({ name: 'NUTRIENT_GREENSPACE_THRESHOLD_HA', parse: p.num(0, 1e9), default: '1.0', doc: 'v2: greenspace blend when Dev_Area_Ha ≥ this' }),
  v({ name: 'NUTRIENT_GREENSPACE_PERCENT', parse: p.num(0, 100), default: '20', doc: 'greenspace share of a blended site %' }),
  v({ name: 'NUTRIENT_GREENSPACE_N_COEFF', parse: p.num(0, 50), default: '3.0', doc: 'greenspace N coefficient kg/ha/yr' }),
  v({ name: 'NUTRIENT_GREENSPACE_P_COEFF', parse: p.num(0, 5), default: '0.2', doc: 'greenspace P coefficient kg/ha/yr' }),
  v({ name: 'NUTRIENT_DAYS_PER_YEAR', parse: p.num(0, 1000, { exclusiveMin: true }), default: '365.25', doc: 'days per year' }),
  v({ name: 'NUTRIENT_SQL_TIMEOUT_MS', parse: p.int(1, 3600000), default: '120000', doc: 'statement timeout of the nutrient spatial steps (ms)' }),
  v({ name: 'GCN_BUFFER_DISTANCE_M', parse: p.int(0, 5000), default: '250', doc: 'RLB buffer radius (m)' }),
  v({ name: 'GCN_POND_BUFFER_DISTANCE_M', parse: p.int(0, 5000), default: '250', doc: 'pond buffer radius (m)' }),
  v({ name: 'GCN_PRECISION_GRID_SIZE', parse: p.num(0, 1, { exclusiveMin: true }), default: '0.0001', doc: 'ST_ReducePrecision grid (m)' }),
  v({ name: 'GCN_BUFFER_MODE', parse: p.oneOf(['disc', 'ring']), default: 'disc', doc: 'disc (reference parity) or ring (legacy ArcPy)' }),
  // Network
  v({ name: 'HTTP_PROXY', parse: p.url(['http:', 'https:']), doc: 'forward proxy for all outbound HTTP(S)', secret: true }),
  v({ name: 'HTTPS_PROXY', parse: p.url(['http:', 'https:']), doc: 'overrides HTTP_PROXY for https destinations', secret: true }),
  v({ name: 'NO_PROXY', parse: p.str, doc: 'hosts that bypass the proxy (host, .suffix, host:port, *)' }),
  v({ name: 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', parse: p.bool, doc: "silences the AWS SDK's Node 20 deprecation warning" }),
];

/** Prefixes whose unknown names are start-up errors (a misspelling never silently defaults). */
export const PROJECT_PREFIXES = ['SQS_', 'GOVUK_NOTIFY_', 'BACKEND_', 'ZIP_SAFETY_', 'GCN_', 'WORKER_', 'NUTRIENT_'] as const;
