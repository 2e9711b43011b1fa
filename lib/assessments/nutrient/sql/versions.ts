// Step 1 of nutrient.md §2 (§5.5): the active version of each of the seven nutrient tables,
// resolved once inside the job's snapshot; a table with no pointer or no rows at its active
// version is the data failure `reference_data_empty`.

import { jobError } from '../../../errors.js';
import { cancellable } from '../../../db/cancel.js';
import type { Tx } from './tx.js';

export const NUTRIENT_TABLES = [
  'nn_catchments', 'wwtw_catchments', 'lpa_boundaries', 'subcatchments', 'coefficient_layer', 'wwtw_lookup', 'rates_lookup',
] as const;

export type NutrientTable = (typeof NUTRIENT_TABLES)[number];
export type NutrientVersions = Record<NutrientTable, number>;

interface VersionRow {
  table_name: NutrientTable;
  active_version: number | null;
  has_rows: boolean;
}

// One EXISTS per table: table names cannot be bound parameters, so each is spelt out.
export async function resolveNutrientVersions(tx: Tx, signal: AbortSignal): Promise<NutrientVersions> {
  const rows = await cancellable(
    tx<VersionRow[]>`
      WITH v AS (
        SELECT t.name AS table_name, a.active_version
        FROM unnest(${NUTRIENT_TABLES as unknown as string[]}::text[]) AS t(name)
        LEFT JOIN data_active_version a ON a.table_name = t.name
      )
      SELECT v.table_name, v.active_version,
        CASE v.table_name
          WHEN 'nn_catchments' THEN EXISTS (SELECT 1 FROM nn_catchments x WHERE x.version = v.active_version)
          WHEN 'wwtw_catchments' THEN EXISTS (SELECT 1 FROM wwtw_catchments x WHERE x.version = v.active_version)
          WHEN 'lpa_boundaries' THEN EXISTS (SELECT 1 FROM lpa_boundaries x WHERE x.version = v.active_version)
          WHEN 'subcatchments' THEN EXISTS (SELECT 1 FROM subcatchments x WHERE x.version = v.active_version)
          WHEN 'coefficient_layer' THEN EXISTS (SELECT 1 FROM coefficient_layer x WHERE x.version = v.active_version)
          WHEN 'wwtw_lookup' THEN EXISTS (SELECT 1 FROM wwtw_lookup x WHERE x.version = v.active_version)
          WHEN 'rates_lookup' THEN EXISTS (SELECT 1 FROM rates_lookup x WHERE x.version = v.active_version)
        END AS has_rows
      FROM v`,
    signal,
  );
  const versions: Partial<NutrientVersions> = {};
  for (const table of NUTRIENT_TABLES) {
    const row = rows.find((r) => r.table_name === table);
    if (!row || row.active_version === null) throw jobError('reference_data_empty', { table, reason: 'no_active_version' });
    if (!row.has_rows) throw jobError('reference_data_empty', { table, reason: 'no_rows', version: row.active_version });
    versions[table] = row.active_version;
  }
  return versions as NutrientVersions;
}
