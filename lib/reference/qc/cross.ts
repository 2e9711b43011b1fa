// Warnings that compare two tables, evaluated after every table of a load is in, against the
// versions that will be active if this load is activated (the new one, else the current one).

import type { Sql } from '../../db/sql.js';
import type { LoadReport, QcCheck } from '../report.js';
import type { LoadableTable } from '../tables.js';
import { activeVersionOf } from '../versions.js';
import { sqlCheck } from './sql-check.js';

async function effectiveVersion(sql: Sql, table: LoadableTable, reports: readonly LoadReport[]): Promise<number | null> {
  const loaded = reports.find((r) => r.table === table && r.qcPassed);
  return loaded ? loaded.version : activeVersionOf(sql, table);
}

interface CrossRule {
  tables: [LoadableTable, LoadableTable];
  /** Which report carries the warning when both tables were loaded. */
  owner: LoadableTable;
  run: (sql: Sql, a: number, b: number) => Promise<QcCheck>;
}

const RULES: CrossRule[] = [
  {
    tables: ['nn_catchments', 'rates_lookup'],
    owner: 'nn_catchments',
    run: (sql, nn, rates) => sqlCheck(sql, 'every N2K_Site_N has a rates_lookup row', 'warning',
      `SELECT DISTINCT to_jsonb(n.name) AS example FROM nn_catchments n WHERE n.version = $1
       AND NOT EXISTS (SELECT 1 FROM rates_lookup r WHERE r.version = $2 AND r.nn_catchment = n.attributes->>'N2K_Site_N')`, [nn, rates]),
  },
  {
    tables: ['levy_charges', 'edp_boundaries'],
    owner: 'levy_charges',
    run: (sql, charges, edps) => sqlCheck(sql, 'every edp_name matches an EDP_Name of edp_boundaries', 'warning',
      `SELECT DISTINCT jsonb_build_object('edp_id', c.edp_id, 'edp_name', c.edp_name) AS example FROM levy_charges c WHERE c.version = $1
       AND NOT EXISTS (SELECT 1 FROM edp_boundaries e WHERE e.version = $2 AND trim(e.attributes->>'EDP_Name') = trim(c.edp_name))`, [charges, edps]),
  },
];

/** Appends cross-table warnings to the reports of this load; returns the reports it changed. */
export async function crossTableChecks(sql: Sql, reports: LoadReport[]): Promise<LoadReport[]> {
  const changed: LoadReport[] = [];
  for (const rule of RULES) {
    const involved = reports.filter((r) => rule.tables.includes(r.table) && r.qcPassed);
    if (involved.length === 0) continue;
    const [a, b] = await Promise.all(rule.tables.map((t) => effectiveVersion(sql, t, reports)));
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const check = await rule.run(sql, a, b);
    const target = involved.find((r) => r.table === rule.owner) ?? involved[0];
    if (!target) continue;
    target.checks.push(check);
    changed.push(target);
  }
  return changed;
}
