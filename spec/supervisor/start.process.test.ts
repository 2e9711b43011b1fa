// `bin/worker start` as ECS runs it (operations.md §1.2, §4.1, §5.1): a bad configuration is one
// fatal ECS record and exit 78; a good one boots the production worker entry (real readiness
// check against a cloned PostGIS database) and its first log lines parse as ECS JSON.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalAws, type LocalAws } from '../support/aws.js';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { baseEnv, startPrimary, waitForHealth, type EcsRecord } from '../support/test-worker-process.js';

describe('bin/worker start', () => {
  test('an invalid configuration is one fatal ECS record listing every problem, and exit 78', async () => {
    const primary = await startPrimary({
      command: 'bin',
      env: baseEnv({
        SQS_QUEUE_URL: 'http://127.0.0.1:9/000000000000/q',
        SQS_WAIT_TIME_SECONDS: '25',
        WORKER_COUNTT: '2',
        AWS_S3_INPUT_BUCKET: '',
        DB_PASSWORD: 'hunter2-secret',
        DB_IAM_AUTHENTICATION: 'maybe',
      }),
    });
    const { code } = await primary.exited;
    assert.equal(code, 78);
    assert.deepEqual(primary.junk, []);
    assert.equal(primary.records.length, 1, 'exactly one record');
    const record = primary.records[0] as EcsRecord & { error: { type: string; message: string }; config: { problems: string[] } };
    assert.deepEqual(Object.keys(record).slice(0, 3), ['@timestamp', 'log.level', 'message']);
    assert.equal(record['log.level'], 'fatal');
    assert.equal(record['service.name'], 'nrf-impact-assessment-worker');
    assert.equal(record.error.type, 'ConfigError');
    const problems = record.config.problems.join('\n');
    assert.match(problems, /SQS_WAIT_TIME_SECONDS: must be an integer 1–20 \(got "25"\)/);
    assert.match(problems, /WORKER_COUNTT: unknown variable/);
    assert.match(problems, /AWS_S3_INPUT_BUCKET: is required/);
    assert.match(problems, /DB_IAM_AUTHENTICATION: must be true or false/);
    assert.doesNotMatch(JSON.stringify(record), /hunter2/);
  });

  describe('with valid configuration', () => {
    let aws: LocalAws;
    let db: TestDatabase;
    before(async () => {
      aws = await startLocalAws();
      db = await cloneTemplate();
    });
    after(async () => {
      await aws.stop();
      await db.drop();
    });

    test('boots the production worker entry (migrating first); the first log lines are ECS JSON; SIGTERM exits 0', async () => {
      const primary = await startPrimary({ command: 'bin', env: baseEnv({ ...aws.env, WORKER_COUNT: '1', DATABASE_URL: db.url, DB_MIGRATE_ON_START: 'true' }) });
      try {
        const health = await waitForHealth(primary, (b) => b.status === 'ok', 40_000);
        assert.equal(health.ready, true);
        assert.ok(Object.keys(health.referenceDataVersions as Record<string, number>).length > 0, 'real readiness reports versions');

        const first = primary.records.slice(0, 3);
        assert.equal(first[0]?.['labels.worker'], 'primary');
        assert.equal(first[0]?.event?.action, 'config.loaded');
        for (const record of first) {
          assert.deepEqual(Object.keys(record).slice(0, 3), ['@timestamp', 'log.level', 'message']);
          assert.match(record['@timestamp'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].includes(record['log.level']));
          assert.equal(record['service.name'], 'nrf-impact-assessment-worker');
          assert.equal(typeof record['service.version'], 'string');
          assert.equal(record['service.environment'], 'local');
          assert.equal(record['ecs.version'], '8.11.0');
          assert.equal(typeof record['process.pid'], 'number');
          assert.equal(record.v, undefined, "bunyan's v is dropped");
        }
        const loaded = first[0] as EcsRecord & { config: { variables: Record<string, string> } };
        assert.equal(loaded.config.variables.DATABASE_URL, '***', 'secrets are masked');
        assert.ok(primary.records.some((r) => r['labels.worker'] === '0' && r.event?.action === 'readiness.changed'));
        const migrated = primary.records.find((r) => r.event?.action === 'migrations.applied');
        assert.equal(migrated?.['labels.worker'], 'primary');
        assert.ok(primary.records.indexOf(migrated) < primary.records.findIndex((r) => r['labels.worker'] === '0'), 'migrations finish before any worker starts');
        assert.deepEqual(primary.junk, []);

        primary.child.kill('SIGTERM');
        assert.equal((await primary.exited).code, 0);
      } finally {
        await primary.stop();
      }
    });
  });
});
