import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { migrate, readMigrations } from '../../lib/db/migrate.js';

describe('migrations', () => {
  let db: TestDatabase;
  before(async () => {
    db = await cloneTemplate();
  });
  after(async () => {
    await db.drop();
  });

  test('the template has every migration applied and a re-run applies nothing', async () => {
    const files = await readMigrations();
    const rows = await db.sql<{ version: number }[]>`SELECT version FROM nrf_worker.schema_migrations ORDER BY version`;
    assert.deepEqual(rows.map((r) => r.version), files.map((f) => f.version));
    const again = await migrate(db.sql);
    assert.deepEqual(again.applied, []);
    assert.equal(again.alreadyApplied, files.length);
  });

  test('reference tables are SRID 27700 with GiST indexes', async () => {
    const rows = await db.sql<{ f_table_name: string; srid: number }[]>`SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'public' ORDER BY 1`;
    assert.ok(rows.length >= 10);
    for (const row of rows) assert.equal(row.srid, 27700, row.f_table_name);
    const gist = await db.sql<{ tablename: string }[]>`SELECT tablename FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'`;
    const indexed = new Set(gist.map((g) => g.tablename));
    // coefficient_layer is indexed per stored version by the loader (0004; spec/reference covers it).
    for (const row of rows.filter((r) => r.f_table_name !== 'coefficient_layer')) assert.ok(indexed.has(row.f_table_name), `${row.f_table_name} has a GiST index`);
  });

  test('two concurrent runs serialise on the advisory lock', async () => {
    const [a, b] = await Promise.all([migrate(db.sql), migrate(db.sql)]);
    assert.deepEqual([...a.applied, ...b.applied], []);
  });
});
