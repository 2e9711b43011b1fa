// ecs-task-def.json against the configuration schema and operations.md §8.2–8.3.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../lib/config.js';
import { VARIABLES } from '../../lib/config/schema.js';
import { environmentOf, healthCheckPort, healthCheckShell, readTaskDefinition, workerContainer } from './task-definition.js';

const def = readTaskDefinition();
const container = workerContainer(def);
const environment = environmentOf(container);
const secretNames = container.secrets.map((s) => s.name);
const schema = new Map(VARIABLES.map((v) => [v.name, v]));

/**
 * Schema variables the task definition leaves out on purpose. A new schema variable fails the
 * completeness test until it is added to the file or listed here (and in docs/deployment.md).
 */
const ABSENT_BY_DESIGN: Record<string, string> = {
  WORKER_SLOT: 'internal: the primary sets it per worker and refuses it in its own environment',
  SERVICE_VERSION: 'defaults to the package.json version baked into the image',
  AWS_ENDPOINT_URL: 'local emulators only; refused when deployed',
  SQS_QUEUE_URL: 'the task names its queue (SQS_QUEUE_NAME); exactly one of the two may be set',
  DATABASE_URL: 'the task uses DB_* with RDS IAM authentication',
  DB_PASSWORD: 'RDS IAM authentication replaces a static password',
  GOVUK_NOTIFY_ALLOWED_DOMAINS: 'empty default allows every recipient domain; set a list to restrict',
  HTTP_PROXY: 'injected by the platform (may carry credentials)',
  HTTPS_PROXY: 'injected by the platform when needed',
  NO_PROXY: 'injected by the platform when needed',
};

/** Values that deliberately differ from the schema default in a deployed task. */
const DEPLOYED_OVERRIDES = new Set(['ENVIRONMENT', 'DB_HOST', 'DB_USER', 'DB_IAM_AUTHENTICATION']);

/** Dummy values of the right shape for every secret the file references. */
const DUMMY_SECRETS: Record<string, string> = {
  GOVUK_NOTIFY_API_KEY: 'packaging_spec-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0',
  BACKEND_API_KEY: 'packaging-spec-backend-key',
  TRUSTSTORE_RDS_ROOT_CA: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64'),
};

describe('ecs-task-def.json', () => {
  test('every variable it names is known to the schema, once', () => {
    const names = [...container.environment.map((e) => e.name), ...secretNames];
    for (const name of names) assert.ok(schema.has(name), `${name} is not in lib/config/schema.ts`);
    assert.equal(new Set(names).size, names.length, 'no variable appears twice');
  });

  test('every schema variable is set, a secret, or absent by design', () => {
    for (const spec of VARIABLES) {
      const inFile = spec.name in environment || secretNames.includes(spec.name);
      const absent = spec.name in ABSENT_BY_DESIGN;
      assert.ok(inFile !== absent, `${spec.name}: ${inFile ? 'set although listed as absent' : 'neither set nor listed as absent by design'}`);
    }
  });

  test('secrets live only under secrets, from Secrets Manager or SSM', () => {
    for (const name of ['GOVUK_NOTIFY_API_KEY', 'BACKEND_API_KEY']) assert.ok(secretNames.includes(name), `${name} under secrets`);
    for (const spec of VARIABLES.filter((v) => v.secret)) assert.ok(!(spec.name in environment), `${spec.name} must not be in environment`);
    for (const name of secretNames) assert.equal(schema.get(name)?.secret, true, `${name} is a schema secret`);
    for (const s of container.secrets) assert.match(s.valueFrom, /^arn:aws:(secretsmanager|ssm):[a-z0-9-]+:[^:]+:(secret:|parameter\/)/);
  });

  test('loadConfig accepts the environment plus dummy secrets as a deployed primary', () => {
    for (const name of secretNames) assert.ok(name in DUMMY_SECRETS, `add a dummy value for ${name}`);
    const config = loadConfig({ ...environment, ...DUMMY_SECRETS }, { role: 'primary' });
    assert.equal(config.deployed, true);
    assert.equal(config.workerCount, Number(def.cpu) / 1024);
    assert.equal(config.sqs.queueName, 'nrf-impact-assessment-jobs');
    assert.equal(config.db.iamAuthentication, true);
    assert.equal(config.db.sslMode, 'verify-full');
    assert.equal(config.logFormat, 'json');
  });

  test('without its secrets a deployed task refuses to start', () => {
    assert.throws(() => loadConfig(environment, { role: 'primary' }), (error: Error & { problems?: string[] }) => {
      const problems = error.problems ?? [];
      return ['BACKEND_API_KEY', 'GOVUK_NOTIFY_API_KEY'].every((name) => problems.some((p) => p.startsWith(`${name}:`)));
    });
  });

  test('pinned values equal the schema defaults unless they are deployment-specific', () => {
    for (const [name, value] of Object.entries(environment)) {
      const spec = schema.get(name);
      if (!spec || typeof spec.default !== 'string' || DEPLOYED_OVERRIDES.has(name)) continue;
      const normalise = (x: unknown): unknown => (x instanceof RegExp ? x.source : x);
      assert.deepEqual(normalise(spec.parse(value)), normalise(spec.parse(spec.default)), `${name} differs from its default ${JSON.stringify(spec.default)}`);
    }
  });

  test('stop timeout covers the graceful drain, within the ECS ceiling', () => {
    const grace = Number(environment.WORKER_GRACEFUL_SHUTDOWN_TIMEOUT);
    assert.ok(container.stopTimeout >= grace + 20, `stopTimeout ${container.stopTimeout} ≥ ${grace} + 20`);
    assert.ok(container.stopTimeout <= 120);
    assert.equal(container.linuxParameters.initProcessEnabled, true);
  });

  test('Fargate sizing: WORKER_COUNT = vCPUs, memory fits 1.5 GiB per worker plus 512 MiB', () => {
    assert.deepEqual(def.requiresCompatibilities, ['FARGATE']);
    assert.equal(def.networkMode, 'awsvpc');
    const workers = Number(environment.WORKER_COUNT);
    assert.equal(workers, Number(def.cpu) / 1024);
    assert.ok(Number(def.memory) >= workers * 1536 + 512, `memory ${def.memory} MiB for ${workers} workers`);
    assert.equal(def.ephemeralStorage.sizeInGiB, 21);
  });

  test('read-only root filesystem with a writable /tmp from a declared volume', () => {
    assert.equal(container.readonlyRootFilesystem, true);
    const volumes = new Set(def.volumes.map((v) => v.name));
    const tmp = container.mountPoints.find((m) => m.containerPath === '/tmp');
    assert.ok(tmp && volumes.has(tmp.sourceVolume), '/tmp is mounted from a task volume');
    assert.notEqual(tmp.readOnly, true);
  });

  test('container port and health check use HEALTH_PORT', () => {
    const port = Number(environment.HEALTH_PORT ?? schema.get('HEALTH_PORT')?.default);
    assert.deepEqual(container.portMappings.map((p) => p.containerPort), [port]);
    assert.equal(healthCheckPort(healthCheckShell(container)), port);
    assert.match(healthCheckShell(container), /^curl -fsS --max-time \d+ /, 'curl -f turns a 503 into a failed check');
    assert.ok(container.healthCheck.timeout > 3, 'the check timeout exceeds curl --max-time');
  });

  test('logs go to awslogs in non-blocking mode', () => {
    assert.equal(container.logConfiguration.logDriver, 'awslogs');
    assert.equal(container.logConfiguration.options.mode, 'non-blocking');
    assert.ok(container.logConfiguration.options['max-buffer-size']);
  });
});
