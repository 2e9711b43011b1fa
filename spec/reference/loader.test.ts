// Every reference fixture plus the `test` coefficient layer loaded onto an emptied database, the
// way `bin/worker load-data --activate` does it: counts per table, Z dropped, the load history,
// readiness flipping from missing to ready, and the lookup facts of nutrient.md §5.3–5.4.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { needsSharedData, sharedPath } from '../support/data.js';
import { referenceFixtureFiles } from '../support/template.js';
import { loadReferenceFiles } from '../../lib/reference/loader.js';
import { loadSyntheticCoefficients } from '../../lib/reference/generator/load.js';
import { checkReadiness } from '../../lib/reference/readiness.js';
import { READINESS_TABLES } from '../../lib/reference/tables.js';
import { createLookupCache, getRatesLookup, getWwtwLookup, resolveActiveVersions } from '../../lib/reference/repository.js';
import type { LoadReport } from '../../lib/reference/report.js';
import { wipeReferenceData } from './support.js';
import { TEST_PRESET_SHA256 } from './expected.js';

const EXPECTED_ROWS: Record<string, number> = {
  nn_catchments: 5, wwtw_catchments: 62, lpa_boundaries: 11, subcatchments: 10, gcn_risk_zones: 107, edp_boundaries: 1,
  edp_edges: 2, edp_excluded_areas: 3, wwtw_lookup: 641, rates_lookup: 30, levy_charges: 1, levy_inflation_index: 6,
};

