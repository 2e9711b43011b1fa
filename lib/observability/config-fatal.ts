// The one fatal record for an invalid configuration (operations.md §5.1): `error.type:
// ConfigError` and `config.problems[]` in JSON mode, one readable block in pretty mode. Written
// before any configured logger exists, so it builds a default one from the raw environment.

import { packageVersion, type ConfigError, type Env } from '../config.js';
import { createLogging } from './logger.js';

export function writeConfigFatal(error: ConfigError, env: Env, out: NodeJS.WritableStream = process.stdout): void {
  const environment = env.ENVIRONMENT && env.ENVIRONMENT.trim() !== '' ? env.ENVIRONMENT.trim() : 'local';
  const pretty = env.LOG_FORMAT?.trim() === 'pretty' && environment === 'local';
  const { logger } = createLogging({
    serviceVersion: env.SERVICE_VERSION?.trim() || packageVersion(),
    environment,
    level: 'info',
    format: pretty ? 'pretty' : 'json',
    worker: env.WORKER_SLOT?.trim() || 'primary',
    out,
  });
  const count = error.problems.length;
  const summary = `configuration invalid: ${count} problem${count === 1 ? '' : 's'}`;
  if (pretty) {
    logger.fatal(`${summary}\n${error.problems.map((p) => `  ${p}`).join('\n')}`);
    return;
  }
  logger.fatal({ err: error, event: { action: 'config.invalid', outcome: 'failure' }, config: { problems: error.problems } }, summary);
}
