// The configuration schema (operations.md §5): every problem reported at once, deployed
// environments refuse to start without secrets, misspelt project variables are errors, the
// cross-field checks hold, and .env.example matches the schema in both directions.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Env } from '../lib/config.js';
import { VARIABLES } from '../lib/config/schema.js';
import { LOCAL_VALUES, renderEnvExample } from '../lib/config/env-example.js';
import { REPO_ROOT } from './support/data.js';

const LOCAL: Env = {
  ENVIRONMENT: 'local',
  SQS_QUEUE_URL: 'http://localhost:4566/000000000000/jobs',
  AWS_S3_INPUT_BUCKET: 'nrf-inputs',
  BACKEND_BASE_URL: 'http://localhost:3001',
};

const DEPLOYED: Env = {
  ENVIRONMENT: 'prod',
  SQS_QUEUE_NAME: 'nrf-impact-assessment-jobs',
  AWS_S3_INPUT_BUCKET: 'nrf-inputs',
  BACKEND_BASE_URL: 'https://backend.example.gov.uk',
  BACKEND_API_KEY: 'k',
  DB_IAM_AUTHENTICATION: 'true',
  GOVUK_NOTIFY_API_KEY: `nrf_live-${'2b7e0c4a-5d1f-4a8e-9c3b-7f6d5e4a3b21'}-${'3c8f1d5b-6e2a-4b9f-8d4c-8a7e6f5b4c32'}`,
  GOVUK_NOTIFY_TEMPLATE_COMPLETED: '2b7e0c4a-5d1f-4a8e-9c3b-7f6d5e4a3b21',
  GOVUK_NOTIFY_TEMPLATE_REJECTED: '3c8f1d5b-6e2a-4b9f-8d4c-8a7e6f5b4c32',
  GOVUK_NOTIFY_TEMPLATE_FAILED: '4d9a2e6c-7f3b-4cae-9e5d-9b8f7a6c5d43',
  GOVUK_NOTIFY_SUPPORT_EMAIL: 'support@example.gov.uk',
  RESULTS_BASE_URL: 'https://results.example.gov.uk',
};

