// QC failures leave the active version untouched and name the rule and the rows; geometry is
// repaired, reprojected and assumed 27700 when undeclared (nutrient.md §5.6, gcn.md §4, levy.md §2).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { needsSharedData } from '../support/data.js';
import { loadReferenceFiles } from '../../lib/reference/loader.js';
import { blockingFailures, type LoadReport } from '../../lib/reference/report.js';
import { activeVersion, featureCollection, squareFeature, storedVersions, tempDir, type TempDir } from './support.js';

const LEVY_HEADER = 'edp_id,edp_name,edp_start_date,charge_valid_from,charge_valid_to,base_charge_per_unit,model_version';
const NAME = 'Broads SAC (Yare & Bure) & Wensum SAC';

function failed(report: LoadReport | undefined, rule: string): { count: number; examples: unknown[] } {
  const check = report?.checks.find((c) => c.rule === rule);
  assert.ok(check, `rule "${rule}" missing: ${JSON.stringify(report?.checks.map((c) => c.rule))}`);
  assert.equal(check.passed, false, `rule "${rule}" should fail`);
  assert.equal(check.severity, 'blocking');
  return check;
}

describe('QC (template clone: every table has active version 1)', needsSharedData(), () => {
  let db: TestDatabase;
  let tmp: TempDir;
  before(async () => {
    db = await cloneTemplate();
    tmp = await tempDir('ref-qc-');
  });
  after(async () => {
    await db?.drop();
    await tmp?.remove();
  });

  async function refused(file: string, table: string): Promise<LoadReport> {
    const [report] = await loadReferenceFiles(db.sql, [file], { activate: true });
    assert.ok(report);
    assert.equal(report.table, table);
    assert.equal(report.qcPassed, false);
    assert.equal(report.activated, false);
    assert.equal(await activeVersion(db.sql, table), 1, 'active version untouched');
    assert.ok(!(await storedVersions(db.sql, table)).includes(report.version), 'a failed version keeps no rows');
    const [history] = await db.sql<{ qc_passed: boolean; failures: number }[]>`
      SELECT qc_passed, jsonb_array_length(jsonb_path_query_array(report, '$.checks[*] ? (@.severity == "blocking" && @.passed == false)')) AS failures
      FROM data_load_history WHERE table_name = ${table} AND version = ${report.version}`;
    assert.deepEqual(history, { qc_passed: false, failures: blockingFailures(report).length });
    return report;
  }

  test('gcn_risk_zones with RZ "Purple" (GeoJSON without crs) names the rule and the features', async () => {
    const features = Array.from({ length: 110 }, (_, k) => squareFeature(600_000 + 200 * k, 300_000, { RZ: k === 7 || k === 42 ? 'Purple' : 'Amber', MHW: 'x' }));
    const report = await refused(await tmp.write('gcn_risk_zones.geojson', featureCollection(features)), 'gcn_risk_zones');
    const rule = failed(report, 'RZ in Red/Amber/Green');
    assert.deepEqual(rule, { ...rule, count: 2, examples: [{ feature: 7, RZ: 'Purple' }, { feature: 42, RZ: 'Purple' }] });
    assert.deepEqual(blockingFailures(report).map((c) => c.rule), ['RZ in Red/Amber/Green']);
    assert.ok(report.warnings.includes('CRS missing: coordinates assumed to be EPSG:27700'));
    assert.deepEqual(report.crs, { declared: null, used: 27700, assumed: true });
  });

  test('RZ and EDPName must not carry |, CR or LF; EDPName must be unique and non-blank', async () => {
    const rz = Array.from({ length: 110 }, (_, k) => squareFeature(600_000 + 200 * k, 300_000, { RZ: 'Red', MHW: k === 3 ? 'a|b' : 'x' }));
    failed(await refused(await tmp.write('gcn_risk_zones.geojson', featureCollection(rz)), 'gcn_risk_zones'), 'no |, CR or LF in RZ, MHW');
    const edp = [squareFeature(600_000, 300_000, { EDPName: 'AreaA' }), squareFeature(600_500, 300_000, { EDPName: 'AreaA' }), squareFeature(601_000, 300_000, { EDPName: ' ' })];
    const report = await refused(await tmp.write('edp_edges.geojson', featureCollection(edp, 'urn:ogc:def:crs:EPSG::27700')), 'edp_edges');
    assert.deepEqual(failed(report, 'EDPName unique').examples, [{ EDPName: 'AreaA', features: [0, 1] }]);
    assert.deepEqual(failed(report, 'EDPName non-blank').examples, [{ feature: 2, EDPName: ' ' }]);
  });

  test('nn_catchments: duplicate OID, a line geometry and too few rows are blocking', async () => {
    const features = [
      squareFeature(600_000, 300_000, { N2K_Site_N: 'A SAC', OID: 1 }),
      squareFeature(601_000, 300_000, { N2K_Site_N: 'B SAC', OID: 1 }),
      { type: 'Feature', properties: { N2K_Site_N: 'C SAC', OID: 3 }, geometry: { type: 'LineString', coordinates: [[600_000, 301_000], [600_100, 301_100]] } },
    ];
    const report = await refused(await tmp.write('nn_catchments.geojson', featureCollection(features, 'EPSG:27700')), 'nn_catchments');
    assert.deepEqual(failed(report, 'OID unique').examples, [{ OID: 1, features: [0, 1] }]);
    assert.deepEqual(failed(report, 'polygonal geometry').examples, [{ feature: 2, type: 'LINESTRING', afterRepair: 'LINESTRING' }]);
    assert.deepEqual(failed(report, 'row count ≥ 90 % of the active version').examples, [{ rows: 3, activeRows: 5, minimum: 5 }]);
  });

  test('coefficients out of range name the parcels', async () => {
    const props = (id: string, n: number, p: number): Record<string, string | number> => ({
      cromeid: id, Land_use_cat: 'Arable', NN_Catchment: 'x', SubCatchment: 'y', LU_CurrNcoeff: n, LU_CurrPcoeff: p, N_ResiCoeff: 12.3, P_ResiCoeff: 1.3 });
    const features = [squareFeature(600_000, 300_000, props('A', 20, 1)), squareFeature(600_100, 300_000, props('B', 51, 1)), squareFeature(600_200, 300_000, props('C', 20, -0.5))];
    const report = await refused(await tmp.write('coefficients.geojson', featureCollection(features)), 'coefficient_layer');
    const range = failed(report, 'coefficients within N 0–50 / P 0–5');
    assert.equal(range.count, 2);
    assert.deepEqual(range.examples.map((e) => (e as { crome_id: string }).crome_id).sort(), ['B', 'C']);
  });

  test('levy_charges: overlapping windows, to < from, a fractional base charge and a name clash are rejected', async () => {
    const csv = [LEVY_HEADER,
      `1,${NAME},2026-01-01,2026-01-01,2027-12-31,2675.00,1`,
      `1,${NAME},2026-01-01,2027-06-01,2028-12-31,2700.00,1`,
      `2,Other EDP,2026-01-01,2026-01-01,2025-12-31,100.50,1`,
      `3,Other EDP,2026-01-01,2030-01-01,2030-12-31,100,1`].join('\n');
    const report = await refused(await tmp.write('levy_charges.csv', `${csv}\n`), 'levy_charges');
    assert.deepEqual(failed(report, 'charge windows of one edp_id do not overlap').examples,
      [{ edp_id: 1, lines: [2, 3], windows: [['2026-01-01', '2027-12-31'], ['2027-06-01', '2028-12-31']] }]);
    assert.deepEqual(failed(report, 'charge_valid_to ≥ charge_valid_from').examples, [{ line: 4, from: '2026-01-01', to: '2025-12-31' }]);
    assert.deepEqual(failed(report, 'base_charge_per_unit integral (whole pounds)').examples, [{ line: 4, base_charge_per_unit: '100.50', reason: 'fractional_base_charge' }]);
    assert.deepEqual(failed(report, 'one edp_name per edp_id and vice versa').examples, [{ edp_name: 'Other EDP', ids: ['2', '3'] }]);
    const [still] = await db.sql<{ base: string }[]>`SELECT base_charge_per_unit::text AS base FROM levy_charges WHERE version = 1`;
    assert.equal(still?.base, '2675.00');
  });

  test('levy_inflation_index: a duplicate charging_year and a zero index are rejected', async () => {
    const report = await refused(await tmp.write('levy_inflation_index.csv', 'charging_year,cil_index\n2021,333\n2022,332\n2023,355\n2024,0\n2025,391\n2025,392\n'), 'levy_inflation_index');
    assert.deepEqual(failed(report, 'charging_year unique').examples, [{ charging_year: '2025', lines: [6, 7] }]);
    assert.deepEqual(failed(report, 'cil_index > 0').examples, [{ line: 5, cil_index: '0', reason: 'non_positive_index' }]);
  });

  test('activation is all or nothing: a clean table loaded with a failing one stays inactive', async () => {
    const good = await tmp.write('levy_charges.csv', `${LEVY_HEADER}\n1,${NAME},2026-01-01,2026-01-01,2027-12-31,3000.00,1\n`);
    const bad = await tmp.write('levy_inflation_index.csv', 'charging_year,cil_index\n2021,333\n2022,332\n2023,355\n2024,381\n2025,391\n2026,-1\n');
    const reports = await loadReferenceFiles(db.sql, [good, bad], { activate: true });
    assert.deepEqual(reports.map((r) => [r.table, r.qcPassed, r.activated]), [['levy_charges', true, false], ['levy_inflation_index', false, false]]);
    assert.equal(await activeVersion(db.sql, 'levy_charges'), 1);
    assert.ok((await storedVersions(db.sql, 'levy_charges')).includes(reports[0]?.version ?? -1), 'the clean version is kept, inactive');
  });

  test('invalid polygons are repaired and counted; WGS84 points are transformed to 27700', async () => {
    const bowtie = { type: 'Feature', properties: { NAME: 'Bow tie' }, geometry: { type: 'Polygon', coordinates: [[[600_000, 300_000], [600_100, 300_100], [600_100, 300_000], [600_000, 300_100], [600_000, 300_000]]] } };
    const lpa = [bowtie, ...Array.from({ length: 10 }, (_, k) => squareFeature(601_000 + 200 * k, 300_000, { NAME: `LPA ${k}`, note: k === 4 ? 'nul\u0000 and \ud800 lone' : 'ok' }))];
    const [report] = await loadReferenceFiles(db.sql, [await tmp.write('lpa_boundaries.geojson', featureCollection(lpa))], { activate: false });
    assert.equal(report?.qcPassed, true, JSON.stringify(report?.checks.filter((c) => !c.passed)));
    assert.equal(report?.repaired, 1);
    const [bow] = await db.sql<{ valid: boolean; type: string; area: number }[]>`
      SELECT ST_IsValid(geometry) AS valid, GeometryType(geometry) AS type, ST_Area(geometry) AS area FROM lpa_boundaries WHERE version = ${report?.version ?? 0} AND name = 'Bow tie'`;
    assert.deepEqual(bow, { valid: true, type: 'MULTIPOLYGON', area: 5000 });
    // Characters PostgreSQL cannot store are replaced (a rejected COPY row would fail the whole load).
    const [note] = await db.sql<{ note: string }[]>`SELECT attributes->>'note' AS note FROM lpa_boundaries WHERE version = ${report?.version ?? 0} AND name = 'LPA 4'`;
    assert.equal(note?.note, 'nul\uFFFD and \uFFFD lone');
    assert.ok(report?.warnings.includes('1 text values held NUL or unpaired surrogate characters, stored as U+FFFD'));

    // gcn_ponds (any geometry type; not loaded in the template) from lon/lat points without a crs member.
    const ponds = [[1.29, 52.62], [1.3, 52.63]].map(([x, y]) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [x, y] } }));
    const [pond] = await loadReferenceFiles(db.sql, [await tmp.write('gcn_ponds.geojson', featureCollection(ponds))], { activate: true });
    assert.equal(pond?.qcPassed, true, JSON.stringify(pond?.checks.filter((c) => !c.passed)));
    assert.equal(pond?.crs?.declared, 4326);
    assert.ok(pond?.warnings.some((w) => w.includes('EPSG:4326')));
    const points = await db.sql<{ type: string; x: number; y: number }[]>`SELECT GeometryType(geometry) AS type, ST_X(geometry) AS x, ST_Y(geometry) AS y FROM gcn_ponds ORDER BY 2`;
    assert.equal(points.length, 2);
    for (const p of points) assert.ok(p.type === 'POINT' && p.x > 620_000 && p.x < 630_000 && p.y > 300_000 && p.y < 320_000, JSON.stringify(p));
    assert.equal(await activeVersion(db.sql, 'gcn_ponds'), pond?.version);
  });
});
