// Renders `.env.example` from the schema (operations.md §5.1): every variable with its doc line,
// then its default or a local value. Active lines form a working local configuration (the
// fauxqs emulator, a local backend, PostGIS without TLS); everything else is commented out with
// its default, so DATABASE_URL can replace the DB_* lines. spec/config.test.ts fails when the
// file and the schema differ. Regenerate: `node --import tsx lib/config/env-example.ts`.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VARIABLES, type VariableSpec } from './schema.js';

/** Values a local run needs that differ from (or are missing in) the schema defaults. */
export const LOCAL_VALUES: Readonly<Record<string, string>> = {
  ENVIRONMENT: 'local',
  AWS_ENDPOINT_URL: 'http://localhost:4566',
  SQS_QUEUE_URL: 'http://localhost:4566/000000000000/nrf-impact-assessment-jobs',
  AWS_S3_INPUT_BUCKET: 'nrf-inputs',
  BACKEND_BASE_URL: 'http://localhost:3001',
  DB_SSL_MODE: 'disable',
};

/**
 * Commented out even with a default: DATABASE_URL is the alternative to DB_* (setting both is an
 * error), WORKER_COUNT defaults to the CPU count, and a regex ending in `$` trips env-file
 * interpolation in some tools.
 */
const COMMENTED_DEFAULTS = new Set(['DB_HOST', 'DB_PORT', 'DB_DATABASE', 'DB_USER', 'WORKER_COUNT', 'QUOTE_REFERENCE_PATTERN']);

function exampleValue(spec: VariableSpec): string {
  if (LOCAL_VALUES[spec.name] !== undefined) return LOCAL_VALUES[spec.name] as string;
  if (typeof spec.default === 'string') return spec.default;
  if (spec.name === 'WORKER_COUNT') return '2';
  return spec.example ?? '';
}

export function renderEnvExample(): string {
  const lines = [
    '# NRF impact assessment worker: every configuration variable (generated from lib/config/schema.ts).',
    '# Active lines are a working local setup; commented lines show defaults or examples.',
    '# Regenerate with: node --import tsx lib/config/env-example.ts',
    '',
  ];
  for (const spec of VARIABLES) {
    const flags = [spec.secret ? 'secret' : null, spec.requiredDeployed ? 'required when deployed' : null].filter(Boolean);
    lines.push(`# ${spec.name}: ${spec.doc}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}`);
    const active = LOCAL_VALUES[spec.name] !== undefined || (typeof spec.default === 'string' && !COMMENTED_DEFAULTS.has(spec.name));
    lines.push(`${active ? '' : '# '}${spec.name}=${exampleValue(spec)}`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('../../.env.example', import.meta.url), renderEnvExample());
}