describe('loading every reference file on a fresh database', needsSharedData(), () => {
  let db: TestDatabase;
  let reports: LoadReport[];
  let before0: Awaited<ReturnType<typeof checkReadiness>>;
  const lines: string[] = [];

  before(async () => {
    db = await cloneTemplate();
    await wipeReferenceData(db.sql);
    before0 = await checkReadiness(db.sql);
    reports = await loadReferenceFiles(db.sql, referenceFixtureFiles(), { activate: true, log: (l) => lines.push(l) });
    const synthetic = await loadSyntheticCoefficients(db.sql, { preset: 'test', within: sharedPath('reference', 'nn_catchments.gpkg'), log: (l) => lines.push(l) });
    reports.push(synthetic.report);
    assert.equal(synthetic.manifest.sha256, TEST_PRESET_SHA256);
  });
  after(async () => { await db?.drop(); });

  test('readiness flips from missing to ready', async () => {
    assert.equal(before0.database, true);
    assert.equal(before0.referenceData, false);
    assert.deepEqual([...before0.missing].sort(), [...READINESS_TABLES].sort());
    const now = await checkReadiness(db.sql);
    assert.deepEqual(now, { database: true, referenceData: true, missing: [], versions: Object.fromEntries(READINESS_TABLES.map((t) => [t, 1])) });
  });

  test('every table passed QC, is version 1 and active, with the expected row count', async () => {
    for (const report of reports) {
      assert.equal(report.qcPassed, true, `${report.table}: ${JSON.stringify(report.checks.filter((c) => !c.passed))}`);
      assert.equal(report.activated, true, report.table);
      assert.equal(report.version, 1);
    }
    for (const [table, rows] of Object.entries({ ...EXPECTED_ROWS, coefficient_layer: 100_000 })) {
      const [row] = await db.sql.unsafe<{ n: string }[]>(`SELECT count(*) AS n FROM ${table} WHERE version = 1`);
      assert.equal(Number(row?.n), rows, table);
      assert.equal(reports.find((r) => r.table === table)?.rows, rows, `${table} report`);
    }
    const versions = await resolveActiveVersions(db.sql, [...Object.keys(EXPECTED_ROWS), 'coefficient_layer', 'gcn_ponds']);
    assert.equal(versions.gcn_ponds, null);
    assert.equal(versions.nn_catchments, 1);
  });

  test('Z is dropped and every polygon layer is a valid 2D MultiPolygon in EPSG:27700', async () => {
    for (const table of ['nn_catchments', 'gcn_risk_zones', 'edp_boundaries', 'wwtw_catchments', 'coefficient_layer']) {
      const [row] = await db.sql.unsafe<{ dims: number[]; types: string[]; srids: number[]; invalid: string }[]>(
        `SELECT array_agg(DISTINCT ST_NDims(geometry)) AS dims, array_agg(DISTINCT GeometryType(geometry)) AS types,
           array_agg(DISTINCT ST_SRID(geometry)) AS srids, count(*) FILTER (WHERE NOT ST_IsValid(geometry)) AS invalid FROM ${table}`);
      assert.deepEqual(row?.dims, [2], table);
      assert.deepEqual(row?.types, ['MULTIPOLYGON'], table);
      assert.deepEqual(row?.srids, [27700], table);
      assert.equal(Number(row?.invalid), 0, table);
    }
  });

  test('attributes and names are kept; the load history holds each report', async () => {
    const nn = await db.sql<{ name: string; oid: number }[]>`SELECT name, (attributes->>'OID')::int AS oid FROM nn_catchments ORDER BY 2`;
    assert.deepEqual(nn.map((r) => r.oid), [27, 29, 31, 32, 33]);
    assert.equal(nn.find((r) => r.oid === 31)?.name, 'River Wensum SAC');
    const rz = await db.sql<{ rz: string; n: string }[]>`SELECT attributes->>'RZ' AS rz, count(*) AS n FROM gcn_risk_zones GROUP BY 1 ORDER BY 1`;
    assert.deepEqual(rz.map((r) => [r.rz, Number(r.n)]), [['Amber', 102], ['Green', 1], ['Red', 4]]);
    const history = await db.sql<{ table_name: string; qc_passed: boolean; activated: boolean; checks: number }[]>`
      SELECT table_name, qc_passed, activated_at IS NOT NULL AS activated, jsonb_array_length(report->'checks') AS checks FROM data_load_history`;
    assert.equal(history.length, 13);
    for (const h of history) {
      assert.ok(h.qc_passed && h.activated, h.table_name);
      assert.ok(h.checks >= 2, h.table_name);
    }
    const [levy] = await db.sql<{ base: string; from: string }[]>`SELECT base_charge_per_unit::text AS base, charge_valid_from::text AS from FROM levy_charges`;
    assert.deepEqual(levy, { base: '2675.00', from: '2026-01-01' });
    const wwtwReport = reports.find((r) => r.table === 'wwtw_catchments');
    assert.deepEqual(wwtwReport?.checks.find((c) => c.rule.startsWith('WwTw_ID repeated'))?.examples, [{ WwTw_ID: 4842, features: 7 }]);
    assert.ok(lines.some((l) => l.startsWith('coefficient_layer v1: 100,000 rows')), 'progress line every 100k rows');
  });

  test('a shapefile (.prj British_National_Grid, .cpg) loads with its attributes: the survey ponds as gcn_ponds', async () => {
    const [report] = await loadReferenceFiles(db.sql, [`gcn_ponds=${sharedPath('inputs', 'gcn', 'SitePonds', 'SitePonds_00001.shp')}`], { activate: true });
    assert.equal(report?.qcPassed, true, JSON.stringify(report?.checks.filter((c) => !c.passed)));
    assert.deepEqual([report?.rows, report?.source.format, report?.crs], [559, 'shapefile', { declared: 27700, used: 27700, assumed: false }]);
    const [row] = await db.sql<{ n: string; pans: string[]; srid: number[] }[]>`
      SELECT count(*) AS n, array_agg(DISTINCT attributes->>'PANS' ORDER BY attributes->>'PANS') AS pans, array_agg(DISTINCT ST_SRID(geometry)) AS srid FROM gcn_ponds`;
    assert.equal(Number(row?.n), 559);
    assert.ok(row?.pans.every((p) => ['A', 'NS', 'P'].includes(p)), JSON.stringify(row?.pans));
    assert.deepEqual(row?.srid, [27700]);
  });

  test('wwtw_lookup facts of nutrient.md §5.3 hold', async () => {
    const [raw] = await db.sql<{ rows: string; blank: string; coded: string; distinct: string }[]>`
      SELECT count(*) AS rows, count(*) FILTER (WHERE nullif(trim(raw->>'WwTW_code'), '') IS NULL) AS blank,
        count(*) FILTER (WHERE nullif(trim(raw->>'WwTW_code'), '') IS NOT NULL) AS coded,
        count(DISTINCT raw->>'WwTW_code') AS distinct FROM wwtw_lookup`;
    assert.deepEqual([raw?.rows, raw?.blank, raw?.coded, raw?.distinct].map(Number), [641, 128, 513, 511]);
    const report = reports.find((r) => r.table === 'wwtw_lookup');
    const duplicates = report?.checks.find((c) => c.rule.startsWith('duplicate wwtw_code'));
    assert.deepEqual(duplicates?.examples.map((e) => (e as { code: number }).code).sort(), [10261, 10416]);
    assert.equal(report?.checks.find((c) => c.rule.startsWith('rows without a code'))?.count, 128);

    const cache = createLookupCache();
    const lookup = await getWwtwLookup(db.sql, 1, { cache });
    assert.equal(lookup.get(10261)?.name, 'Bruton Wastewater Treatment Works');
    assert.deepEqual([lookup.get(10261)?.phosphorus20252030, lookup.get(10261)?.phosphorus2030Onwards], [2, 0.25]);
    assert.ok(lookup.get(10416)?.name?.startsWith('Ashill'));
    const plant = lookup.get(141);
    assert.deepEqual([plant?.name, plant?.subcatchment, plant?.nitrogen20252030, plant?.nitrogen2030Onwards, plant?.phosphorus20252030, plant?.phosphorus2030Onwards],
      ['Package Treatment Plant default', null, 25, 25, 4.5, 4.5]);
    const donyatt = lookup.get(10281);
    assert.equal(donyatt?.nitrogen20252030, null);
    assert.equal(donyatt?.nitrogen2030Onwards, null);
    assert.deepEqual(donyatt?.issues, [{ column: 'Nitrogen_2025_2030', raw: 'f' }]);
    assert.equal(lookup.get(1065)?.name, 'Sculthorpe ');
    assert.deepEqual([1065, 938, 399, 973].map((c) => {
      const r = lookup.get(c);
      return [r?.nitrogen20252030, r?.nitrogen2030Onwards, r?.phosphorus20252030, r?.phosphorus2030Onwards];
    }), [[27, 27, 1, 1], [27, 10, 1, 0.25], [27, 10, 0.6, 0.25], [27, 10, 1, 0.25]]);
    for (const missing of [66, 1184, 4842, 10442]) assert.equal(lookup.has(missing), false, String(missing));
    assert.equal(await getWwtwLookup(db.sql, 1, { cache }), lookup, 'cached by (table, version)');
    assert.notEqual(await getWwtwLookup(db.sql, 1), lookup, 'no cache, fresh read');

    const rates = await getRatesLookup(db.sql, 1, { cache });
    const [count] = await db.sql<{ n: string }[]>`SELECT count(*) AS n FROM rates_lookup`;
    assert.equal(Number(count?.n), 30);
    assert.deepEqual([rates.get('River Wensum SAC')?.occupancyRate, rates.get('River Wensum SAC')?.waterUsageLPerPersonDay], [2.4, 120]);
    assert.deepEqual([rates.get('Hotel')?.occupancyRate, rates.get('Hotel')?.waterUsageLPerPersonDay], [1, 240]);
    assert.equal(cache.size, 2);
  });
});
