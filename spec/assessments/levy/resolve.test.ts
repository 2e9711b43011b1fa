// resolveLevy against a cloned PostGIS database holding the levy fixtures (levy.md §3, §5, §7, §11).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { needsSharedData } from '../../support/data.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveLevy } from '../../../lib/assessments/levy/resolve.js';
import { loadReferenceFiles } from '../../../lib/reference/loader.js';
import { JobError } from '../../../lib/errors.js';
import type { Site } from '../../../lib/geo/types.js';
import {
  activate, activeVersion, addCharges, addEdps, addIndices, ensureLevyFixtures, shippedCharges, shippedIndices, siteFromGeoJson, squareSite,
  type SyntheticEdp,
} from './fixtures.js';

const EDP1 = 'Broads SAC (Yare & Bure) & Wensum SAC';

function rejectsWith(code: string, reason: string, extra: (detail: Record<string, unknown>) => void = () => undefined) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof JobError, `expected JobError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.detail.reason, reason);
    extra(error.detail);
    return true;
  };
}

describe('resolveLevy with the shipped fixtures', needsSharedData(), () => {
  let db: TestDatabase;
  let small: Site;
  const signal = new AbortController().signal;
  const levy = (site: Site, units: number, calculationDate: string) => resolveLevy({ sql: db.sql, site, units, calculationDate, signal });

  before(async () => {
    db = await cloneTemplate();
    await ensureLevyFixtures(db.sql);
    small = await siteFromGeoJson(db.sql, 'inputs', 'nutrients', 'BnW_small_under_1_hectare_geojson', 'BnW_small_under_1_hectare.geojson');
  });
  after(async () => db?.drop());

  test('10 units in the start year: 26750.00 / 26750.00, modelVersion 1, no index read', async () => {
    const out = await levy(small, 10, '2026-06-01');
    assert.deepEqual(out.levyGbp, { amountExcludingVat: 26750, amountInflationAdjusted: 26750, baseAmount: 26750, modelVersion: 1 });
    assert.equal(out.edpId, 1);
    assert.equal(out.edpName, EDP1);
    assert.equal(out.record.start_year_cil_index, null);
    assert.equal(out.record.calculation_year_cil_index, null);
    assert.equal(out.record.provisional_amount, '26750.00');
    assert.equal(out.record.levy_charges_version, await activeVersion(db.sql, 'levy_charges'));
    assert.equal(out.record.levy_inflation_index_version, await activeVersion(db.sql, 'levy_inflation_index'));
    assert.deepEqual(Object.keys(out.record), [
      'edp_id', 'edp_name', 'edp_start_date', 'calculation_date', 'units', 'base_charge_per_unit', 'provisional_amount',
      'inflation_adjusted_amount', 'start_year_cil_index', 'calculation_year_cil_index', 'model_version',
      'levy_charges_version', 'levy_inflation_index_version',
    ]);
  });

  test('the WGS 84 site inside Bure Broads resolves to EDP 1', async () => {
    const site = await siteFromGeoJson(db.sql, 'inputs', 'nutrients', 'intersects_bure_broads.geojson');
    assert.equal((await levy(site, 3, '2026-03-01')).edpId, 1);
  });

  test('no_edp_intersection.geojson → levy_edp_unresolved (no_edp)', async () => {
    const site = await siteFromGeoJson(db.sql, 'inputs', 'nutrients', 'no_edp_intersection.geojson');
    await assert.rejects(levy(site, 1, '2026-06-01'), rejectsWith('levy_edp_unresolved', 'no_edp'));
  });

  test('window start 2026-01-01 finds the charge', async () => {
    assert.equal((await levy(small, 1, '2026-01-01')).levyGbp.amountInflationAdjusted, 2675);
  });

  test('window end 2027-12-31 finds the charge, then needs a 2027 index → no_index with both years', async () => {
    await assert.rejects(levy(small, 1, '2027-12-31'), rejectsWith('levy_data_missing', 'no_index', (d) => {
      assert.equal(d.startYear, 2026);
      assert.equal(d.calculationYear, 2027);
      assert.deepEqual(d.missingYears, [2027]);
    }));
  });

  for (const date of ['2025-12-31', '2028-01-01']) {
    test(`${date} is outside every window → levy_data_missing (no_charge)`, async () => {
      await assert.rejects(levy(small, 1, date), rejectsWith('levy_data_missing', 'no_charge', (d) => assert.equal(d.date, date)));
    });
  }

  test('a test-only 2027 index of 410: 10 units on 2027-03-01 → 26750.00 / 27418.75', async () => {
    const before = await activeVersion(db.sql, 'levy_inflation_index');
    await addIndices(db.sql, [...shippedIndices(), [2027, '410']]);
    try {
      const out = await levy(small, 10, '2027-03-01');
      assert.deepEqual(out.levyGbp, { amountExcludingVat: 26750, amountInflationAdjusted: 27418.75, baseAmount: 26750, modelVersion: 1 });
      assert.equal(Number(out.record.start_year_cil_index), 400);
      assert.equal(Number(out.record.calculation_year_cil_index), 410);
      assert.equal(out.record.inflation_adjusted_amount, '27418.75');
      assert.equal((await levy(small, 1, '2027-12-31')).levyGbp.amountInflationAdjusted, 2741.88); // 2741.875 half-up
    } finally {
      await activate(db.sql, 'levy_inflation_index', before!);
    }
  });

  test('an inactive levy_charges version with another base charge has no effect until activated', async () => {
    const active = await activeVersion(db.sql, 'levy_charges');
    const other = await addCharges(db.sql, shippedCharges().map((r) => ({ ...r, base_charge_per_unit: '9999.00', model_version: 2 })), { activate: false });
    try {
      assert.deepEqual((await levy(small, 10, '2026-06-01')).levyGbp.amountExcludingVat, 26750);
      await activate(db.sql, 'levy_charges', other);
      const out = await levy(small, 10, '2026-06-01');
      assert.deepEqual([out.levyGbp.amountExcludingVat, out.levyGbp.modelVersion, out.record.levy_charges_version], [99990, 2, other]);
    } finally {
      await activate(db.sql, 'levy_charges', active!);
    }
  });

  test('same year reads no index: an empty active index version does not matter; another year reports no_levy_tables', async () => {
    const active = await activeVersion(db.sql, 'levy_inflation_index');
    const empty = await addIndices(db.sql, []);
    try {
      assert.equal((await levy(small, 2, '2026-06-01')).levyGbp.amountInflationAdjusted, 5350);
      await assert.rejects(levy(small, 2, '2027-06-01'), rejectsWith('levy_data_missing', 'no_levy_tables', (d) => {
        assert.equal(d.table, 'levy_inflation_index');
        assert.equal(d.activeVersion, empty);
      }));
    } finally {
      await activate(db.sql, 'levy_inflation_index', active!);
    }
  });

  test('absent or empty active levy_charges → levy_data_missing (no_levy_tables)', async () => {
    const active = await activeVersion(db.sql, 'levy_charges');
    try {
      await addCharges(db.sql, []);
      await assert.rejects(levy(small, 1, '2026-06-01'), rejectsWith('levy_data_missing', 'no_levy_tables', (d) => assert.equal(d.table, 'levy_charges')));
      await db.sql`DELETE FROM data_active_version WHERE table_name = 'levy_charges'`;
      await assert.rejects(levy(small, 1, '2026-06-01'), rejectsWith('levy_data_missing', 'no_levy_tables', (d) => assert.equal(d.activeVersion, null)));
    } finally {
      await activate(db.sql, 'levy_charges', active!);
    }
  });

  test('a fractional base charge or a zero index that slipped past QC → levy_data_invalid', async () => {
    const charges = await activeVersion(db.sql, 'levy_charges');
    const indices = await activeVersion(db.sql, 'levy_inflation_index');
    try {
      await addCharges(db.sql, shippedCharges().map((r) => ({ ...r, base_charge_per_unit: '2193.6649' })));
      await assert.rejects(levy(small, 4, '2026-06-01'), rejectsWith('levy_data_invalid', 'fractional_base_charge'));
      await activate(db.sql, 'levy_charges', charges!);
      await addIndices(db.sql, [[2026, '400'], [2027, '0']]);
      await assert.rejects(levy(small, 4, '2027-06-01'), rejectsWith('levy_data_invalid', 'non_positive_index'));
    } finally {
      await activate(db.sql, 'levy_charges', charges!);
      await activate(db.sql, 'levy_inflation_index', indices!);
    }
  });

  test('through the reference loader: an inactive charge version changes nothing; activating it does', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'levy-'));
    const charges = await activeVersion(db.sql, 'levy_charges');
    const indices = await activeVersion(db.sql, 'levy_inflation_index');
    try {
      const file = path.join(dir, 'levy_charges.csv');
      writeFileSync(file, `edp_id,edp_name,edp_start_date,charge_valid_from,charge_valid_to,base_charge_per_unit,model_version\n1,${EDP1},2026-01-01,2026-01-01,2027-12-31,3000.00,2\n`);
      const [inactive] = await loadReferenceFiles(db.sql, [file], { activate: false });
      assert.equal(inactive?.qcPassed, true);
      assert.equal((await levy(small, 10, '2026-06-01')).levyGbp.amountExcludingVat, 26750);
      await loadReferenceFiles(db.sql, [file], { activate: true });
      const out = await levy(small, 10, '2026-06-01');
      assert.deepEqual([out.levyGbp.amountExcludingVat, out.levyGbp.modelVersion], [30000, 2]);
      const index = path.join(dir, 'levy_inflation_index.csv');
      writeFileSync(index, `charging_year,cil_index\n${[...shippedIndices(), [2027, '410']].map((r) => r.join(',')).join('\n')}\n`);
      const [loaded] = await loadReferenceFiles(db.sql, [index], { activate: true });
      assert.equal(loaded?.activated, true);
      assert.equal((await levy(small, 10, '2027-03-01')).levyGbp.amountInflationAdjusted, 30750);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await activate(db.sql, 'levy_charges', charges!);
      await activate(db.sql, 'levy_inflation_index', indices!);
    }
  });

  test('an aborted signal cancels the lookup', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutdown'));
    await assert.rejects(resolveLevy({ sql: db.sql, site: small, units: 1, calculationDate: '2026-06-01', signal: controller.signal }), /shutdown/);
  });
});

describe('resolveLevy EDP keys (synthetic boundaries)', () => {
  let db: TestDatabase;
  const signal = new AbortController().signal;
  const site = squareSite(600000, 300000, 100);

  const edps = (features: SyntheticEdp[]): Promise<number> => addEdps(db.sql, features);

  before(async () => {
    db = await cloneTemplate();
    await addCharges(db.sql, [
      { edp_id: 1, edp_name: '  Alpha EDP ', edp_start_date: '2026-01-01', charge_valid_from: '2026-01-01', charge_valid_to: '2027-12-31', base_charge_per_unit: '1000.00', model_version: 1 },
      { edp_id: 7, edp_name: 'Seven (by id)', edp_start_date: '2026-01-01', charge_valid_from: '2026-01-01', charge_valid_to: '2027-12-31', base_charge_per_unit: '700.00', model_version: 3 },
    ]);
    await addIndices(db.sql, [[2026, '400']]);
  });
  after(async () => db?.drop());

  test('touching only does not count; the name key matches after trimming', async () => {
    await edps([
      { square: [599000, 299000, 2000], attributes: { EDP_Name: 'Alpha EDP' } },
      { square: [600100, 300000, 500], attributes: { EDP_Name: 'Beta EDP' } }, // shares the site's east edge
    ]);
    const out = await resolveLevy({ sql: db.sql, site, units: 2, calculationDate: '2026-05-05', signal });
    assert.deepEqual([out.edpId, out.edpName, out.levyGbp.amountExcludingVat], [1, 'Alpha EDP', 2000]);
  });

  test('two EDPs with area → levy_edp_unresolved (multiple_edps) listing both names', async () => {
    await edps([
      { square: [599000, 299000, 2000], attributes: { EDP_Name: 'Alpha EDP' } },
      { square: [600050, 300000, 500], attributes: { EDP_Name: 'Beta EDP' } },
    ]);
    await assert.rejects(resolveLevy({ sql: db.sql, site, units: 2, calculationDate: '2026-05-05', signal }),
      rejectsWith('levy_edp_unresolved', 'multiple_edps', (d) => assert.deepEqual(d.edps, ['Alpha EDP', 'Beta EDP'])));
  });

  test('an integer EDP_Id keys by id; two features of one EDP count once', async () => {
    await edps([
      { square: [599000, 299000, 1050], attributes: { EDP_Name: 'Seven North', EDP_Id: 7 } },
      { square: [600050, 299000, 1000], attributes: { EDP_Name: 'Seven North', EDP_Id: 7 } },
    ]);
    const out = await resolveLevy({ sql: db.sql, site, units: 3, calculationDate: '2026-05-05', signal });
    assert.deepEqual([out.edpId, out.edpName, out.levyGbp], [7, 'Seven North', { amountExcludingVat: 2100, amountInflationAdjusted: 2100, baseAmount: 2100, modelVersion: 3 }]);
  });
});
