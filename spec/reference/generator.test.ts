// The synthetic coefficient layer without a database (nutrient.md §11, §12.8): determinism and the
// pinned `test` preset hash, extent independence, exact row counts, hexagon geometry read back
// from the written GeoPackage, category shares and Urban rows.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { needsSharedData, sharedPath } from '../support/data.js';
import { planGeneration, manifestOf, generateCoefficients, type CoefficientRow, type GeneratorOptions } from '../../lib/reference/generator/generate.js';
import { cellAreaM2, latticeFor, ringMm } from '../../lib/reference/generator/hexagon.js';
import { cellKey, fmix32, mulberry32, q } from '../../lib/reference/generator/random.js';
import { writeCoefficientGpkg } from '../../lib/reference/generator/gpkg-writer.js';
import { parseGpkgHeader } from '../../lib/reference/readers/gpkg.js';
import { SelectionError } from '../../lib/reference/generator/selection.js';
import { TEST_PRESET_SHA256 } from './expected.js';


async function rows(options: GeneratorOptions): Promise<CoefficientRow[]> {
  const out: CoefficientRow[] = [];
  for await (const row of generateCoefficients(options)) out.push(row);
  return out;
}

describe('hexagon maths (§11.1)', () => {
  test('4 ha cells: s = 124,080 mm, a = 107,456 mm, area 3·a·s = 39,999.42 m²', () => {
    const lattice = latticeFor(4);
    assert.equal(lattice.sMm, 124_080);
    assert.equal(lattice.aMm, 107_456);
    assert.equal(lattice.rowPitchMm, 186_120);
    assert.equal(lattice.colPitchMm, 214_912);
    assert.ok(Math.abs(cellAreaM2(lattice) - 39_999.42) < 0.005);
  });
  test('vertices are anticlockwise from the top and the ring is closed', () => {
    const ring = ringMm(latticeFor(4), 1, 1);
    // centre (2a·1 + a, 1.5·s) = (322368, 186120)
    assert.deepEqual(ring.slice(0, 4), [322_368, 186_120 + 124_080, 322_368 - 107_456, 186_120 + 62_040]);
    assert.deepEqual(ring.slice(12), ring.slice(0, 2));
  });
});

describe('deterministic draws (§11.3)', () => {
  test('fmix32 is the MurmurHash3 finaliser', () => {
    assert.equal(fmix32(0), 0);
    assert.equal(fmix32(1), 0x514e28b7);
    assert.equal(fmix32(0xffffffff), 0x81f16f39);
  });
  test('mulberry32 matches the reference sequence for seed 1', () => {
    const next = mulberry32(1);
    assert.equal(Math.round(next() * 1e9), 627_073_941);
    assert.equal(Math.round(next() * 1e9), 2_735_721);
  });
  test('cell keys depend on seed, i and j', () => {
    assert.notEqual(cellKey(27700, 1, 2), cellKey(27700, 2, 1));
    assert.notEqual(cellKey(27700, 1, 2), cellKey(27701, 1, 2));
    assert.equal(cellKey(27700, 1, 2), cellKey(27700, 1, 2));
  });
  test('q() rounds to 0.001 with ties to even', () => {
    assert.equal(q(0.0125), 0.012);
    assert.equal(q(0.0135), 0.014);
    assert.equal(q(12.3004), 12.3);
    assert.equal(q(-0.0001), 0);
    assert.ok(Object.is(q(-0.0001), 0));
  });
});

