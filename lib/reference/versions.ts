// Version bookkeeping: claim `max + 1` under a per-table lock, record the load report, move the
// active pointers of several tables in one transaction, and purge all but the active and the
// previous version (nutrient.md §5.5–5.6).

import type postgres from 'postgres';
import type { Sql } from '../db/sql.js';
import type { LoadReport } from './report.js';
import type { LoadableTable } from './tables.js';

/** postgres.js transaction handle (same query surface as Sql). */
export type Tx = Sql | postgres.TransactionSql;

// Two-key advisory locks: namespace 1314014794 (the migration lock uses the one-key 1314014793).
const LOCK_NAMESPACE = 1314014794;

/** Serialises loads and activations of one table for the rest of the transaction. */
export async function lockTable(tx: Tx, table: LoadableTable): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${table}))`;
}

/** Next version number: above every version ever recorded or stored (failed loads included). */
export async function claimVersion(tx: Tx, table: LoadableTable): Promise<number> {
  const [row] = await tx.unsafe<{ v: number }[]>(
    `SELECT greatest(
       (SELECT max(version) FROM data_load_history WHERE table_name = $1),
       (SELECT max(version) FROM ${table})) AS v`, [table]);
  return (row?.v ?? 0) + 1;
}

export async function activeVersionOf(tx: Tx, table: LoadableTable): Promise<number | null> {
  const [row] = await tx<{ v: number }[]>`SELECT active_version AS v FROM data_active_version WHERE table_name = ${table}`;
  return row?.v ?? null;
}

export async function recordLoad(tx: Tx, report: LoadReport): Promise<void> {
  await tx`INSERT INTO data_load_history (table_name, version, source, row_count, repaired_count, qc_passed, report)
    VALUES (${report.table}, ${report.version}, ${report.source.path}, ${report.rows}, ${report.repaired}, ${report.qcPassed}, ${tx.json(JSON.parse(JSON.stringify(report)) as never)})
    ON CONFLICT (table_name, version) DO UPDATE SET report = EXCLUDED.report, qc_passed = EXCLUDED.qc_passed,
      row_count = EXCLUDED.row_count, repaired_count = EXCLUDED.repaired_count`;
}

export interface Activation {
  table: LoadableTable;
  version: number;
  previous: number | null;
}

/**
 * Points every listed table at its new version in one transaction (all or nothing). A version
 * must exist in data_load_history with qc_passed; otherwise nothing moves and this throws.
 */
export async function activateVersions(sql: Sql, targets: readonly { table: LoadableTable; version: number }[], signal?: AbortSignal): Promise<Activation[]> {
  signal?.throwIfAborted();
  const ordered = [...targets].sort((a, b) => a.table.localeCompare(b.table));
  return sql.begin(async (tx) => {
    const out: Activation[] = [];
    for (const { table, version } of ordered) {
      await lockTable(tx, table);
      const [history] = await tx<{ qc_passed: boolean }[]>`SELECT qc_passed FROM data_load_history WHERE table_name = ${table} AND version = ${version}`;
      if (!history?.qc_passed) throw new Error(`${table} v${version} cannot be activated: ${history ? 'it failed QC' : 'no such load'}`);
      const previous = await activeVersionOf(tx, table);
      await tx`INSERT INTO data_active_version (table_name, active_version, updated_at) VALUES (${table}, ${version}, now())
        ON CONFLICT (table_name) DO UPDATE SET active_version = EXCLUDED.active_version, updated_at = now()`;
      await tx`UPDATE data_load_history SET activated_at = now(), report = jsonb_set(report, '{activated}', 'true') WHERE table_name = ${table} AND version = ${version}`;
      out.push({ table, version, previous: previous === version ? null : previous });
    }
    signal?.throwIfAborted();
    return out;
  });
}

/**
 * Deletes every stored version of `table` except `keep` (the active one and its predecessor),
 * and drops the per-version partial GiST indexes of purged coefficient versions.
 */
export async function purgeVersions(sql: Sql, table: LoadableTable, keep: readonly number[], signal?: AbortSignal): Promise<number[]> {
  signal?.throwIfAborted();
  return sql.begin(async (tx) => {
    await lockTable(tx, table);
    const stored = await tx.unsafe<{ version: number }[]>(`SELECT DISTINCT version FROM ${table}`);
    const purge = stored.map((r) => r.version).filter((v) => !keep.includes(v)).sort((a, b) => a - b);
    if (purge.length === 0) return [];
    await tx.unsafe(`DELETE FROM ${table} WHERE version = ANY($1::int[])`, [purge]);
    if (table === 'coefficient_layer') {
      for (const v of purge) await tx.unsafe(`DROP INDEX IF EXISTS ${coefficientIndexName(v)}`);
    }
    return purge;
  });
}

/** The partial GiST index of one coefficient_layer version (nutrient.md §5.6 step 4). */
export function coefficientIndexName(version: number): string {
  return `coefficient_layer_v${Math.trunc(version)}_gist`;
}
