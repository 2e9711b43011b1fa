// Environment → one frozen, typed Config (operations.md §5). Nothing else reads process.env.
// Every problem is collected before failing, so an operator fixes them all in one go.

import { readFileSync } from 'node:fs';
import { VARIABLES, PROJECT_PREFIXES, type VariableSpec } from './config/schema.js';
import { ParseProblem } from './config/parsers.js';

export type { Environment, SqsConfig, InputLimits, DbConfig, BackendConfig, NotifyConfig, NutrientConfig, GcnConfig, ProxyConfig, Config } from './config/types.js';
import type { Environment, Config } from './config/types.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadOptions {
  role?: 'primary' | 'worker' | 'cli';
  /** Variables a CLI command does not need (e.g. the queue for `assess`). */
  optional?: readonly string[];
}

const REQUIRED_ALWAYS = ['AWS_S3_INPUT_BUCKET', 'BACKEND_BASE_URL'] as const;

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function parseAll(env: Env, problems: string[]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const spec of VARIABLES) {
    const raw = env[spec.name];
    const text = raw === undefined || raw === '' ? defaultOf(spec) : raw;
    if (text === undefined) continue;
    try {
      values.set(spec.name, spec.parse(text));
    } catch (error) {
      const reason = error instanceof ParseProblem ? error.message : 'is invalid';
      problems.push(spec.secret ? `${spec.name}: ${reason}` : `${spec.name}: ${reason} (got ${JSON.stringify(text)})`);
    }
  }
  return values;
}

function defaultOf(spec: VariableSpec): string | undefined {
  return typeof spec.default === 'function' ? spec.default() : spec.default;
}

function checkUnknownNames(env: Env, problems: string[]): void {
  const known = new Set(VARIABLES.map((s) => s.name));
  for (const name of Object.keys(env)) {
    if (PROJECT_PREFIXES.some((prefix) => name.startsWith(prefix)) && !known.has(name)) {
      problems.push(`${name}: unknown variable (misspelt?)`);
    }
  }
}

