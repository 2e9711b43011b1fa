// scripts/pg-up.sh and scripts/pg-down.sh (operations.md §7.1), run for real on a free port.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort } from '../support/cluster.js';
import { REPO_ROOT } from '../support/data.js';

const run = promisify(execFile);

async function script(name: string, port: number): Promise<{ stdout: string; stderr: string }> {
  return run('bash', [path.join(REPO_ROOT, 'scripts', name)], { env: { ...process.env, PGPORT: String(port) }, timeout: 120_000 });
}

/** `export NAME=value` lines → a record. */
function exports(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

describe('scripts/pg-up.sh and pg-down.sh', () => {
  let port = 0;
  after(async () => {
    if (port) await script('pg-down.sh', port).catch(() => undefined);
  });

  test('start a PostGIS cluster on 127.0.0.1, reuse it, then stop and remove it', async () => {
    port = await freePort();
    const up = await script('pg-up.sh', port);
    const env = exports(up.stdout);
    assert.equal(env.DATABASE_URL, `postgres://postgres@127.0.0.1:${port}/nrf_impact`);
    assert.equal(env.DB_SSL_MODE, 'disable');
    assert.equal(up.stdout.trim().split('\n').length, 2, 'stdout holds only the export lines (eval-able)');

    const stateFile = `/tmp/nrf-pg-${port}.state`;
    const dataDir = /^PGDATA=(.*)$/m.exec(readFileSync(stateFile, 'utf8'))?.[1] ?? '';
    assert.match(dataDir, /^\/tmp\/nrf-pg-/);

    const sql = postgres(env.DATABASE_URL ?? '', { max: 1, onnotice: () => undefined });
    try {
      const [settings] = await sql<{ db: string; fsync: string; sync: string; fpw: string; listen: string; encoding: string }[]>`
        SELECT current_database() AS db, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync,
               current_setting('full_page_writes') AS fpw, current_setting('listen_addresses') AS listen,
               pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()`;
      assert.deepEqual(settings, { db: 'nrf_impact', fsync: 'off', sync: 'off', fpw: 'off', listen: '127.0.0.1', encoding: 'UTF8' });
      await sql`CREATE EXTENSION IF NOT EXISTS postgis`;
      const [{ area } = { area: 0 }] = await sql<{ area: number }[]>`SELECT ST_Area(ST_MakeEnvelope(0, 0, 10, 20, 27700))::float8 AS area`;
      assert.equal(area, 200);
    } finally {
      await sql.end({ timeout: 5 });
    }

    const again = await script('pg-up.sh', port);
    assert.equal(again.stdout, up.stdout, 'a second run on the same port reuses the cluster');
    assert.match(again.stderr, /already running/);

    await script('pg-down.sh', port);
    assert.ok(!existsSync(dataDir), 'data directory removed');
    assert.ok(!existsSync(stateFile), 'state file removed');
    const probe = postgres(env.DATABASE_URL ?? '', { max: 1, connect_timeout: 2, onnotice: () => undefined });
    await assert.rejects(probe`SELECT 1`, /ECONNREFUSED/);
    await probe.end({ timeout: 1 });
    port = 0;
  });
});
