// Quote boundaries (contracts.md §5.9): one bare Polygon, EPSG:27700 unless its crs says
// otherwise, the degree guard, and the §5.7/§5.8 checks with Polygon only. Errors name file=message.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorCode } from '../../lib/errors.js';
import { planarArea } from '../../lib/geo/planar.js';
import { validateQuoteBoundary } from '../../lib/input/index.js';
import { holeSquare, square } from './support/builders.js';
import { useInputSpecContext } from './support/context.js';
import { rejectsWith } from './support/expect.js';

const FIELD = 'boundaryGeojson.boundaryGeometryOriginal';
const CRS_27700 = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } };
const SPEC_EXAMPLE = {
  type: 'Polygon',
  coordinates: [[[582815.0, 328189.0], [582809.0, 328204.0], [582825.0, 328210.0], [582830.0, 328197.0], [582815.0, 328189.0]]],
  crs: CRS_27700,
};

describe('quote boundary', () => {
  const ctx = useInputSpecContext();
  const validate = (geometry: unknown): ReturnType<typeof validateQuoteBoundary> => validateQuoteBoundary(geometry, { sql: ctx.db.sql, signal: AbortSignal.timeout(60_000) });

  test('the contracts.md §3 example is one site in EPSG:27700; without crs the same numbers are BNG', async () => {
    const [site, ...rest] = await validate(SPEC_EXAMPLE);
    assert.equal(rest.length, 0);
    assert.deepEqual([site?.rlbId, site?.sourceFeature, site?.attributes], [1, 0, null]);
    const { crs: _crs, ...withoutCrs } = SPEC_EXAMPLE;
    const [bare] = await validate(withoutCrs);
    assert.deepEqual(bare?.geometry, site?.geometry);
    assert.equal(planarArea(bare!.geometry), 255.5); // shoelace of the four corners, by hand
  });

  test('a WGS 84 quote with crs EPSG:4326 is reprojected', async () => {
    const ring = [[1.2669, 52.7879], [1.2669, 52.7885], [1.264, 52.7885], [1.264, 52.7879], [1.2669, 52.7879]];
    const [site] = await validate({ type: 'Polygon', coordinates: [ring], crs: { type: 'name', properties: { name: 'EPSG:4326' } } });
    assert.equal(site?.geometry.type, 'Polygon');
    assert.ok(planarArea(site.geometry) > 12_000);
  });

  const FAILURES: { name: string; geometry: unknown; code: ErrorCode; detail?: Record<string, unknown> }[] = [
    { name: 'a string', geometry: 'POLYGON((0 0, 1 1))', code: 'invalid_message', detail: { field: FIELD } },
    { name: 'no coordinates', geometry: { type: 'Polygon' }, code: 'invalid_message', detail: { field: FIELD, reason: 'not_a_geometry' } },
    { name: 'a Feature', geometry: { type: 'Feature', geometry: SPEC_EXAMPLE }, code: 'invalid_message', detail: { field: FIELD } },
    { name: 'malformed positions', geometry: { type: 'Polygon', coordinates: [[['582815', 328189]]] }, code: 'invalid_message', detail: { field: `${FIELD}.coordinates` } },
    { name: 'crs EPSG:3857', geometry: { ...SPEC_EXAMPLE, crs: { type: 'name', properties: { name: 'EPSG:3857' } } }, code: 'unsupported_crs' },
    { name: 'degrees without crs', geometry: { type: 'Polygon', coordinates: [[[1.2669, 52.7879], [1.2669, 52.7885], [1.264, 52.7885], [1.2669, 52.7879]]] }, code: 'missing_crs' },
    { name: 'unclosed ring', geometry: { ...SPEC_EXAMPLE, coordinates: [SPEC_EXAMPLE.coordinates[0]!.slice(0, 4)] }, code: 'unclosed_ring' },
    { name: 'easting beyond 700 km', geometry: { type: 'Polygon', coordinates: [square(699990, 300000, 20)], crs: CRS_27700 }, code: 'coordinates_out_of_range' },
    { name: 'a MultiPolygon', geometry: { type: 'MultiPolygon', coordinates: [SPEC_EXAMPLE.coordinates], crs: CRS_27700 }, code: 'unsupported_geometry_type', detail: { geometryType: 'MultiPolygon' } },
    { name: 'a Point', geometry: { type: 'Point', coordinates: [582815, 328189] }, code: 'unsupported_geometry_type' },
    { name: 'a bow-tie', geometry: { type: 'Polygon', coordinates: [[[582800, 328100], [582900, 328200], [582900, 328100], [582800, 328200], [582800, 328100]]] }, code: 'self_intersecting_geometry' },
    { name: 'a hole', geometry: { type: 'Polygon', coordinates: [square(582800, 328100, 50), holeSquare(582810, 328110, 5)] }, code: 'geometry_has_holes' },
    { name: 'a repeated vertex', geometry: { type: 'Polygon', coordinates: [[[582800, 328100], [582800, 328150], [582800, 328150], [582850, 328150], [582800, 328100]]] }, code: 'duplicate_vertices' },
  ];
  for (const f of FAILURES) {
    test(`${f.code}: ${f.name}`, async () => {
      await rejectsWith(validate(f.geometry), f.code, { file: 'message', ...f.detail });
    });
  }
});
