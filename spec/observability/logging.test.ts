// The ECS log record (operations.md §4.1), per-job context (§4.2), redaction (§4.4), pretty mode
// (§4.5) and the fatal configuration record (§5.1).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../lib/config.js';
import { createLogging } from '../../lib/observability/logger.js';
import { writeConfigFatal } from '../../lib/observability/config-fatal.js';
import { summariseGeometry } from '../../lib/observability/redact.js';

function capture(format: 'json' | 'pretty' = 'json') {
  const lines: string[] = [];
  const out = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
  const logging = createLogging({ serviceVersion: '1.4.0', environment: 'dev', level: 'debug', format, worker: '1', out });
  return { ...logging, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('ECS record shape', () => {
  test('fixed fields first, component as log.logger, bunyan fields renamed or dropped', () => {
    const { logger, records, lines } = capture();
    logger.child({ component: 'poll' }).info({ event: { action: 'job.received' }, sqs: { body_bytes: 12 } }, 'message received');
    const [record] = records();
    assert.deepEqual(Object.keys(record ?? {}).slice(0, 3), ['@timestamp', 'log.level', 'message']);
    assert.deepEqual(record, {
      '@timestamp': record?.['@timestamp'], 'log.level': 'info', message: 'message received', 'ecs.version': '8.11.0',
      'service.name': 'nrf-impact-assessment-worker', 'service.version': '1.4.0', 'service.environment': 'dev',
      'process.pid': process.pid, 'host.hostname': record?.['host.hostname'], 'labels.worker': '1', 'log.logger': 'poll',
      event: { action: 'job.received' }, sqs: { body_bytes: 12 },
    });
    assert.match(String(record?.['@timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n')));
  });

  test('errors become error.type/message/stack_trace/code with causes appended', () => {
    const { logger, records } = capture();
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = Object.assign(new Error('database unavailable', { cause }), { name: 'DbError', code: '57P03' });
    logger.error({ err: error }, 'query failed');
    const e = records()[0]?.error as Record<string, string>;
    assert.equal(e.type, 'DbError');
    assert.equal(e.message, 'database unavailable');
    assert.equal(e.code, '57P03');
    assert.match(e.stack_trace ?? '', /Caused by: Error: connect ECONNREFUSED/);
  });

  test('every record is capped at 4,096 bytes', () => {
    const { logger, lines } = capture();
    logger.info({ big: 'x'.repeat(20_000), list: Array.from({ length: 2_000 }, (_, i) => i) }, 'm'.repeat(300));
    assert.ok(Buffer.byteLength(lines[0] ?? '') <= 4_096, `${Buffer.byteLength(lines[0] ?? '')} bytes`);
    assert.doesNotThrow(() => JSON.parse(lines[0] ?? ''));
  });
});

describe('per-job context (AsyncLocalStorage)', () => {
  test("a job's records carry trace.id, job.id and nrf.* even through the root logger; nothing leaks out", async () => {
    const { logger, context, records } = capture();
    await context.run({ traceId: 'trace-a', messageId: 'm-1', receiveCount: 2 }, async () => {
      context.log().info('before parse');
      await Promise.resolve();
      context.update({ jobId: 'job-a', jobKey: 'file:job-a', jobKind: 'file' });
      context.log().info('after parse');
      logger.warn('through the root logger');
    });
    logger.info('outside');
    const [before, after, root, outside] = records();
    assert.deepEqual([before?.['trace.id'], before?.['job.id'], before?.nrf], ['trace-a', undefined, { message_id: 'm-1', receive_count: 2 }]);
    assert.deepEqual([after?.['trace.id'], after?.['job.id'], after?.nrf], ['trace-a', 'job-a', { job_key: 'file:job-a', job_kind: 'file', message_id: 'm-1', receive_count: 2 }]);
    assert.deepEqual([root?.['trace.id'], root?.['job.id']], ['trace-a', 'job-a']);
    assert.deepEqual([outside?.['trace.id'], outside?.['job.id'], outside?.nrf], [undefined, undefined, undefined]);
  });
});

describe('personal data and secrets (§4.4)', () => {
  test('e-mails, secret keys, Notify keys, URL credentials and geometry never reach a line', () => {
    const { logger, lines } = capture();
    const notifyKey = `live_key-2b7e0c4a-5d1f-4a8e-9c3b-7f6d5e4a3b21-3c8f1d5b-6e2a-4b9f-8d4c-8a7e6f5b4c32`;
    logger.info({
      developer: 'jane.doe@example.com',
      headers: { authorization: 'Bearer abc', 'x-api-key': 'k-123' },
      dbPassword: 'hunter2',
      url: 'postgres://app:s3cr3t@db:5432/nrf',
      note: `key ${notifyKey} for bob@example.org`,
      boundaryGeojson: { type: 'Polygon', coordinates: [[[0, 0], [100, 0], [100, 100], [0, 0]]] },
    }, 'sent to jane.doe@example.com');
    const line = lines.join('');
    for (const secret of ['jane.doe@', 'bob@', 'Bearer abc', 'k-123', 'hunter2', 's3cr3t', notifyKey, '[100,100]']) assert.ok(!line.includes(secret), secret);
    assert.match(line, /j\*\*\*@example\.com/);
    assert.match(line, /postgres:\/\/app:\*\*\*@db/);
  });

  test('a geometry summary is {type, vertices, bbox, areaHa}', () => {
    assert.deepEqual(summariseGeometry({ type: 'Polygon', coordinates: [[[500000, 200000], [500100, 200000], [500100, 200100], [500000, 200100], [500000, 200000]]] }),
      { type: 'Polygon', vertices: 5, bbox: [500000, 200000, 500100, 200100], areaHa: 1 });
    assert.deepEqual(summariseGeometry({ type: 'Polygon', coordinates: [[[-1, 51], [-0.9, 51], [-0.9, 51.1], [-1, 51]]] }),
      { type: 'Polygon', vertices: 4, bbox: [-1, 51, -0.9, 51.1], areaHa: null });
  });
});

describe('pretty output and the fatal config record', () => {
  test('pretty: time, level, worker and component, short trace id', () => {
    const { context, lines } = capture('pretty');
    context.run({ traceId: '3c8a1f0e6b2d4e59' }, () => context.log().child({ component: 'poll' }).info({ n: 1 }, 'hello'));
    assert.match(lines[0] ?? '', /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[w1 poll\] \(3c8a1f0e\) hello n=1\n$/);
  });

  test('an invalid configuration is one fatal record: error.type ConfigError and config.problems[]', () => {
    const lines: string[] = [];
    const out = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    writeConfigFatal(new ConfigError(['SQS_WAIT_TIME_SECONDS: must be an integer 1–20 (got "25")', 'AWS_S3_INPUT_BUCKET: is required']), { ENVIRONMENT: 'dev' }, out);
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.equal(record['log.level'], 'fatal');
    assert.equal(record.message, 'configuration invalid: 2 problems');
    assert.equal((record.error as { type: string }).type, 'ConfigError');
    assert.deepEqual((record.config as { problems: string[] }).problems, ['SQS_WAIT_TIME_SECONDS: must be an integer 1–20 (got "25")', 'AWS_S3_INPUT_BUCKET: is required']);
    assert.equal(record['labels.worker'], 'primary');

    const pretty: string[] = [];
    writeConfigFatal(new ConfigError(['A: bad', 'B: worse']), { LOG_FORMAT: 'pretty' }, { write: (l: string) => pretty.push(l) } as unknown as NodeJS.WritableStream);
    assert.match(pretty[0] ?? '', /FATAL \[primary\] configuration invalid: 2 problems\n {2}A: bad\n {2}B: worse\n$/);
  });
});