describe('extent and row count (§11.2)', () => {
  const bboxA = { minE: 600_000, minN: 300_000, maxE: 605_000, maxN: 304_000 };
  const bboxB = { minE: 603_000, minN: 302_000, maxE: 609_000, maxN: 306_000 };

  test('a bbox covers exactly the cells whose box overlaps it; --parcels gives exactly N rows in (j, i) order', async () => {
    const plan = await planGeneration({ bbox: bboxA, parcels: 700 });
    const lattice = plan.lattice;
    const list = [...plan.generate()];
    assert.equal(list.length, 700);
    for (let k = 1; k < list.length; k += 1) {
      const p = list[k - 1] as CoefficientRow, c = list[k] as CoefficientRow;
      assert.ok(p.j < c.j || (p.j === c.j && p.i < c.i), 'ascending (j, i)');
    }
    // brute force coverage over a window around the bbox
    let coverage = 0;
    for (let j = 1500; j < 1700; j += 1) {
      for (let i = 2700; i < 2900; i += 1) {
        const x = lattice.aMm * (2 * i + (j & 1)), y = lattice.rowPitchMm * j;
        if (x - lattice.aMm < bboxA.maxE * 1000 && x + lattice.aMm > bboxA.minE * 1000 && y - lattice.sMm < bboxA.maxN * 1000 && y + lattice.sMm > bboxA.minN * 1000) coverage += 1;
      }
    }
    assert.equal(plan.coverageRows, coverage);
    const ids = new Set(list.map((r) => r.cromeid));
    assert.equal(ids.size, 700);
  });

  test('coverage cells are always present, padding goes nearest-first, and N < coverage is an error', async () => {
    const covered = await planGeneration({ bbox: bboxA, parcels: 0, allowPartial: true });
    assert.equal(covered.rows, 0);
    const exact = await planGeneration({ bbox: bboxA, parcels: covered.coverageRows });
    const padded = await planGeneration({ bbox: bboxA, parcels: covered.coverageRows + 50 });
    const exactIds = new Set([...exact.generate()].map((r) => r.cromeid));
    const paddedRows = [...padded.generate()];
    for (const id of exactIds) assert.ok(paddedRows.some((r) => r.cromeid === id));
    const centre = { x: 602_500_000, y: 302_000_000 };
    const d2 = (r: CoefficientRow): number => (107_456 * (2 * r.i + (r.j & 1)) - centre.x) ** 2 + (186_120 * r.j - centre.y) ** 2;
    const extra = paddedRows.filter((r) => !exactIds.has(r.cromeid)).map(d2);
    const maxExtra = Math.max(...extra);
    // every non-selected cell near the extent is at least as far as the farthest padding cell
    for (let j = 1590; j < 1660; j += 1) {
      for (let i = 2780; i < 2830; i += 1) {
        const r = { i, j } as CoefficientRow;
        if (!paddedRows.some((p) => p.i === i && p.j === j)) assert.ok(d2(r) >= maxExtra, `cell ${i},${j} should have been padded first`);
      }
    }
    await assert.rejects(planGeneration({ bbox: bboxA, parcels: covered.coverageRows - 1 }), SelectionError);
    const partial = await planGeneration({ bbox: bboxA, parcels: covered.coverageRows - 1, allowPartial: true });
    assert.equal([...partial.generate()].length, covered.coverageRows - 1);
  });

  test('extent independence: cells common to two extents are identical in every column', async () => {
    const a = await rows({ bbox: bboxA, parcels: 1200, nullShare: 0.1 });
    const b = await rows({ bbox: bboxB, parcels: 2000, nullShare: 0.1 });
    const byId = new Map(b.map((r) => [r.cromeid, r]));
    const common = a.filter((r) => byId.has(r.cromeid));
    assert.ok(common.length > 100, `only ${common.length} common cells`);
    for (const r of common) assert.deepEqual(byId.get(r.cromeid), r);
  });
});

describe('the test preset (§11.4, §12.8)', needsSharedData(), () => {
  const within = (): string => sharedPath('reference', 'nn_catchments.gpkg');

  test('same options ⇒ same manifest hash, and it is the recorded one', async () => {
    const first = manifestOf(await planGeneration({ preset: 'test', within: within() }));
    const second = manifestOf(await planGeneration({ preset: 'test', within: within() }));
    assert.equal(first.sha256, second.sha256);
    assert.equal(first.sha256, TEST_PRESET_SHA256);
    assert.equal(first.rows, 100_000);
    assert.ok(first.coverageRows > 11_000 && first.coverageRows < 12_500, `coverage ${first.coverageRows} (≈ 11,800)`);
    const reseeded = manifestOf(await planGeneration({ preset: 'test', within: within(), seed: 1 }));
    assert.notEqual(reseeded.sha256, first.sha256);
  });

  test('category shares within ±1 % of target at 100,000 rows; Urban rows have resi = curr', async () => {
    const plan = await planGeneration({ preset: 'test', within: within() });
    const counts = new Map<string, number>();
    for (const r of plan.generate()) {
      counts.set(r.landUseCat, (counts.get(r.landUseCat) ?? 0) + 1);
      if (r.landUseCat === 'Urban') {
        assert.equal(r.luCurrN, r.nResi);
        assert.equal(r.luCurrP, r.pResi);
      }
      if (r.landUseCat === 'Water') assert.deepEqual([r.luCurrN, r.luCurrP], [0, 0]);
    }
    for (const [name, share] of Object.entries(plan.shares)) {
      const actual = (counts.get(name) ?? 0) / plan.rows;
      assert.ok(Math.abs(actual - share) <= 0.01, `${name}: ${actual} vs ${share}`);
    }
  });

  test('test-urban: every row is Urban', async () => {
    const plan = await planGeneration({ preset: 'test-urban', within: within(), parcels: 5_000, allowPartial: true });
    for (const r of plan.generate()) assert.equal(r.landUseCat, 'Urban');
  });
});

