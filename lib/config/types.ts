// The typed shape of the configuration (lib/config.ts builds it from the environment).

export type Environment = 'local' | 'infra-dev' | 'management' | 'dev' | 'test' | 'perf-test' | 'ext-test' | 'prod';

export interface SqsConfig {
  endpoint: string | null;
  region: string;
  queueUrl: string | null;
  queueName: string | null;
  waitTimeSeconds: number;
  visibilityTimeout: number;
  maxMessages: number;
  maxReceiveCount: number;
}

export interface InputLimits {
  maxFileBytes: number;
  maxInputBytes: number;
  zipMaxEntries: number;
  zipMaxRawEntries: number;
  zipMaxEntryBytes: number;
  zipMaxTotalBytes: number;
  zipMaxCompressionRatio: number;
}

export interface DbConfig {
  url: string | null;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | null;
  sslMode: 'disable' | 'require' | 'verify-full';
  iamAuthentication: boolean;
  caBundle: string | null;
  poolMax: number;
  statementTimeoutSeconds: number;
}

export interface BackendConfig {
  baseUrl: string;
  apiKey: string | null;
  timeoutSeconds: number;
  maxRetries: number;
  tracingHeader: string;
}

export interface NotifyConfig {
  enabled: boolean;
  apiKey: string | null;
  baseUrl: string;
  templates: { completed: string | null; rejected: string | null; failed: string | null };
  supportEmail: string | null;
  allowedDomains: string[];
  resultsBaseUrl: string | null;
}

export interface NutrientConfig {
  ruleset: 'v1' | 'v2';
  wwtwPermitFactor: number;
  bufferPercent: number;
  fallbackWwtwId: number;
  fallbackWwtwName: string;
  fallbackLpa: string;
  sudsRemovalPercent: number;
  sudsFlowCapturePercent: number;
  sudsThresholdDwellings: number;
  greenspaceThresholdHa: number;
  greenspacePercent: number;
  greenspaceNCoeff: number;
  greenspacePCoeff: number;
  daysPerYear: number;
  sqlTimeoutMs: number;
}

export interface GcnConfig {
  bufferDistanceM: number;
  pondBufferDistanceM: number;
  precisionGridSize: number;
  bufferMode: 'disc' | 'ring';
}

export interface ProxyConfig {
  httpProxy: string | null;
  httpsProxy: string | null;
  noProxy: string | null;
}

export interface Config {
  environment: Environment;
  deployed: boolean;
  serviceName: 'nrf-impact-assessment-worker';
  serviceVersion: string;
  workerCount: number;
  workerSlot: number | null;
  healthPort: number;
  gracefulShutdownSeconds: number;
  jobTimeoutSeconds: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  logFormat: 'json' | 'pretty';
  migrateOnStart: boolean;
  sqs: SqsConfig;
  s3: { endpoint: string | null; region: string; inputBucket: string; allowedBuckets: string[] };
  quoteReferencePattern: RegExp;
  input: InputLimits;
  db: DbConfig;
  backend: BackendConfig;
  notify: NotifyConfig;
  nutrient: NutrientConfig;
  gcn: GcnConfig;
  proxy: ProxyConfig;
}
