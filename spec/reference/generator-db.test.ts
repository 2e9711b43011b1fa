// The synthetic layer in PostGIS (nutrient.md §11, §12.8): every hexagon 3·a·s, no gaps or
// overlaps over a rectangle, the file and --load paths give identical rows, the loader takes the
// GeoPackage with zero blocking QC failures, and --within TABLE (PostGIS) = --within FILE (TS).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { needsSharedData, sharedPath } from '../support/data.js';
import { loadReferenceFiles } from '../../lib/reference/loader.js';
import { blockingFailures } from '../../lib/reference/report.js';
import { planGeneration } from '../../lib/reference/generator/generate.js';
import { writeCoefficientGpkg } from '../../lib/reference/generator/gpkg-writer.js';
import { loadSyntheticCoefficients } from '../../lib/reference/generator/load.js';
import { cellAreaM2, latticeFor } from '../../lib/reference/generator/hexagon.js';
import { coverageWithinPolygons } from '../../lib/reference/generator/coverage.js';
import { coverageWithinTable } from '../../lib/reference/generator/coverage-db.js';
import { readPolygonsFromGpkg } from '../../lib/reference/generator/generate.js';
import { tempDir, type TempDir } from './support.js';

describe('synthetic layer in PostGIS', needsSharedData(), () => {
  let db: TestDatabase;
  let tmp: TempDir;
  before(async () => {
    db = await cloneTemplate();
    tmp = await tempDir('ref-gen-db-');
  });
  after(async () => {
    await db?.drop();
    await tmp?.remove();
  });

  test('the template layer (preset test): 100,000 hexagons of area 3·a·s', async () => {
    const expected = cellAreaM2(latticeFor(4));
    const [row] = await db.sql<{ n: string; worst: number }[]>`
      SELECT count(*) AS n, max(abs(ST_Area(geometry) - ${expected})) AS worst FROM coefficient_layer WHERE version = 1`;
    assert.equal(Number(row?.n), 100_000);
    assert.ok((row?.worst ?? 1) < 1e-6, `max area error ${row?.worst}`);
  });

  test('no gaps or overlaps: Σ area(rectangle ∩ cell) = area(rectangle) within 1e-6 m²', async () => {
    for (const [e, n, w, h] of [[611_000.123, 315_200.456, 2_000, 1_500], [600_000, 300_000, 3_333.3, 777.7], [620_500, 330_250, 125, 125]] as const) {
      const [row] = await db.sql<{ total: number; cells: string }[]>`
        WITH r AS (SELECT ST_MakeEnvelope(${e}, ${n}, ${e + w}, ${n + h}, 27700) AS g)
        SELECT sum(ST_Area(ST_Intersection(c.geometry, r.g))) AS total, count(*) AS cells
        FROM coefficient_layer c, r WHERE c.version = 1 AND ST_Intersects(c.geometry, r.g)`;
      assert.ok(Math.abs((row?.total ?? 0) - w * h) <= 1e-6, `rectangle ${e},${n}: ${row?.total} vs ${w * h} over ${row?.cells} cells`);
    }
  });

  test('--within nn_catchments in PostGIS finds exactly the cells the TypeScript test finds in the file', async () => {
    const lattice = latticeFor(4);
    const fromTable = await coverageWithinTable(db.sql, 'nn_catchments', lattice);
    const fromFile = coverageWithinPolygons(lattice, await readPolygonsFromGpkg(sharedPath('reference', 'nn_catchments.gpkg')));
    assert.deepEqual([...fromTable.coverage.entries()], [...fromFile.entries()]);
    const plan = await planGeneration({ preset: 'test', sql: db.sql });
    assert.equal(plan.extent.source, 'nn_catchments@v1');
    assert.equal(plan.coverageRows, [...fromFile.values()].reduce((n, l) => n + l.length, 0));
  });

  test('the loader accepts the GeoPackage with zero blocking failures, and it equals the --load rows bit for bit', async () => {
    // A small layer replaces the 100,000-row one, so drop the pointer (the 90 % rule would refuse it).
    await db.sql`DELETE FROM data_active_version WHERE table_name = 'coefficient_layer'`;
    const options = { bbox: { minE: 600_000, minN: 300_000, maxE: 604_000, maxN: 303_000 }, parcels: 2_000, nullShare: 0.02 };
    const file = path.join(tmp.dir, 'coefficients_small.gpkg');
    const written = writeCoefficientGpkg(await planGeneration(options), file);
    const [fromFile] = await loadReferenceFiles(db.sql, [file], { activate: true });
    assert.equal(fromFile?.table, 'coefficient_layer');
    assert.deepEqual(blockingFailures(fromFile), []);
    assert.equal(fromFile?.rows, 2_000);
    assert.equal(fromFile?.source.layer, 'NMSCoefficientLayer');
    const nulls = fromFile?.checks.find((c) => c.rule.startsWith('null coefficients'));
    assert.ok(nulls && nulls.count > 10 && nulls.count < 100, `null coefficient rows: ${nulls?.count}`);

    const loaded = await loadSyntheticCoefficients(db.sql, options);
    assert.equal(loaded.manifest.sha256, written.manifest.sha256);
    const [diff] = await db.sql<{ n: string; differing: string }[]>`
      SELECT count(*) AS n, count(*) FILTER (WHERE NOT (
        ST_AsBinary(a.geometry) = ST_AsBinary(b.geometry) AND a.land_use_cat = b.land_use_cat
        AND a.lu_curr_n_coeff IS NOT DISTINCT FROM b.lu_curr_n_coeff AND a.lu_curr_p_coeff IS NOT DISTINCT FROM b.lu_curr_p_coeff
        AND a.n_resi_coeff IS NOT DISTINCT FROM b.n_resi_coeff AND a.p_resi_coeff IS NOT DISTINCT FROM b.p_resi_coeff)) AS differing
      FROM coefficient_layer a JOIN coefficient_layer b ON a.crome_id = b.crome_id
      WHERE a.version = ${fromFile?.version ?? 0} AND b.version = ${loaded.report.version}`;
    assert.deepEqual([Number(diff?.n), Number(diff?.differing)], [2_000, 0]);
  });
});
