// One cloned database per spec file (operations.md §7.1): CREATE DATABASE … TEMPLATE
// impact_template, dropped WITH (FORCE) afterwards. The spec runner starts the cluster and
// builds the template once per run (scripts/run-specs.ts).

import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { DbConfig } from '../../lib/config.js';
import type { Sql } from '../../lib/db/sql.js';

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  dbConfig: DbConfig;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.NRF_TEST_PG_URL;
  if (!url) throw new Error('NRF_TEST_PG_URL is not set: run specs through `npm test` or `npm run spec -- FILE` (scripts/run-specs.ts starts PostGIS)');
  return url;
}

export function dbConfigFor(url: string, poolMax = 4): DbConfig {
  return {
    url, host: 'localhost', port: 5432, database: 'nrf_impact', user: 'postgres', password: null,
    sslMode: 'disable', iamAuthentication: false, caBundle: null, poolMax, statementTimeoutSeconds: 120,
  };
}

export async function cloneTemplate(options: { template?: string } = {}): Promise<TestDatabase> {
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
  const name = `t_${randomBytes(6).toString('hex')}`;
  const template = options.template ?? process.env.NRF_TEST_PG_TEMPLATE ?? 'impact_template';
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = adminUrl().replace(/\/[^/]*$/, `/${name}`);
  const sql = postgres(url, { max: 4, onnotice: () => undefined });
  return {
    name,
    url,
    sql,
    dbConfig: dbConfigFor(url),
    async drop(): Promise<void> {
      await sql.end({ timeout: 5 });
      const a = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
