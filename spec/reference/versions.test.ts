// Versions (nutrient.md §5.5–5.6): a reload is version max + 1 and does not disturb the active
// one until activated; activation keeps the previous version for rollback and purges the rest;
// coefficient versions get (and lose) their own partial GiST index, which the planner uses.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { needsSharedData, sharedPath } from '../support/data.js';
import { loadReferenceFiles } from '../../lib/reference/loader.js';
import { activateVersions } from '../../lib/reference/versions.js';
import { loadSyntheticCoefficients } from '../../lib/reference/generator/load.js';
import { checkReadiness } from '../../lib/reference/readiness.js';
import { activeVersion, storedVersions, tempDir, type TempDir } from './support.js';

describe('versions', needsSharedData(), () => {
  let db: TestDatabase;
  let tmp: TempDir;
  const nn = (): string => sharedPath('reference', 'nn_catchments.gpkg');
  before(async () => {
    db = await cloneTemplate();
    tmp = await tempDir('ref-versions-');
  });
  after(async () => {
    await db?.drop();
    await tmp?.remove();
  });

  test('a reload is version 2 and leaves version 1 active until --activate', async () => {
    const [v2] = await loadReferenceFiles(db.sql, [nn()], { activate: false });
    assert.equal(v2?.version, 2);
    assert.equal(v2?.qcPassed, true);
    assert.equal(v2?.activated, false);
    assert.equal(await activeVersion(db.sql, 'nn_catchments'), 1);
    assert.deepEqual(await storedVersions(db.sql, 'nn_catchments'), [1, 2]);
    assert.equal((await checkReadiness(db.sql)).versions.nn_catchments, 1);

    const [v3] = await loadReferenceFiles(db.sql, [nn()], { activate: true });
    assert.deepEqual([v3?.version, v3?.activated, v3?.previousActiveVersion, v3?.purgedVersions], [3, true, 1, [2]]);
    assert.deepEqual(await storedVersions(db.sql, 'nn_catchments'), [1, 3]);

    const [v4] = await loadReferenceFiles(db.sql, [nn()], { activate: true });
    assert.deepEqual([v4?.version, v4?.previousActiveVersion, v4?.purgedVersions], [4, 3, [1]]);
    assert.deepEqual(await storedVersions(db.sql, 'nn_catchments'), [3, 4]);
  });

  test('rollback: the kept previous version can be re-activated; failed loads cannot', async () => {
    await activateVersions(db.sql, [{ table: 'nn_catchments', version: 3 }]);
    assert.equal(await activeVersion(db.sql, 'nn_catchments'), 3);
    const bad = await tmp.write('levy_inflation_index.csv', 'charging_year,cil_index\n2021,0\n2022,1\n2023,1\n2024,1\n2025,1\n2026,1\n');
    const [report] = await loadReferenceFiles(db.sql, [bad], { activate: false });
    assert.equal(report?.qcPassed, false);
    await assert.rejects(activateVersions(db.sql, [{ table: 'levy_inflation_index', version: report?.version ?? 0 }, { table: 'nn_catchments', version: 4 }]), /failed QC/);
    assert.equal(await activeVersion(db.sql, 'nn_catchments'), 3, 'nothing moved');
  });

  test('a version number is never reused, even after a failed load', async () => {
    const [next] = await loadReferenceFiles(db.sql, [sharedPath('reference', 'levy_inflation_index.csv')], { activate: false });
    assert.equal(next?.version, 3);
  });

  test('coefficient versions have their own partial GiST index, used for `version = $1`, dropped on purge', async () => {
    const bbox = { minE: 600_000, minN: 300_000, maxE: 610_000, maxN: 310_000 };
    const v2 = await loadSyntheticCoefficients(db.sql, { bbox, parcels: 90_000 });
    assert.equal(v2.report.version, 2);
    const indexes = async (): Promise<string[]> => (await db.sql<{ indexname: string; indexdef: string }[]>`
      SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'coefficient_layer' AND indexdef ILIKE '%gist%' ORDER BY 1`).map((r) => r.indexname);
    assert.deepEqual(await indexes(), ['coefficient_layer_v1_gist', 'coefficient_layer_v2_gist']);

    // The assessment statements bind the version; custom plans keep using the partial index.
    const plans: string[] = [];
    for (let k = 0; k < 8; k += 1) {
      const rows = await db.sql<{ 'QUERY PLAN': string }[]>`EXPLAIN SELECT count(*) FROM coefficient_layer
        WHERE version = ${2} AND ST_Intersects(geometry, ST_MakeEnvelope(${604_000}, ${304_000}, ${604_500}, ${304_500}, 27700))`;
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    for (const plan of plans) assert.match(plan, /coefficient_layer_v2_gist/);

    await loadSyntheticCoefficients(db.sql, { bbox, parcels: 90_000 });
    assert.deepEqual(await indexes(), ['coefficient_layer_v2_gist', 'coefficient_layer_v3_gist']);
    assert.deepEqual(await storedVersions(db.sql, 'coefficient_layer'), [2, 3]);
  });
});