/** Builds and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, options: LoadOptions = {}): Config {
  const problems: string[] = [];
  const role = options.role ?? 'primary';
  const optional = new Set(options.optional ?? []);
  checkUnknownNames(env, problems);
  const values = parseAll(env, problems);
  const get = <T>(name: string): T | undefined => values.get(name) as T | undefined;
  const need = <T>(name: string): T => values.get(name) as T;

  const environment = need<Environment>('ENVIRONMENT') ?? 'local';
  const deployed = environment !== 'local';
  const local = !deployed;

  for (const name of REQUIRED_ALWAYS) {
    if (!values.has(name) && !optional.has(name) && !problems.some((x) => x.startsWith(`${name}:`))) problems.push(`${name}: is required`);
  }
  if (role === 'primary' && env.WORKER_SLOT !== undefined) problems.push('WORKER_SLOT: is internal and must not be set for the primary');

  const queueUrl = get<string>('SQS_QUEUE_URL') ?? null;
  const queueName = get<string>('SQS_QUEUE_NAME') ?? null;
  if (!optional.has('SQS_QUEUE_URL')) {
    if (queueUrl && queueName) problems.push('SQS_QUEUE_URL: set exactly one of SQS_QUEUE_URL or SQS_QUEUE_NAME (both are set)');
    if (!queueUrl && !queueName) problems.push('SQS_QUEUE_URL: set exactly one of SQS_QUEUE_URL or SQS_QUEUE_NAME');
  }

  const dbUrl = get<string>('DATABASE_URL') ?? null;
  if (dbUrl && (env.DB_HOST || env.DB_PASSWORD || env.DB_USER || env.DB_DATABASE || env.DB_PORT)) {
    problems.push('DATABASE_URL: set either DATABASE_URL or DB_*, not both');
  }

  const cfg: Config = {
    environment,
    deployed,
    serviceName: 'nrf-impact-assessment-worker',
    serviceVersion: get<string>('SERVICE_VERSION') ?? packageVersion(),
    workerCount: need<number>('WORKER_COUNT'),
    workerSlot: get<number>('WORKER_SLOT') ?? null,
    healthPort: need<number>('HEALTH_PORT'),
    gracefulShutdownSeconds: need<number>('WORKER_GRACEFUL_SHUTDOWN_TIMEOUT'),
    jobTimeoutSeconds: need<number>('JOB_TIMEOUT_SECONDS'),
    logLevel: need('LOG_LEVEL'),
    logFormat: need('LOG_FORMAT'),
    migrateOnStart: need<boolean>('DB_MIGRATE_ON_START'),
    sqs: {
      endpoint: get<string>('AWS_ENDPOINT_URL') ?? null,
      region: need<string>('AWS_REGION'),
      queueUrl,
      queueName,
      waitTimeSeconds: need<number>('SQS_WAIT_TIME_SECONDS'),
      visibilityTimeout: need<number>('SQS_VISIBILITY_TIMEOUT'),
      maxMessages: need<number>('SQS_MAX_MESSAGES'),
      maxReceiveCount: need<number>('SQS_MAX_RECEIVE_COUNT'),
    },
    s3: {
      endpoint: get<string>('AWS_ENDPOINT_URL') ?? null,
      region: need<string>('AWS_REGION'),
      inputBucket: get<string>('AWS_S3_INPUT_BUCKET') ?? '',
      allowedBuckets: get<string[]>('AWS_S3_ALLOWED_BUCKETS') ?? (values.has('AWS_S3_INPUT_BUCKET') ? [need<string>('AWS_S3_INPUT_BUCKET')] : []),
    },
    quoteReferencePattern: need<RegExp>('QUOTE_REFERENCE_PATTERN'),
    input: {
      maxFileBytes: need<number>('INPUT_MAX_FILE_BYTES'),
      maxInputBytes: need<number>('MAX_INPUT_BYTES'),
      zipMaxEntries: need<number>('ZIP_SAFETY_MAX_ENTRIES'),
      zipMaxRawEntries: need<number>('ZIP_SAFETY_MAX_RAW_ENTRIES'),
      zipMaxEntryBytes: need<number>('ZIP_SAFETY_MAX_ENTRY_BYTES'),
      zipMaxTotalBytes: need<number>('ZIP_SAFETY_MAX_TOTAL_BYTES'),
      zipMaxCompressionRatio: need<number>('ZIP_SAFETY_MAX_COMPRESSION_RATIO'),
    },
    db: {
      url: dbUrl,
      host: need<string>('DB_HOST'),
      port: need<number>('DB_PORT'),
      database: need<string>('DB_DATABASE'),
      user: need<string>('DB_USER'),
      password: get<string>('DB_PASSWORD') ?? null,
      sslMode: need('DB_SSL_MODE'),
      iamAuthentication: need<boolean>('DB_IAM_AUTHENTICATION'),
      caBundle: get<string>('TRUSTSTORE_RDS_ROOT_CA') ?? null,
      poolMax: need<number>('DB_POOL_MAX'),
      statementTimeoutSeconds: need<number>('DB_STATEMENT_TIMEOUT_SECONDS'),
    },
    backend: {
      baseUrl: (get<string>('BACKEND_BASE_URL') ?? '').replace(/\/+$/, ''),
      apiKey: get<string>('BACKEND_API_KEY') ?? null,
      timeoutSeconds: need<number>('BACKEND_CALLBACK_TIMEOUT'),
      maxRetries: need<number>('BACKEND_CALLBACK_MAX_RETRIES'),
      tracingHeader: need<string>('TRACING_HEADER'),
    },
    notify: {
      enabled: need<boolean>('GOVUK_NOTIFY_ENABLED'),
      apiKey: get<string>('GOVUK_NOTIFY_API_KEY') ?? null,
      baseUrl: need<string>('GOVUK_NOTIFY_BASE_URL'),
      templates: {
        completed: get<string>('GOVUK_NOTIFY_TEMPLATE_COMPLETED') ?? null,
        rejected: get<string>('GOVUK_NOTIFY_TEMPLATE_REJECTED') ?? null,
        failed: get<string>('GOVUK_NOTIFY_TEMPLATE_FAILED') ?? null,
      },
      supportEmail: get<string>('GOVUK_NOTIFY_SUPPORT_EMAIL') ?? null,
      allowedDomains: need<string[]>('GOVUK_NOTIFY_ALLOWED_DOMAINS'),
      resultsBaseUrl: get<string>('RESULTS_BASE_URL') ?? null,
    },
    nutrient: {
      ruleset: need('NUTRIENT_RULESET'),
      wwtwPermitFactor: need<number>('WWTW_PERMIT_FACTOR'),
      bufferPercent: need<number>('NUTRIENT_BUFFER_PERCENT'),
      fallbackWwtwId: need<number>('NUTRIENT_FALLBACK_WWTW_ID'),
      fallbackWwtwName: need<string>('NUTRIENT_FALLBACK_WWTW_NAME'),
      fallbackLpa: need<string>('NUTRIENT_FALLBACK_LPA'),
      sudsRemovalPercent: need<number>('NUTRIENT_SUDS_REMOVAL_PERCENT'),
      sudsFlowCapturePercent: need<number>('NUTRIENT_SUDS_FLOW_CAPTURE_PERCENT'),
      sudsThresholdDwellings: need<number>('NUTRIENT_SUDS_THRESHOLD_DWELLINGS'),
      greenspaceThresholdHa: need<number>('NUTRIENT_GREENSPACE_THRESHOLD_HA'),
      greenspacePercent: need<number>('NUTRIENT_GREENSPACE_PERCENT'),
      greenspaceNCoeff: need<number>('NUTRIENT_GREENSPACE_N_COEFF'),
      greenspacePCoeff: need<number>('NUTRIENT_GREENSPACE_P_COEFF'),
      daysPerYear: need<number>('NUTRIENT_DAYS_PER_YEAR'),
      sqlTimeoutMs: need<number>('NUTRIENT_SQL_TIMEOUT_MS'),
    },
    gcn: {
      bufferDistanceM: need<number>('GCN_BUFFER_DISTANCE_M'),
      pondBufferDistanceM: need<number>('GCN_POND_BUFFER_DISTANCE_M'),
      precisionGridSize: need<number>('GCN_PRECISION_GRID_SIZE'),
      bufferMode: need('GCN_BUFFER_MODE'),
    },
    proxy: {
      httpProxy: get<string>('HTTP_PROXY') ?? null,
      httpsProxy: get<string>('HTTPS_PROXY') ?? null,
      noProxy: get<string>('NO_PROXY') ?? null,
    },
  };

  crossFieldChecks(cfg, local, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(cfg);
}

function crossFieldChecks(cfg: Config, local: boolean, problems: string[]): void {
  if (problems.length > 0 && cfg.sqs.visibilityTimeout === undefined) return;
  if (cfg.gracefulShutdownSeconds + 20 > 120) problems.push('WORKER_GRACEFUL_SHUTDOWN_TIMEOUT: plus 20 s must fit the 120 s ECS stopTimeout ceiling');
  if (Math.floor(cfg.sqs.visibilityTimeout / 3) < 5) problems.push('SQS_VISIBILITY_TIMEOUT: heartbeat interval (a third of it) must be at least 5 s');
  if (cfg.jobTimeoutSeconds + cfg.sqs.visibilityTimeout > 43200) problems.push('JOB_TIMEOUT_SECONDS: plus SQS_VISIBILITY_TIMEOUT must not exceed 43200 s (the SQS visibility ceiling)');
  if (cfg.backend.timeoutSeconds * (cfg.backend.maxRetries + 1) + 7 >= cfg.jobTimeoutSeconds) {
    problems.push('BACKEND_CALLBACK_TIMEOUT: × (BACKEND_CALLBACK_MAX_RETRIES + 1) + 7 must be below JOB_TIMEOUT_SECONDS');
  }
  if (cfg.db.statementTimeoutSeconds >= cfg.jobTimeoutSeconds) problems.push('DB_STATEMENT_TIMEOUT_SECONDS: must be below JOB_TIMEOUT_SECONDS');
  if (!local) {
    if (cfg.sqs.endpoint) problems.push('AWS_ENDPOINT_URL: only allowed when ENVIRONMENT=local');
    if (cfg.logFormat === 'pretty') problems.push('LOG_FORMAT: pretty is only allowed when ENVIRONMENT=local');
    if (cfg.db.sslMode === 'disable') problems.push('DB_SSL_MODE: disable is only allowed when ENVIRONMENT=local');
    if (!cfg.backend.apiKey) problems.push('BACKEND_API_KEY: is required when deployed');
    if (!cfg.db.iamAuthentication && !cfg.db.password && !(cfg.db.url && new URL(cfg.db.url).password)) {
      problems.push('DB_PASSWORD: database credentials are required when deployed (DB_PASSWORD, a password in DATABASE_URL, or DB_IAM_AUTHENTICATION=true)');
    }
    if (cfg.notify.enabled) {
      if (!cfg.notify.apiKey) problems.push('GOVUK_NOTIFY_API_KEY: is required when Notify is enabled and deployed');
      for (const [name, value] of Object.entries(cfg.notify.templates)) {
        if (!value) problems.push(`GOVUK_NOTIFY_TEMPLATE_${name.toUpperCase()}: is required when deployed`);
      }
      if (!cfg.notify.supportEmail) problems.push('GOVUK_NOTIFY_SUPPORT_EMAIL: is required when deployed');
      if (!cfg.notify.resultsBaseUrl) problems.push('RESULTS_BASE_URL: is required when deployed');
      if (!cfg.notify.baseUrl.startsWith('https:')) problems.push('GOVUK_NOTIFY_BASE_URL: must be https when deployed');
    }
    if (!cfg.backend.baseUrl.startsWith('https:') && cfg.backend.baseUrl !== '') problems.push('BACKEND_BASE_URL: must be https when deployed');
  }
  if (cfg.db.iamAuthentication && cfg.db.sslMode === 'disable') problems.push('DB_IAM_AUTHENTICATION: requires TLS (DB_SSL_MODE must not be disable)');
}

/** The variables with secrets masked, for the `config.loaded` log record. */
export function describeEnvironment(env: Env = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of VARIABLES) {
    const raw = env[spec.name];
    if (raw === undefined) continue;
    out[spec.name] = spec.secret ? '***' : raw;
  }
  return out;
}
