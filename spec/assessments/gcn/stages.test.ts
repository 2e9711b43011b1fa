// gcn.md §10.4 U9–U11: the habitat and frequency stages on inputs written straight into the temp
// tables the earlier stages would have produced (origin 0, 0), so each stage is checked alone.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type postgres from 'postgres';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { createWorkTables } from '../../../lib/assessments/gcn/stages/work-tables.js';
import { computeHabitat } from '../../../lib/assessments/gcn/stages/habitat.js';
import { pondZones } from '../../../lib/assessments/gcn/stages/pond-zones.js';
import { frequencyTables } from '../../../lib/assessments/gcn/tables.js';

let db: TestDatabase;
before(async () => { db = await cloneTemplate(); });
after(async () => { await db.drop(); });

const box = (x0: number, x1: number, y0: number, y1: number): string => `ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 27700)`;
const pt = (x: number, y: number): string => `ST_SetSRID(ST_MakePoint(${x}, ${y}), 27700)`;

const signal = new AbortController().signal;

interface StageInput {
  units: [area: 'RLB' | 'Buffer', geometry: string][];
  zones: [rz: string, geometry: string][];
  ponds: [area: 'RLB' | 'Buffer', pans: string, tmpImp: string, geometry: string][];
}

/** The work tables as S1–S6 and P1–P4 leave them, filled by hand (geometry SQL is test-local literals). */
async function seed(tx: postgres.TransactionSql, input: StageInput): Promise<void> {
  await createWorkTables(tx, signal);
  for (const [u, [area, g]] of input.units.entries()) await tx.unsafe(`INSERT INTO gcn_unit VALUES (${u}, '${area}', ${g}, ${g})`);
  for (const [z, [rz, g]] of input.zones.entries()) await tx.unsafe(`INSERT INTO gcn_rz VALUES (${z}, gen_random_uuid(), '${rz}', jsonb_build_object('RZ', '${rz}'), ${g})`);
  const seq = { RLB: 0, Buffer: 0 };
  for (const [k, [area, pans, tmpImp, g]] of input.ponds.entries()) {
    await tx.unsafe(`INSERT INTO gcn_pond_area VALUES (${k}, '${area}', ${seq[area]}, '${pans}', '${tmpImp}', ${g})`);
    seq[area] += 1;
  }
}

async function inTransaction<T>(fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return db.sql.begin(fn) as Promise<T>;
}


describe('gcn stages (gcn.md §10.4 U9–U11)', () => {
  test('U9 habitat: two RLB rows; the Buffer/Amber edge contact has zero area and is dropped', async () => {
    const result = await inTransaction(async (tx) => {
      await seed(tx, {
        units: [['RLB', box(0, 100, 0, 100)], ['Buffer', box(100, 200, 0, 100)]],
        zones: [['Red', box(0, 50, 0, 100)], ['Amber', box(50, 100, 0, 100)]],
        ponds: [['RLB', 'P', 'F', pt(25, 50)], ['RLB', 'P', 'F', pt(75, 50)]],
      });
      return computeHabitat(tx, 0.0001, 250, signal);
    });
    assert.deepEqual(result.rows.map((r) => [r.area, r.rz, r.shapeArea]), [['RLB', 'Red', 5000], ['RLB', 'Amber', 5000]]);
  });

  test('U10 habitat: zones far from the RLB give an empty table', async () => {
    const result = await inTransaction(async (tx) => {
      await seed(tx, {
        units: [['RLB', box(0, 10, 0, 10)]],
        zones: [['Red', box(1000, 1010, 1000, 1010)]],
        ponds: [['Buffer', 'P', 'F', pt(1005, 1005)]],
      });
      return computeHabitat(tx, 0.0001, 250, signal);
    });
    assert.deepEqual(result.rows, []);
    assert.ok((result.pondZoneAreaM2 ?? 0) > 0, 'the pond zone exists; it just misses every unit');
  });

  test('U11 frequency: grouping and code-point order', async () => {
    const rows = await inTransaction(async (tx) => {
      await seed(tx, {
        units: [],
        zones: [['Red', box(0, 15, 0, 15)], ['Amber', box(15, 35, 15, 35)]],
        ponds: [['RLB', 'P', 'F', pt(10, 10)], ['RLB', 'NS', 'F', pt(20, 20)], ['Buffer', 'P', 'T', pt(30, 30)]],
      });
      return pondZones(tx, signal);
    });
    const tables = frequencyTables(rows);
    assert.deepEqual(tables.frequency.map((r) => `${r.PANS}|${r.Area}|${r.MaxZone}|${r.TmpImp}|${r.FREQUENCY}`), ['NS|RLB|Amber|F|1', 'P|Buffer|Amber|T|1', 'P|RLB|Red|F|1']);
    assert.equal(tables.withoutRiskZone, 0);
    // No EDP edge here: every pond is assigned "" and counted as outside.
    assert.equal(tables.outsideEdp, 3);
    assert.deepEqual(tables.frequencySplit.map((r) => r.EDPName), ['', '', '']);
  });
});