describe('GeoPackage output (§11.4)', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'coeff-gpkg-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('a valid GeoPackage: metadata tables, Polygon blobs with 3·a·s area and bit-exact shared edges', async () => {
    const plan = await planGeneration({ bbox: { minE: 600_000, minN: 300_000, maxE: 602_000, maxN: 302_000 }, parcels: 300, nullShare: 0.2 });
    const file = path.join(dir, 'coefficients.gpkg');
    const written = writeCoefficientGpkg(plan, file);
    const manifest = JSON.parse(await readFile(written.manifestFile, 'utf8')) as { sha256: string; rows: number };
    assert.equal(manifest.sha256, manifestOf(plan).sha256);
    assert.equal(manifest.rows, 300);
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('application_id', { simple: true }), 0x47504b47);
      assert.deepEqual(db.prepare(`SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = 'NMSCoefficientLayer'`).get(), { data_type: 'features', srs_id: 27700 });
      assert.deepEqual(db.prepare(`SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns`).get(), { geometry_type_name: 'POLYGON', srs_id: 27700 });
      assert.equal((db.prepare(`SELECT count(*) AS n FROM gpkg_spatial_ref_sys WHERE srs_id IN (-1, 0, 4326, 27700)`).get() as { n: number }).n, 4);
      const stored = db.prepare(`SELECT geom, cromeid, NN_Catchment, LU_CurrNcoeff FROM NMSCoefficientLayer ORDER BY fid`).all() as { geom: Buffer; cromeid: string; NN_Catchment: string; LU_CurrNcoeff: number | null }[];
      assert.equal(stored.length, 300);
      assert.ok(stored.some((r) => r.LU_CurrNcoeff === null), 'nullShare 0.2 leaves some null coefficients');
      const vertices = new Map<string, number[]>();
      for (const row of stored) {
        assert.equal(row.NN_Catchment, 'synthetic');
        const header = parseGpkgHeader(row.geom);
        assert.equal(header.srsId, 27700);
        const wkb = row.geom.subarray(header.wkbOffset);
        assert.equal(wkb.readUInt32LE(1), 3);
        assert.equal(wkb.readUInt32LE(9), 7);
        const pts: number[] = [];
        for (let k = 0; k < 14; k += 1) pts.push(wkb.readDoubleLE(13 + 8 * k));
        let twice = 0;
        for (let k = 0; k < 6; k += 1) twice += (pts[2 * k] ?? 0) * (pts[2 * k + 3] ?? 0) - (pts[2 * k + 2] ?? 0) * (pts[2 * k + 1] ?? 0);
        assert.ok(Math.abs(twice / 2 - 39_999.42) < 0.005, `area ${twice / 2} of ${row.cromeid}`);
        vertices.set(row.cromeid, pts);
      }
      // East neighbour: my vertices 5 and 4 are its vertices 1 and 2, as identical doubles.
      let shared = 0;
      for (const [id, pts] of vertices) {
        const [, i, j] = id.split('-').map(Number) as [number, number, number];
        const east = vertices.get(`SYN-${i + 1}-${j}`);
        if (!east) continue;
        assert.deepEqual([pts[10], pts[11], pts[8], pts[9]], [east[2], east[3], east[4], east[5]]);
        shared += 1;
      }
      assert.ok(shared > 200);
    } finally {
      db.close();
    }
  });
});