function problemsOf(env: Env, role: 'primary' | 'worker' = 'primary'): string[] {
  try {
    loadConfig(env, { role });
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
}

describe('configuration (operations.md §5)', () => {
  test('a minimal local and a complete deployed environment load, frozen and typed', () => {
    const local = loadConfig(LOCAL);
    assert.equal(local.deployed, false);
    assert.equal(local.sqs.waitTimeSeconds, 20);
    assert.equal(local.sqs.visibilityTimeout, 300);
    assert.equal(local.gracefulShutdownSeconds, 30);
    assert.ok(Object.isFrozen(local));
    const deployed = loadConfig(DEPLOYED);
    assert.equal(deployed.deployed, true);
    assert.equal(deployed.sqs.queueName, 'nrf-impact-assessment-jobs');
  });

  test('every problem is reported at once, and secret values are never echoed', () => {
    const problems = problemsOf({
      ...LOCAL,
      SQS_WAIT_TIME_SECONDS: '25',
      HEALTH_PORT: 'eighty',
      LOG_LEVEL: 'loud',
      DB_PASSWORD: 'x',
      DATABASE_URL: 'mysql://user:hunter2@db/x',
      AWS_S3_INPUT_BUCKET: undefined,
    });
    assert.ok(problems.length >= 5, problems.join('\n'));
    assert.ok(problems.includes('SQS_WAIT_TIME_SECONDS: must be an integer 1–20 (got "25")'));
    assert.ok(problems.some((p) => p.startsWith('HEALTH_PORT: must be an integer')));
    assert.ok(problems.some((p) => p.startsWith('LOG_LEVEL: must be one of')));
    assert.ok(problems.some((p) => p.startsWith('DATABASE_URL: must be a postgres: or postgresql: URL')));
    assert.ok(problems.includes('AWS_S3_INPUT_BUCKET: is required'));
    assert.ok(!problems.join('\n').includes('hunter2'), 'a secret value never appears');
  });

  test('deployed environments refuse to start without their secrets', () => {
    const problems = problemsOf({ ...DEPLOYED, BACKEND_API_KEY: undefined, GOVUK_NOTIFY_API_KEY: undefined, DB_IAM_AUTHENTICATION: undefined });
    assert.ok(problems.includes('BACKEND_API_KEY: is required when deployed'));
    assert.ok(problems.includes('GOVUK_NOTIFY_API_KEY: is required when Notify is enabled and deployed'));
    assert.ok(problems.some((p) => p.startsWith('DB_PASSWORD: database credentials are required when deployed')));
    assert.deepEqual(problemsOf({ ...DEPLOYED, DB_IAM_AUTHENTICATION: undefined, DATABASE_URL: 'postgres://app:pw@db:5432/nrf' }), []);
    assert.deepEqual(problemsOf({ ...DEPLOYED, GOVUK_NOTIFY_ENABLED: 'false', GOVUK_NOTIFY_API_KEY: undefined }), []);
  });

  test('an unknown variable with a project prefix is an error; WORKER_SLOT is refused in the primary only', () => {
    assert.deepEqual(problemsOf({ ...LOCAL, SQS_WAIT_TIME: '5' }), ['SQS_WAIT_TIME: unknown variable (misspelt?)']);
    assert.deepEqual(problemsOf({ ...LOCAL, WORKER_COUNTS: '2', NUTRIENT_RULESET_V: 'v1' }).length, 2);
    assert.deepEqual(problemsOf({ ...LOCAL, OTHER_THING: 'x', AWS_PROFILE: 'p' }), []);
    assert.deepEqual(problemsOf({ ...LOCAL, WORKER_SLOT: '1' }), ['WORKER_SLOT: is internal and must not be set for the primary']);
    assert.equal(loadConfig({ ...LOCAL, WORKER_SLOT: '1' }, { role: 'worker' }).workerSlot, 1);
  });

  test('cross-field checks (§5.3)', () => {
    const cases: Array<[Env, RegExp]> = [
      [{ WORKER_GRACEFUL_SHUTDOWN_TIMEOUT: '101' }, /WORKER_GRACEFUL_SHUTDOWN_TIMEOUT/],
      [{ SQS_VISIBILITY_TIMEOUT: '43200', JOB_TIMEOUT_SECONDS: '900' }, /JOB_TIMEOUT_SECONDS: plus SQS_VISIBILITY_TIMEOUT must not exceed 43200/],
      [{ BACKEND_CALLBACK_TIMEOUT: '60', BACKEND_CALLBACK_MAX_RETRIES: '3', JOB_TIMEOUT_SECONDS: '240' }, /BACKEND_CALLBACK_TIMEOUT: × \(BACKEND_CALLBACK_MAX_RETRIES \+ 1\) \+ 7/],
      [{ DB_STATEMENT_TIMEOUT_SECONDS: '300', JOB_TIMEOUT_SECONDS: '300' }, /DB_STATEMENT_TIMEOUT_SECONDS: must be below JOB_TIMEOUT_SECONDS/],
      [{ SQS_QUEUE_NAME: 'jobs' }, /set exactly one of SQS_QUEUE_URL or SQS_QUEUE_NAME \(both are set\)/],
      [{ DATABASE_URL: 'postgres://localhost/x', DB_HOST: 'db' }, /DATABASE_URL: set either DATABASE_URL or DB_\*, not both/],
      [{ DB_IAM_AUTHENTICATION: 'true', DB_SSL_MODE: 'disable' }, /DB_IAM_AUTHENTICATION: requires TLS/],
    ];
    for (const [overrides, expected] of cases) assert.match(problemsOf({ ...LOCAL, ...overrides }).join('\n'), expected, JSON.stringify(overrides));
    const localOnly = problemsOf({ ...DEPLOYED, AWS_ENDPOINT_URL: 'http://localhost:4566', LOG_FORMAT: 'pretty', DB_SSL_MODE: 'disable' }).join('\n');
    assert.match(localOnly, /AWS_ENDPOINT_URL: only allowed when ENVIRONMENT=local/);
    assert.match(localOnly, /LOG_FORMAT: pretty is only allowed when ENVIRONMENT=local/);
    assert.match(localOnly, /DB_SSL_MODE: disable is only allowed when ENVIRONMENT=local/);
    // The heartbeat interval floor(VT/3) ≥ 5 holds for every VT the range allows.
    assert.deepEqual(problemsOf({ ...LOCAL, SQS_VISIBILITY_TIMEOUT: '30' }), []);
  });
});

describe('.env.example ↔ schema (operations.md §5.1)', () => {
  const file = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
  const assignments = new Map<string, { value: string; active: boolean; doc: string }>();
  const lines = file.split('\n');
  lines.forEach((line, i) => {
    const m = /^(# )?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) assignments.set(m[2] ?? '', { active: !m[1], value: m[3] ?? '', doc: lines[i - 1] ?? '' });
  });

  test('the file is exactly what the schema renders', () => {
    assert.equal(file, renderEnvExample(), 'regenerate with: node --import tsx lib/config/env-example.ts');
  });

  test('every schema variable is in the file and every file variable is in the schema', () => {
    const schemaNames = VARIABLES.map((v) => v.name).sort();
    assert.deepEqual([...assignments.keys()].sort(), schemaNames);
  });

  test('each variable carries its doc line and its default (or local value)', () => {
    for (const spec of VARIABLES) {
      const entry = assignments.get(spec.name);
      assert.ok(entry, spec.name);
      assert.ok(entry.doc.startsWith(`# ${spec.name}: ${spec.doc}`), `${spec.name} doc line`);
      const expected = LOCAL_VALUES[spec.name] ?? (typeof spec.default === 'string' ? spec.default : undefined);
      if (expected !== undefined) assert.equal(entry.value, expected, spec.name);
      if (spec.secret) assert.equal(entry.active, false, `${spec.name} is a secret: never set in the example`);
    }
  });

  test('the active lines are a valid local configuration', () => {
    const env: Record<string, string> = {};
    for (const [name, entry] of assignments) if (entry.active) env[name] = entry.value;
    const config = loadConfig(env);
    assert.equal(config.environment, 'local');
    assert.equal(config.sqs.endpoint, 'http://localhost:4566');
  });
});
