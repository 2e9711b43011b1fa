// `bin/worker migrate`: applies the SQL migrations to the configured database.

import { loadConfig } from '../config.js';
import { createSql } from '../db/sql.js';
import { migrate } from '../db/migrate.js';
import { reportConfigError } from './common.js';

export async function migrateCommand(_args: string[]): Promise<number> {
  const config = reportConfigError(() => loadConfig(process.env, { role: 'cli', optional: ['SQS_QUEUE_URL', 'AWS_S3_INPUT_BUCKET', 'BACKEND_BASE_URL'] }));
  if (!config) return 78;
  const sql = createSql(config.db, { applicationName: 'nrf-impact-worker/migrate', max: 1 });
  try {
    const result = await migrate(sql);
    process.stdout.write(`${JSON.stringify({ applied: result.applied, alreadyApplied: result.alreadyApplied })}\n`);
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
