// bunyan raw stream → one Elastic Common Schema JSON line per record (operations.md §4.1).
// Records logged outside a job's own child logger still get the job's fields from the store.

import type { Writable } from 'node:stream';
import { redact, redactField, redactText } from './redact.js';
import { errorChain } from '../errors.js';
import type { LogContext } from './context.js';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const MAX_LINE_BYTES = 4096;

export interface EcsStreamOptions {
  serviceName: string;
  serviceVersion: string;
  environment: string;
  worker: string;
  out: Pick<Writable, 'write'>;
  context?: () => LogContext | undefined;
}

// bunyan core fields and the context fields that map to ECS names.
const HANDLED = new Set(['time', 'level', 'msg', 'name', 'hostname', 'pid', 'v', 'component', 'err', 'traceId', 'jobId', 'jobKey', 'jobKind', 'messageId', 'receiveCount', 'event', 'src']);

export function toEcs(record: Record<string, unknown>, opts: Omit<EcsStreamOptions, 'out'>): Record<string, unknown> {
  const time = record.time instanceof Date ? record.time : new Date();
  const scope = opts.context?.()?.current();
  const traceId = (record.traceId as string | undefined) ?? scope?.traceId;
  const jobId = (record.jobId as string | undefined) ?? scope?.jobId ?? undefined;
  const ecs: Record<string, unknown> = {
    '@timestamp': time.toISOString(),
    'log.level': LEVELS[record.level as number] ?? 'info',
    message: redactText((typeof record.msg === 'string' ? record.msg : '')),
    'ecs.version': '8.11.0',
    'service.name': opts.serviceName,
    'service.version': opts.serviceVersion,
    'service.environment': opts.environment,
    'process.pid': record.pid,
    'host.hostname': record.hostname,
    'labels.worker': opts.worker,
  };
  if (record.component) ecs['log.logger'] = record.component;
  if (traceId) ecs['trace.id'] = traceId;
  if (jobId) ecs['job.id'] = jobId;
  const nrf: Record<string, unknown> = {};
  const jobKey = (record.jobKey as string | undefined) ?? scope?.jobKey;
  const jobKind = (record.jobKind as string | undefined) ?? scope?.jobKind;
  const messageId = (record.messageId as string | undefined) ?? scope?.messageId;
  const receiveCount = (record.receiveCount as number | undefined) ?? scope?.receiveCount;
  if (jobKey) nrf.job_key = jobKey;
  if (jobKind) nrf.job_kind = jobKind;
  if (messageId) nrf.message_id = messageId;
  if (receiveCount !== undefined && receiveCount !== null) nrf.receive_count = receiveCount;
  if (Object.keys(nrf).length > 0) ecs.nrf = nrf;
  if (record.event && typeof record.event === 'object') ecs.event = redact(record.event);
  if (record.err instanceof Error) ecs.error = errorFields(record.err);
  for (const [key, value] of Object.entries(record)) {
    // Top-level keys get the same key-based masking as nested ones (a `dbPassword` field too).
    if (!HANDLED.has(key) && !(key in ecs)) ecs[key] = redactField(key, value);
  }
  return ecs;
}

function errorFields(err: Error): Record<string, unknown> {
  const chain = errorChain(err);
  const stack = chain.map((e, i) => (i === 0 ? '' : 'Caused by: ') + (e.stack ?? `${e.name}: ${e.message}`)).join('\n');
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: redactText(err.message),
    stack_trace: redactText(stack),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
  };
}

/** Serialises and caps a record at 4 KiB so lines from several processes never interleave. */
export function ecsLine(ecs: Record<string, unknown>): string {
  let line = JSON.stringify(ecs);
  if (Buffer.byteLength(line) + 1 <= MAX_LINE_BYTES) return line;
  const trimmed: Record<string, unknown> = { ...ecs };
  for (const key of Object.keys(trimmed).reverse()) {
    const value = trimmed[key];
    if (typeof value === 'string' && value.length > 200) trimmed[key] = `${value.slice(0, 200)}…[truncated]`;
    else if (value && typeof value === 'object' && key !== 'error') trimmed[key] = '[truncated]';
    line = JSON.stringify(trimmed);
    if (Buffer.byteLength(line) + 1 <= MAX_LINE_BYTES) return line;
  }
  const error = trimmed.error as Record<string, unknown> | undefined;
  if (error && typeof error.stack_trace === 'string') error.stack_trace = `${error.stack_trace.slice(0, 1000)}…[truncated]`;
  line = JSON.stringify(trimmed);
  return Buffer.byteLength(line) + 1 <= MAX_LINE_BYTES ? line : JSON.stringify({ '@timestamp': ecs['@timestamp'], 'log.level': ecs['log.level'], message: String(ecs.message).slice(0, 1000), 'service.name': ecs['service.name'], truncated: true });
}

export class EcsStream {
  constructor(private readonly opts: EcsStreamOptions) {}

  write(record: object): void {
    this.opts.out.write(`${ecsLine(toEcs(record as Record<string, unknown>, this.opts))}\n`);
  }
}
