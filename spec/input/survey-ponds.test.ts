// Survey ponds (contracts.md §5.10, gcn.md §3.2): accepted shapes and columns, and every failure as
// `invalid_survey_ponds` with file = survey_ponds, a reason and up to 10 offenders.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point } from 'geojson';
import { readSurveyPonds, type SurveyPondsOptions } from '../../lib/input/index.js';
import { SPEC_LIMITS, geojsonBytes, holeSquare, polygon, shapefileZip, square, zipFiles } from './support/builders.js';
import { rejectsWith } from './support/expect.js';
import { buildRawZip } from './support/raw-zip.js';

const X = 600000;
const Y = 300000;
const options = (): SurveyPondsOptions => ({ signal: AbortSignal.timeout(60_000), limits: SPEC_LIMITS });
const point = (dx: number): Point => ({ type: 'Point', coordinates: [X + dx, Y] });
const ponds = (properties: Record<string, unknown>[], geometries: unknown[] = properties.map((_, i) => point(i))): Buffer =>
  geojsonBytes(geometries, { crs: 'EPSG:27700', properties });
const read = (bytes: Buffer, name = 'ponds.geojson'): ReturnType<typeof readSurveyPonds> => readSurveyPonds({ name, bytes }, options());

describe('survey ponds', () => {
  test('points and polygons with PANS and TmpImp (case-insensitive columns, trimmed values)', async () => {
    const geometries = [point(0), { type: 'MultiPoint', coordinates: [[X, Y], [X + 1, Y]] }, polygon(square(X, Y, 5), holeSquare(X + 1, Y + 1, 1)), { type: 'MultiPolygon', coordinates: [[square(X + 10, Y, 3)]] }];
    const result = await read(ponds([{ pans: 'P', tmpimp: 'T' }, { pans: ' NS ', tmpimp: 'F ' }, { pans: 'A', tmpimp: 'F' }, { pans: 'A', tmpimp: 'T' }], geometries));
    assert.deepEqual(result.ponds.map((p) => [p.featureIndex, p.geometry.type, p.pans, p.tmpImp]), [
      [0, 'Point', 'P', 'T'], [1, 'MultiPoint', 'NS', 'F'], [2, 'Polygon', 'A', 'F'], [3, 'MultiPolygon', 'A', 'T'],
    ]);
    assert.deepEqual(result.warnings, []);
  });

  test('no TmpImp column: every pond is F, with warning gcn_tmpimp_defaulted', async () => {
    const result = await read(ponds([{ PANS: 'P' }, { PANS: 'A' }]));
    assert.deepEqual(result.ponds.map((p) => p.tmpImp), ['F', 'F']);
    assert.deepEqual(result.warnings.map((w) => w.code), ['gcn_tmpimp_defaulted']);
  });

  test('an empty survey is valid and returns no ponds', async () => {
    const result = await read(geojsonBytes([]));
    assert.deepEqual(result, { ponds: [], warnings: [], info: result.info });
  });

  test('a zipped shapefile of points in WGS 84 is reprojected', async () => {
    const wgs = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]';
    const bytes = await shapefileZip([[1.2669, 52.7879]], [{ PANS: 'P', TmpImp: 'F' }], { type: 'POINT', prj: wgs });
    const result = await read(bytes, 'ponds.zip');
    const [x, y] = (result.ponds[0]?.geometry as Point).coordinates;
    assert.ok(Math.abs((x ?? 0) - 620387.43) < 0.01 && Math.abs((y ?? 0) - 326150.57) < 0.01, `${x}, ${y}`);
  });

  const FAILURES: { name: string; bytes: () => Buffer | Promise<Buffer>; file?: string; detail: Record<string, unknown> }[] = [
    { name: 'no PANS column', bytes: () => ponds([{ PAN: 'P' }]), detail: { reason: 'missing_pans_column' } },
    { name: 'two PANS columns', bytes: () => ponds([{ PANS: 'P', pans: 'A' }]), detail: { reason: 'ambiguous_column', columns: ['PANS', 'pans'] } },
    { name: 'two TmpImp columns', bytes: () => ponds([{ PANS: 'P', TmpImp: 'F', TMPIMP: 'F' }]), detail: { reason: 'ambiguous_column' } },
    { name: 'bad PANS values', bytes: () => ponds([{ PANS: 'P' }, { PANS: 'p' }, { PANS: null }, { PANS: ' ' }, { PANS: 1 }]), detail: { reason: 'invalid_pans_value', offenderCount: 4, offenders: [
      { feature_index: 1, column: 'PANS', value: 'p' }, { feature_index: 2, column: 'PANS', value: null }, { feature_index: 3, column: 'PANS', value: ' ' }, { feature_index: 4, column: 'PANS', value: 1 },
    ] } },
    { name: 'bad TmpImp values', bytes: () => ponds([{ PANS: 'P', TmpImp: 'Y' }, { PANS: 'A', TmpImp: 'F' }]), detail: { reason: 'invalid_tmpimp_value', offenders: [{ feature_index: 0, column: 'TmpImp', value: 'Y' }] } },
    { name: 'null geometry', bytes: () => ponds([{ PANS: 'P' }, { PANS: 'P' }], [point(0), null]), detail: { reason: 'null_geometry', offenders: [{ feature_index: 1, column: null, value: null }] } },
    { name: 'a line', bytes: () => ponds([{ PANS: 'P' }], [{ type: 'LineString', coordinates: [[X, Y], [X + 1, Y]] }]), detail: { reason: 'unsupported_geometry_type', offenders: [{ feature_index: 0, column: null, value: 'LineString' }] } },
    { name: 'unsupported CRS', bytes: () => geojsonBytes([point(0)], { crs: 'EPSG:3857', properties: [{ PANS: 'P' }] }), detail: { reason: 'unsupported_crs' } },
    { name: 'missing CRS (.prj empty)', file: 'ponds.zip', bytes: () => shapefileZip([[X, Y]], [{ PANS: 'P' }], { type: 'POINT', prj: '' }), detail: { reason: 'missing_crs' } },
    { name: 'unreadable file', bytes: () => Buffer.from('{"type": "FeatureCollection", '), detail: { reason: 'unreadable_file' } },
    { name: 'zip-slip path', file: 'ponds.zip', bytes: () => buildRawZip([{ name: '../ponds.shp', data: Buffer.from('x') }]), detail: { reason: 'zip_unsafe_path' } },
    { name: 'no shapefile in the zip', file: 'ponds.zip', bytes: () => zipFiles({ 'ponds.kml': '<kml/>' }), detail: { reason: 'zip_missing_shapefile' } },
    { name: 'open hole (holes are fine, open rings are not)', bytes: () => ponds([{ PANS: 'P' }], [polygon(square(X, Y, 5), [[X + 1, Y + 1], [X + 2, Y + 1], [X + 2, Y + 2]])]), detail: { reason: 'unclosed_ring' } },
    { name: 'out of range', bytes: () => ponds([{ PANS: 'P' }], [{ type: 'Point', coordinates: [900000, Y] }]), detail: { reason: 'coordinates_out_of_range' } },
    { name: 'unsupported suffix', file: 'ponds.kml', bytes: () => ponds([{ PANS: 'P' }]), detail: { reason: 'unsupported_file_type' } },
  ];
  for (const f of FAILURES) {
    test(`invalid_survey_ponds: ${f.name}`, async () => {
      await rejectsWith(read(await f.bytes(), f.file), 'invalid_survey_ponds', { file: 'survey_ponds', ...f.detail });
    });
  }

  test('at most 10 offenders are listed, with the full count', async () => {
    const error = await rejectsWith(read(ponds(Array.from({ length: 14 }, () => ({ PANS: 'yes' })))), 'invalid_survey_ponds', { reason: 'invalid_pans_value', offenderCount: 14 });
    assert.equal((error.detail.offenders as unknown[]).length, 10);
  });
});
