// The process logger: bunyan with the ECS stream (JSON) or a human formatter (pretty, local only).

import bunyan from 'bunyan';
import type Logger from 'bunyan';
import { EcsStream } from './ecs-stream.js';
import { PrettyStream } from './pretty-stream.js';
import { LogContext } from './context.js';

export interface LoggerOptions {
  serviceName?: string;
  serviceVersion: string;
  environment: string;
  level: bunyan.LogLevelString;
  format: 'json' | 'pretty';
  /** `primary`, a slot number, or `cli`. */
  worker: string;
  out?: NodeJS.WritableStream;
}

export interface Logging {
  logger: Logger;
  context: LogContext;
}

export function createLogging(options: LoggerOptions): Logging {
  const serviceName = options.serviceName ?? 'nrf-impact-assessment-worker';
  const out = options.out ?? process.stdout;
  // Assigned after the logger exists; the stream reads it lazily per record.
  // eslint-disable-next-line prefer-const
  let context: LogContext | undefined;
  const stream = options.format === 'pretty'
    ? new PrettyStream({ worker: options.worker, out, context: () => context })
    : new EcsStream({ serviceName, serviceVersion: options.serviceVersion, environment: options.environment, worker: options.worker, out, context: () => context });
  const logger = bunyan.createLogger({
    name: serviceName,
    level: options.level,
    streams: [{ type: 'raw', level: options.level, stream }],
    serializers: { err: (e: unknown) => e },
  });
  context = new LogContext(logger);
  return { logger, context };
}
