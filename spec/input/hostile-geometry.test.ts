// Hostile files, part 2 (contracts.md §5.4–5.8): unreadable bundles, CRS, range and every geometry
// check, each generated here and asserted by exact code and key detail fields.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorCode } from '../../lib/errors.js';
import { readBoundary } from '../../lib/input/index.js';
import { WEB_MERCATOR_WKT, WGS84_WKT, geojsonBytes, holeSquare, polygon, shapefileFiles, square, zipFiles, type Ring } from './support/builders.js';
import { useInputSpecContext } from './support/context.js';
import { rejectsWith } from './support/expect.js';

const X = 520000;
const Y = 310000;
const SITE = square(X, Y, 50);
const bng = (...geometries: unknown[]): Buffer => geojsonBytes(geometries, { crs: 'urn:ogc:def:crs:EPSG::27700' });
const text = (json: string): Buffer => Buffer.from(json, 'utf8');
const shift = (ring: number[][]): Ring => ring.map(([x = 0, y = 0]) => [X + x, Y + y]);

const BOW_TIE = shift([[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]);
const SELF_TOUCH = shift([[0, 0], [10, 0], [10, 10], [5, 0], [0, 10], [0, 0]]);

function shapefileZipWith(edit: (files: Record<string, Buffer | string>) => void, geometries: unknown[] = [[SITE]], rows: Record<string, unknown>[] = [{ id: 1 }], type?: 'POINT'): Promise<Buffer> {
  const files = shapefileFiles(geometries, rows, { type });
  edit(files);
  return zipFiles(files);
}

/** The .shp of a one-polygon shapefile with the X of vertex `index` replaced. */
function withX(files: Record<string, Buffer | string>, index: number, value: number): void {
  const shp = Buffer.from(files['site.shp'] as Buffer);
  shp.writeDoubleLE(value, 100 + 8 + 44 + 4 + 16 * index); // record header, shape header, one part index
  files['site.shp'] = shp;
}

interface Case {
  name: string;
  file?: string;
  bytes: () => Buffer | Promise<Buffer>;
  code: ErrorCode;
  detail?: Record<string, unknown>;
}

const CASES: Case[] = [
  { name: 'corrupt .shp', bytes: () => shapefileZipWith((f) => { f['site.shp'] = Buffer.alloc(300, 7); }), code: 'unreadable_geometry_file', detail: { part: '.shp', reason: 'not_a_shapefile' } },
  { name: 'truncated .shp record', bytes: () => shapefileZipWith((f) => { f['site.shp'] = (f['site.shp'] as Buffer).subarray(0, -24); }), code: 'unreadable_geometry_file', detail: { reason: 'declared_length_mismatch' } },
  { name: '.dbf with fewer records than the .shp', bytes: () => shapefileZipWith((f) => { f['site.dbf'] = shapefileFiles([[SITE]], [{ id: 1 }])['site.dbf'] as Buffer; }, [[SITE], [square(X + 100, Y, 10)]], [{ id: 1 }, { id: 2 }]), code: 'unreadable_geometry_file', detail: { reason: 'record_count_differs_from_shp' } },
  { name: 'empty .prj', bytes: () => shapefileZipWith((f) => { f['site.prj'] = ' \n'; }), code: 'missing_crs', detail: { reason: 'empty_prj' } },
  { name: 'unparseable .prj', bytes: () => shapefileZipWith((f) => { f['site.prj'] = 'British National Grid, probably'; }), code: 'missing_crs', detail: { reason: 'unparseable_prj' } },
  { name: '.prj of EPSG:3857', bytes: () => shapefileZipWith((f) => { f['site.prj'] = WEB_MERCATOR_WKT; }), code: 'unsupported_crs', detail: { authority: 'EPSG:3857' } },
  { name: 'BNG coordinates labelled WGS 84', bytes: () => shapefileZipWith((f) => { f['site.prj'] = WGS84_WKT; }), code: 'coordinates_out_of_range', detail: { featureIndex: 0, crs: 'EPSG:4326', stage: 'declared' } },
  { name: 'NaN coordinate in a .shp', bytes: () => shapefileZipWith((f) => withX(f, 1, Number.NaN)), code: 'coordinates_out_of_range', detail: { position: ['NaN', Y + 50] } },
  { name: 'NaN literal in GeoJSON', file: 'a.geojson', bytes: () => text(`{"type":"Polygon","coordinates":[[[NaN,0],[1,0],[1,1],[NaN,0]]]}`), code: 'unreadable_geometry_file', detail: { reason: 'invalid_json' } },
  { name: 'Infinity (1e999) in GeoJSON', file: 'a.json', bytes: () => text(`{"type":"Polygon","coordinates":[[[1e999,0],[1,0],[1,1],[1e999,0]]]}`), code: 'coordinates_out_of_range', detail: { position: ['Infinity', 0] } },
  { name: 'non-UTF-8 GeoJSON', file: 'a.geojson', bytes: () => Buffer.concat([text('{"type":"FeatureCollection","name":"caf'), Buffer.from([0xe9]), text('","features":[]}')]), code: 'unreadable_geometry_file', detail: { reason: 'not_utf8' } },
  { name: 'GeoJSON crs EPSG:3857', file: 'a.geojson', bytes: () => geojsonBytes([polygon(SITE)], { crs: 'EPSG:3857' }), code: 'unsupported_crs', detail: { reason: 'unsupported_code' } },
  { name: 'GeoJSON crs of type link', file: 'a.geojson', bytes: () => text(`{"type":"FeatureCollection","crs":{"type":"link","properties":{"href":"x"}},"features":[]}`), code: 'unsupported_crs', detail: { reason: 'crs_type_not_name' } },
  { name: 'JSON that is not an object', file: 'a.geojson', bytes: () => text('[1,2,3]'), code: 'unreadable_geometry_file', detail: { reason: 'not_a_json_object' } },
  { name: 'JSON that is not GeoJSON', file: 'a.geojson', bytes: () => text('{"type":"Topology","objects":{}}'), code: 'unreadable_geometry_file', detail: { reason: 'not_geojson' } },
  { name: 'string coordinates', file: 'a.geojson', bytes: () => bng({ type: 'Polygon', coordinates: [[['1', '2']]] }), code: 'unreadable_geometry_file', detail: { reason: 'coordinate_not_a_number' } },
  { name: 'empty FeatureCollection', file: 'a.geojson', bytes: () => bng(), code: 'no_polygon_found' },
  { name: 'points (shapefile)', bytes: () => shapefileZipWith(() => undefined, [[X, Y], [X + 5, Y]], [{}, {}], 'POINT'), code: 'unsupported_geometry_type', detail: { featureIndex: 0, geometryType: 'Point' } },
  { name: 'lines (GeoJSON)', file: 'a.geojson', bytes: () => bng(polygon(SITE), { type: 'LineString', coordinates: [[X, Y], [X + 9, Y + 9]] }), code: 'unsupported_geometry_type', detail: { featureIndex: 1, geometryType: 'LineString' } },
  { name: 'GeometryCollection', file: 'a.geojson', bytes: () => bng({ type: 'GeometryCollection', geometries: [polygon(SITE)] }), code: 'unsupported_geometry_type', detail: { geometryType: 'GeometryCollection' } },
  { name: 'null geometry', file: 'a.geojson', bytes: () => bng(polygon(SITE), null), code: 'invalid_geometry', detail: { featureIndex: 1, reason: 'null_geometry' } },
  { name: 'zero-area polygon', file: 'a.geojson', bytes: () => bng(polygon(shift([[0, 0], [5, 0], [10, 0], [0, 0]]))), code: 'invalid_geometry', detail: { reason: 'zero_area' } },
  { name: 'ring of three positions', file: 'a.geojson', bytes: () => bng(polygon(shift([[0, 0], [5, 5], [0, 0]]))), code: 'invalid_geometry', detail: { reason: 'ring_has_fewer_than_4_positions' } },
  { name: 'bow-tie', file: 'a.geojson', bytes: () => bng(polygon(BOW_TIE)), code: 'self_intersecting_geometry', detail: { featureIndex: 0, partIndex: 0, reason: 'Self-intersection' } },
  { name: 'ring self-touch', file: 'a.geojson', bytes: () => bng(polygon(SELF_TOUCH)), code: 'self_intersecting_geometry', detail: { reason: 'Ring Self-intersection' } },
  { name: 'overlapping MultiPolygon parts', file: 'a.geojson', bytes: () => bng({ type: 'MultiPolygon', coordinates: [[SITE], [square(X + 10, Y + 10, 50)]] }), code: 'self_intersecting_geometry', detail: { partIndex: null } },
  { name: 'bow-tie in the second part', file: 'a.geojson', bytes: () => bng({ type: 'MultiPolygon', coordinates: [[square(X + 100, Y, 5)], [BOW_TIE]] }), code: 'self_intersecting_geometry', detail: { partIndex: 1 } },
  { name: 'hole (shapefile)', bytes: () => shapefileZipWith(() => undefined, [[SITE, holeSquare(X + 10, Y + 10, 5)]], [{}]), code: 'geometry_has_holes', detail: { featureIndex: 0, partIndex: 0, ringIndex: 1 } },
  { name: 'duplicate vertices', file: 'a.geojson', bytes: () => bng(polygon(shift([[0, 0], [0, 10], [0, 10], [10, 10], [10, 0], [0, 0]]))), code: 'duplicate_vertices', detail: { featureIndex: 0, vertexIndex: 2 } },
  { name: 'unclosed ring', file: 'a.geojson', bytes: () => bng(polygon(shift([[0, 0], [0, 10], [10, 10], [10, 0]]))), code: 'unclosed_ring', detail: { featureIndex: 0, ringIndex: 0 } },
  { name: 'unclosed hole', file: 'a.geojson', bytes: () => bng(polygon(SITE, shift([[10, 10], [20, 10], [20, 20]]))), code: 'geometry_has_holes', detail: { ringIndex: 1, reason: 'unclosed_interior_ring' } },
  { name: 'unclosed ring wins over a bad shape elsewhere', file: 'a.geojson', bytes: () => text(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1]]]}},{"type":"Feature","geometry":"oops"}]}`), code: 'unclosed_ring', detail: { featureIndex: 0 } },
  { name: 'WGS 84 far from Great Britain', file: 'a.geojson', bytes: () => geojsonBytes([polygon([[100, 10], [100, 10.1], [100.1, 10.1], [100, 10]])]), code: 'coordinates_out_of_range', detail: { stage: 'reprojected' } },
  { name: 'latitude beyond 90', file: 'a.geojson', bytes: () => geojsonBytes([polygon([[1, 91], [1, 92], [2, 92], [1, 91]])]), code: 'coordinates_out_of_range', detail: { stage: 'declared', crs: 'EPSG:4326' } },
  { name: 'check order, not feature order: holes in feature 0, bow-tie in feature 1', file: 'a.geojson', bytes: () => bng(polygon(SITE, holeSquare(X + 10, Y + 10, 5)), polygon(BOW_TIE)), code: 'self_intersecting_geometry', detail: { featureIndex: 1 } },
  { name: 'check order: duplicate in feature 0, hole in feature 2', file: 'a.geojson', bytes: () => bng(polygon(shift([[0, 0], [0, 0], [0, 10], [10, 10], [10, 0], [0, 0]])), polygon(square(X + 100, Y, 9)), polygon(SITE, holeSquare(X + 10, Y + 10, 5))), code: 'geometry_has_holes', detail: { featureIndex: 2 } },
];

describe('readers, CRS and geometry checks (hostile corpus, part 2)', () => {
  const ctx = useInputSpecContext();

  for (const c of CASES) {
    test(`${c.code}: ${c.name}`, async () => {
      await rejectsWith(readBoundary({ name: c.file ?? 'input.zip', bytes: await c.bytes() }, ctx.options()), c.code, { file: 'input', ...c.detail });
    });
  }

  test('a BNG .prj in WKT 2 with an ID is read', async () => {
    const wkt2 = 'PROJCRS["OSGB36 / British National Grid",BASEGEOGCRS["OSGB36",DATUM["Ordnance Survey of Great Britain 1936",ELLIPSOID["Airy 1830",6377563.396,299.3249646]]],CONVERSION["British National Grid",METHOD["Transverse Mercator"]],CS[Cartesian,2],ID["EPSG",27700]]';
    const result = await readBoundary({ name: 'input.zip', bytes: await shapefileZipWith((f) => { f['site.prj'] = wkt2; }) }, ctx.options());
    assert.equal(result.sites.length, 1);
    assert.equal(result.sourceCrs, 27700);
  });

});
