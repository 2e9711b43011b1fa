// Reference-data access for one GCN job (gcn.md §4): the active versions, resolved once inside
// the job's REPEATABLE READ transaction, and the job-time guard that runs before any geometry work.

import type postgres from 'postgres';
import { JobError } from '../../errors.js';
import { cancellable } from '../../db/cancel.js';
import type { GcnLogger, GcnRoute } from './types.js';

export type GcnTable = 'gcn_risk_zones' | 'gcn_ponds' | 'edp_edges';

export interface GcnVersions {
  gcn_risk_zones: number;
  edp_edges: number;
  /** Null on the survey route: the national layer is never read there. */
  gcn_ponds: number | null;
}

/** The tables a route needs, in the order the guard reports them. */
export function requiredTables(route: GcnRoute): GcnTable[] {
  return route === 'national' ? ['gcn_risk_zones', 'edp_edges', 'gcn_ponds'] : ['gcn_risk_zones', 'edp_edges'];
}

/**
 * Resolves each needed table's active version and checks it holds rows. Absent or empty →
 * `gcn_reference_data_missing` with `detail.table` (and the version, when there is one).
 */
export async function resolveGcnVersions(tx: postgres.TransactionSql, route: GcnRoute, signal: AbortSignal, logger?: GcnLogger): Promise<GcnVersions> {
  const tables = requiredTables(route);
  const rows = await cancellable(tx<{ table_name: string; active_version: number; has_rows: boolean }[]>`
    SELECT v.table_name, v.active_version,
           CASE v.table_name
             WHEN 'gcn_risk_zones' THEN EXISTS (SELECT 1 FROM gcn_risk_zones r WHERE r.version = v.active_version)
             WHEN 'edp_edges' THEN EXISTS (SELECT 1 FROM edp_edges e WHERE e.version = v.active_version)
             WHEN 'gcn_ponds' THEN EXISTS (SELECT 1 FROM gcn_ponds p WHERE p.version = v.active_version)
           END AS has_rows
    FROM data_active_version v
    WHERE v.table_name IN ${tx(tables)}`, signal);
  const found = new Map(rows.map((row) => [row.table_name, row]));
  const versions: Partial<Record<GcnTable, number>> = {};
  for (const table of tables) {
    const row = found.get(table);
    if (!row || !row.has_rows) {
      const detail = { table, activeVersion: row?.active_version ?? null, reason: row ? 'empty' : 'no_active_version' };
      logger?.error({ code: 'gcn_reference_data_missing', ...detail }, `GCN reference table ${table} has no usable active version`);
      throw new JobError('gcn_reference_data_missing', { detail });
    }
    versions[table] = row.active_version;
  }
  return {
    gcn_risk_zones: versions.gcn_risk_zones ?? 0,
    edp_edges: versions.edp_edges ?? 0,
    gcn_ponds: route === 'national' ? versions.gcn_ponds ?? null : null,
  };
}

/** `gcn_reference_data_invalid` with the table, row id, reason and active version, logged at ERROR. */
export function invalidReferenceData(table: GcnTable, id: string, reason: string, version: number, logger?: GcnLogger, value?: string | null): JobError {
  const detail: Record<string, unknown> = { table, id, reason, activeVersion: version };
  if (value !== undefined) detail.value = value;
  logger?.error({ code: 'gcn_reference_data_invalid', ...detail }, `GCN reference table ${table} has an invalid row`);
  return new JobError('gcn_reference_data_invalid', { detail });
}
