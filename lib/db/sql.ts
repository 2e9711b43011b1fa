// postgres.js pool per worker (operations.md §6.1). numeric arrives as text: SQL casts to float8
// wherever TypeScript does arithmetic.

import postgres from 'postgres';
import type { DbConfig } from '../config.js';

export type Sql = postgres.Sql;

export interface SqlOptions {
  applicationName: string;
  /** Overrides the pool size (the migration client uses 1). */
  max?: number;
  /** Password provider (RDS IAM tokens); defaults to the static password. */
  password?: () => Promise<string>;
  onnotice?: (notice: postgres.Notice) => void;
}

export function connectionUrl(db: DbConfig): string | null {
  return db.url;
}

export function createSql(db: DbConfig, options: SqlOptions): Sql {
  const ssl = sslOption(db);
  const common = {
    max: options.max ?? db.poolMax,
    idle_timeout: 60,
    max_lifetime: 600,
    connect_timeout: 10,
    prepare: true,
    ssl,
    onnotice: options.onnotice ?? (() => undefined),
    connection: {
      application_name: options.applicationName,
      statement_timeout: db.statementTimeoutSeconds * 1000,
    },
  } satisfies postgres.Options<Record<string, postgres.PostgresType>>;
  if (db.url) return postgres(db.url, common);
  return postgres({
    ...common,
    host: db.host,
    port: db.port,
    database: db.database,
    username: db.user,
    password: options.password ?? db.password ?? undefined,
  });
}

function sslOption(db: DbConfig): false | 'require' | { ca?: string; rejectUnauthorized: boolean; minVersion: 'TLSv1.2' } {
  if (db.sslMode === 'disable') return false;
  const ca = db.caBundle ? Buffer.from(db.caBundle, 'base64').toString('utf8') : undefined;
  if (db.sslMode === 'require') return ca ? { ca, rejectUnauthorized: true, minVersion: 'TLSv1.2' } : 'require';
  return { ca, rejectUnauthorized: true, minVersion: 'TLSv1.2' };
}
