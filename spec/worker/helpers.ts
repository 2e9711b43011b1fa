// Shared fakes for worker unit specs: an SQS client whose `send` is routed by command class
// (exact AWS error names matter there, operations.md §7.2), captured ECS logs and real metrics.

import type { SQSClient } from '@aws-sdk/client-sqs';
import { Registry } from 'prom-client';
import { createLogging, type Logging } from '../../lib/observability/logger.js';
import { createWorkerMetrics, type WorkerMetrics } from '../../lib/observability/metrics.js';

export type CommandName = 'ReceiveMessageCommand' | 'DeleteMessageCommand' | 'ChangeMessageVisibilityCommand' | 'GetQueueUrlCommand' | 'GetQueueAttributesCommand';

export interface StubCall {
  command: string;
  input: Record<string, unknown>;
  signal: AbortSignal | undefined;
}

type Handler = (input: Record<string, unknown>, signal: AbortSignal | undefined, call: number) => unknown;

export function stubSqs(handlers: Partial<Record<CommandName, Handler>>) {
  const calls: StubCall[] = [];
  const counts = new Map<string, number>();
  return {
    calls,
    callsOf: (name: CommandName) => calls.filter((c) => c.command === name),
    // SQSClient.send is overloaded (promise and callback forms); the stub implements the promise form.
    send: (async (command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown> => {
      const name = command.constructor.name;
      const input = (command as { input: Record<string, unknown> }).input;
      calls.push({ command: name, input, signal: options?.abortSignal });
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      const handler = handlers[name as CommandName];
      if (!handler) throw new Error(`unexpected ${name}`);
      return await handler(input, options?.abortSignal, n);
    }) as unknown as SQSClient['send'],
  };
}

/** An SDK-shaped error: name, message and optional HTTP status / Node code. */
export function awsError(name: string, status?: number, code?: string): Error {
  const error = new Error(`${name} from the stub`);
  error.name = name;
  if (status !== undefined) Object.assign(error, { $metadata: { httpStatusCode: status } });
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

export interface CapturedLogging extends Logging {
  records(): Array<Record<string, unknown>>;
}

export function captureLogging(level: 'debug' | 'info' = 'debug'): CapturedLogging {
  const lines: string[] = [];
  const logging = createLogging({ serviceVersion: 'test', environment: 'local', level, format: 'json', worker: '0', out: { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream });
  return { ...logging, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export function testMetrics(): { registry: Registry; metrics: WorkerMetrics } {
  const registry = new Registry();
  return { registry, metrics: createWorkerMetrics(registry) };
}

/** Current value of a metric series from the registry (labels must match exactly). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  const match = data.values.find((v) => Object.keys(labels).every((k) => String(v.labels[k]) === labels[k]) && Object.keys(v.labels).length === Object.keys(labels).length);
  return match?.value ?? 0;
}
