// Helpers for the reference-data specs: an emptied reference schema (a "fresh database" cloned
// from the template), small GeoJSON/CSV sources written to a temp directory.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Sql } from '../../lib/db/sql.js';
import { LOADABLE_TABLES } from '../../lib/reference/tables.js';

/** Removes every reference row, pointer, load report and per-version coefficient index. */
export async function wipeReferenceData(sql: Sql): Promise<void> {
  const indexes = await sql<{ indexname: string }[]>`SELECT indexname FROM pg_indexes WHERE tablename = 'coefficient_layer' AND indexname LIKE 'coefficient_layer_v%_gist'`;
  for (const { indexname } of indexes) await sql.unsafe(`DROP INDEX ${indexname}`);
  await sql.unsafe(`TRUNCATE ${[...LOADABLE_TABLES, 'data_active_version', 'data_load_history'].join(', ')}`);
}

export async function activeVersion(sql: Sql, table: string): Promise<number | null> {
  const [row] = await sql<{ v: number }[]>`SELECT active_version AS v FROM data_active_version WHERE table_name = ${table}`;
  return row?.v ?? null;
}

export async function storedVersions(sql: Sql, table: string): Promise<number[]> {
  const rows = await sql.unsafe<{ version: number }[]>(`SELECT DISTINCT version FROM ${table} ORDER BY 1`);
  return rows.map((r) => r.version);
}

export interface TempDir {
  dir: string;
  write(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(prefix: string): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return {
    dir,
    async write(name, content) {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

type Props = Record<string, string | number | null>;

/** A 100 m square polygon feature at (e, n) in BNG metres. */
export function squareFeature(e: number, n: number, properties: Props, size = 100): object {
  return {
    type: 'Feature',
    properties,
    geometry: { type: 'Polygon', coordinates: [[[e, n], [e + size, n], [e + size, n + size], [e, n + size], [e, n]]] },
  };
}

/** FeatureCollection JSON; `crs` given ⇒ the pre-RFC 7946 named CRS member. */
export function featureCollection(features: object[], crs?: string): string {
  return JSON.stringify({ type: 'FeatureCollection', ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}), features });
}
