// copyInto: rows arrive, a row the server rejects fails the COPY (also when postgres.js swallows the
// error after CopyDone, porsager/postgres#1173) and rolls the transaction back, and an abort stops it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { copyInto, copyLine, copyBytea } from '../../lib/reference/copy.js';

describe('copyInto', () => {
  let db: TestDatabase;
  before(async () => {
    db = await cloneTemplate();
    await db.sql`CREATE TABLE copy_probe (a int, b text, c bytea)`;
  });
  after(async () => { await db?.drop(); });

  test('escapes tabs, newlines, backslashes and nulls; bytea travels as hex', async () => {
    const lines = [copyLine([1, 'tab\there', null]).replace('\\N\n', `${copyBytea(Buffer.from([0, 255]))}\n`), copyLine([2, 'line\nbreak \\ back', null])];
    assert.equal(await copyInto(db.sql, 'copy_probe (a, b, c)', lines), 2);
    const rows = await db.sql<{ a: number; b: string; c: Buffer | null }[]>`SELECT a, b, c FROM copy_probe ORDER BY a`;
    assert.deepEqual(rows.map((r) => [r.a, r.b, r.c ? [...r.c] : null]), [[1, 'tab\there', [0, 255]], [2, 'line\nbreak \\ back', null]]);
    await db.sql`TRUNCATE copy_probe`;
  });

  test('a rejected row fails the COPY and the transaction, however late the server reports it', async () => {
    const rows = function* (): Generator<string> {
      for (let k = 0; k < 50_000; k += 1) yield k === 49_990 ? 'not-a-number\tx\t\\N\n' : `${k}\tv\t\\N\n`;
    };
    await assert.rejects(db.sql.begin((tx) => copyInto(tx, 'copy_probe (a, b, c)', rows(), { finishTimeoutMs: 2_000 })));
    const [row] = await db.sql<{ n: string }[]>`SELECT count(*) AS n FROM copy_probe`;
    assert.equal(Number(row?.n), 0);
  });

  test('an abort stops the COPY and leaves nothing behind', async () => {
    const controller = new AbortController();
    const rows = async function* (): AsyncGenerator<string> {
      for (let k = 0; ; k += 1) {
        if (k === 20_000) controller.abort(new Error('stop'));
        if (k % 5_000 === 0) await new Promise((r) => setImmediate(r));
        yield `${k}\tv\t\\N\n`;
      }
    };
    await assert.rejects(db.sql.begin((tx) => copyInto(tx, 'copy_probe (a, b, c)', rows(), { signal: controller.signal })), /stop/);
    const [row] = await db.sql<{ n: string }[]>`SELECT count(*) AS n FROM copy_probe`;
    assert.equal(Number(row?.n), 0);
  });
});
