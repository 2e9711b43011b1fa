// Forward-only SQL migrations under an advisory lock on one reserved connection
// (operations.md §6.5). An applied file whose checksum changed stops the run.

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Sql } from './sql.js';

const LOCK_KEY = 1314014793;
export const MIGRATIONS_DIR = new URL('../reference/migrations/', import.meta.url);

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  sha256: string;
  transactional: boolean;
}

export async function readMigrations(dir: URL = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => /^\d{4}_[a-z0-9_]+\.sql$/.test(n)).sort();
  return Promise.all(names.map(async (name) => {
    const sql = await readFile(new URL(name, dir), 'utf8');
    return {
      version: Number(name.slice(0, 4)),
      name,
      sql,
      sha256: createHash('sha256').update(sql).digest('hex'),
      transactional: !sql.startsWith('-- no-transaction'),
    };
  }));
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(sql: Sql, options: { dir?: URL; lockTimeoutMs?: number } = {}): Promise<MigrateResult> {
  const files = await readMigrations(options.dir);
  const reserved = await sql.reserve();
  try {
    await reserved.unsafe(`SET lock_timeout = ${Math.floor(options.lockTimeoutMs ?? 120000)}`);
    await reserved`SELECT pg_advisory_lock(${LOCK_KEY})`;
    try {
      await reserved.unsafe('CREATE SCHEMA IF NOT EXISTS nrf_worker');
      await reserved.unsafe(`CREATE TABLE IF NOT EXISTS nrf_worker.schema_migrations (
        version int PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const rows = await reserved<{ version: number; sha256: string; name: string }[]>`SELECT version, sha256, name FROM nrf_worker.schema_migrations`;
      const done = new Map(rows.map((r) => [r.version, r]));
      const applied: string[] = [];
      for (const file of files) {
        const previous = done.get(file.version);
        if (previous) {
          if (previous.sha256 !== file.sha256) throw new Error(`Migration ${file.name} changed after it was applied (checksum mismatch)`);
          continue;
        }
        if (file.transactional) await reserved.unsafe('BEGIN');
        try {
          await reserved.unsafe(file.sql);
          await reserved`INSERT INTO nrf_worker.schema_migrations (version, name, sha256) VALUES (${file.version}, ${file.name}, ${file.sha256})`;
          if (file.transactional) await reserved.unsafe('COMMIT');
        } catch (error) {
          if (file.transactional) await reserved.unsafe('ROLLBACK').catch(() => undefined);
          throw error;
        }
        applied.push(file.name);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await reserved`SELECT pg_advisory_unlock(${LOCK_KEY})`.catch(() => undefined);
    }
  } finally {
    reserved.release();
  }
}
