// Readiness (contracts.md §7.3, operations.md §3.2): the database answers SELECT 1, and every
// manifest table except gcn_ponds has an active version holding at least one row. Workers run
// this while idle; it gates polling and feeds /health.

import type { Sql } from '../db/sql.js';
import { READINESS_TABLES } from './tables.js';
import { cancellable } from '../db/cancel.js';

export interface Readiness {
  database: boolean;
  referenceData: boolean;
  /** Tables without an active version or whose active version is empty. Empty when the database is down. */
  missing: string[];
  /** Active version per table that has one. */
  versions: Record<string, number>;
  /** Why the check could not complete (connection or schema error), for logs. */
  error?: string;
}

// One EXISTS per table: table names cannot be bound parameters, so each branch is spelt out
// from the constant manifest.
const DATA_QUERY = READINESS_TABLES.map((t) => `SELECT '${t}'::text AS table_name, a.active_version,
    EXISTS (SELECT 1 FROM ${t} x WHERE x.version = a.active_version) AS has_rows
  FROM (SELECT (SELECT active_version FROM data_active_version WHERE table_name = '${t}') AS active_version) a`).join('\nUNION ALL\n');

export async function checkReadiness(sql: Sql, signal?: AbortSignal): Promise<Readiness> {
  try {
    await cancellable(sql`SELECT 1`, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    return { database: false, referenceData: false, missing: [], versions: {}, error: (error as Error).message };
  }
  try {
    const rows = await cancellable(sql.unsafe<{ table_name: string; active_version: number | null; has_rows: boolean }[]>(DATA_QUERY), signal);
    const versions: Record<string, number> = {};
    const missing: string[] = [];
    for (const table of READINESS_TABLES) {
      const row = rows.find((r) => r.table_name === table);
      if (row?.active_version !== null && row?.active_version !== undefined) versions[table] = row.active_version;
      if (!row || row.active_version === null || !row.has_rows) missing.push(table);
    }
    return { database: true, referenceData: missing.length === 0, missing, versions };
  } catch (error) {
    if (signal?.aborted) throw error;
    // Reachable but not migrated (or a table gone): nothing can be assessed.
    return { database: true, referenceData: false, missing: [...READINESS_TABLES], versions: {}, error: (error as Error).message };
  }
}
