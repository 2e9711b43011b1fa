// What the readers accept and return (contracts.md §5.4–5.8, §10; nutrient.md §4.2): document
// shapes, defaults, Z dropping, encodings, legacy attributes, lenient mode, bare .shp paths and
// the per-job byte budget.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Polygon } from 'geojson';
import { planarArea } from '../../lib/geo/planar.js';
import { InputBudget, readBoundary, readBoundaryFromPath } from '../../lib/input/index.js';
import { geojsonBytes, holeSquare, polygon, shapefileFiles, shapefileZip, square, zipFiles } from './support/builders.js';
import { inputSpecContext, type InputSpecContext } from './support/context.js';
import { rejectsWith } from './support/expect.js';

const X = 530000;
const Y = 180000;

describe('boundary readers', () => {
  let ctx: InputSpecContext;
  let dir: string;
  before(async () => {
    ctx = await inputSpecContext();
    dir = path.join(os.tmpdir(), `nrf-spec-${randomUUID()}`);
    await mkdir(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await ctx.db.drop();
  });

  test('Feature, bare geometry and FeatureCollection documents; a BOM is tolerated; no crs means WGS 84', async () => {
    const ring = [[-0.127, 51.504], [-0.127, 51.5048], [-0.129, 51.5048], [-0.129, 51.504], [-0.127, 51.504]];
    const bare = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ type: 'Polygon', coordinates: [ring] }))]);
    const feature = Buffer.from(JSON.stringify({ type: 'Feature', properties: null, geometry: { type: 'Polygon', coordinates: [ring] } }));
    const areas: number[] = [];
    for (const bytes of [bare, feature, geojsonBytes([polygon(ring as [number, number][])])]) {
      const result = await readBoundary({ name: 'site.GeoJSON', bytes }, ctx.options());
      assert.equal(result.sourceCrs, 4326);
      assert.deepEqual(result.sites.map((s) => [s.rlbId, s.sourceFeature, s.attributes]), [[1, 0, null]]);
      const [x, y] = (result.sites[0]?.geometry as Polygon).coordinates[0]?.[0] ?? [];
      assert.ok(Math.abs((x ?? 0) - 530094) < 1 && Math.abs((y ?? 0) - 180003) < 1, `reprojected into BNG near Westminster: ${x}, ${y}`);
      areas.push(planarArea(result.sites[0]?.geometry as Polygon));
    }
    assert.ok(areas.every((a) => a === areas[0] && a > 12_000 && a < 13_000), `areas ${areas.join(', ')}`);
  });

  test('Z and M values are dropped; a MultiPolygon feature stays one site', async () => {
    const withZ = square(X, Y, 40).map(([x, y]) => [x, y, 12.5, 99]);
    const multi = { type: 'MultiPolygon', coordinates: [[square(X + 100, Y, 10)], [square(X + 200, Y, 10)]] };
    const result = await readBoundary({ name: 'a.json', bytes: geojsonBytes([{ type: 'Polygon', coordinates: [withZ] }, multi], { crs: 'EPSG:27700' }) }, ctx.options());
    assert.deepEqual(result.sites.map((s) => [s.rlbId, s.sourceFeature, s.geometry.type]), [[1, 0, 'Polygon'], [2, 1, 'MultiPolygon']]);
    assert.ok((result.sites[0]?.geometry as Polygon).coordinates[0]?.every((p) => p.length === 2));
    assert.equal(planarArea(result.sites[1]?.geometry as Polygon), 200);
  });

  test('legacy attributes only when asked (CLI), snake_case winning; the queue path discards them', async () => {
    const rows = [
      { Dwellings: 5, id: 'A1', Name: 'Old name', name: 'New name', Dwel_Cat: 'house', Source: '  ', Shape_Area: 1 },
      { DWELLINGS: '7', ID: 42, dwelling_category: 'flat', Dwel_Cat: 'ignored' },
    ];
    const bytes = geojsonBytes([polygon(square(X, Y, 10)), polygon(square(X + 20, Y, 10))], { crs: 'EPSG:27700', properties: rows });
    const queue = await readBoundary({ name: 'input.geojson', bytes }, ctx.options());
    assert.deepEqual(queue.sites.map((s) => s.attributes), [null, null]);
    const cli = await readBoundary({ name: 'input.geojson', bytes }, ctx.options({ keepAttributes: true }));
    assert.deepEqual(cli.sites.map((s) => s.attributes), [
      { id: 'A1', name: 'New name', dwellingCategory: 'house', source: null, dwellings: 5 },
      { id: '42', dwellingCategory: 'flat', dwellings: '7' },
    ]);
    const shapefile = await readBoundary({ name: 'input.zip', bytes: await shapefileZip([[square(X, Y, 10)]], [{ Dwellings: 4, Name: 'Plot', Dwel_Cat: 'house', Source: 'LPA', Type: 'x' }]) }, ctx.options({ keepAttributes: true }));
    assert.deepEqual(shapefile.sites[0]?.attributes, { name: 'Plot', dwellingCategory: 'house', source: 'LPA', dwellings: 4 });
  });

  test('DBF text: .cpg names the encoding; without it UTF-8, falling back to ISO-8859-1', async () => {
    const read = async (name: string, cpg?: string): Promise<unknown> => {
      const bytes = await shapefileZip([[square(X, Y, 10)]], [{ Name: name }], { cpg });
      const result = await readBoundary({ name: 'input.zip', bytes }, ctx.options({ keepAttributes: true }));
      return result.sites[0]?.attributes?.name;
    };
    assert.equal(await read('Caf\u00e9'), 'Café', 'Latin-1 bytes, no .cpg');
    assert.equal(await read('Caf\u00c3\u00a9'), 'Café', 'UTF-8 bytes, no .cpg');
    assert.equal(await read('Caf\u00c3\u00a9', 'UTF-8'), 'Café', 'UTF-8 bytes, UTF-8 .cpg');
    assert.equal(await read('Caf\u00e9', 'UTF-8'), 'Café', 'Latin-1 bytes behind a UTF-8 .cpg');
    assert.equal(await read('Caf\u00c3\u00a9', 'ISO-8859-1'), 'CafÃ©', 'the .cpg is believed when it names Latin-1');
  });

  test('lenient mode (CLI): holes accepted and repeated vertices removed; strict mode refuses both', async () => {
    const duplicated = [[X, Y], [X, Y + 30], [X, Y + 30], [X + 30, Y + 30], [X + 30, Y], [X, Y]] as [number, number][];
    const bytes = geojsonBytes([polygon(square(X + 100, Y, 40), holeSquare(X + 110, Y + 10, 10)), polygon(duplicated)], { crs: 'EPSG:27700' });
    await rejectsWith(readBoundary({ name: 'a.geojson', bytes }, ctx.options()), 'geometry_has_holes', { featureIndex: 0 });
    const lenient = await readBoundary({ name: 'a.geojson', bytes }, ctx.options({ lenient: true }));
    assert.equal(planarArea(lenient.sites[0]?.geometry as Polygon), 1600 - 100);
    assert.deepEqual((lenient.sites[1]?.geometry as Polygon).coordinates[0], [[X, Y], [X, Y + 30], [X + 30, Y + 30], [X + 30, Y], [X, Y]]);
  });

  test('a bare .shp path reads its siblings; a missing sibling or file is a coded error', async () => {
    const files = shapefileFiles([[square(X, Y, 25)]], [{ Dwellings: 3 }], { stem: 'Boundary' });
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name.replace('.dbf', '.DBF')), content);
    const result = await readBoundaryFromPath(path.join(dir, 'Boundary.shp'), ctx.options({ keepAttributes: true }));
    assert.equal(result.info.format, 'shapefile');
    assert.deepEqual(result.sites.map((s) => [s.rlbId, s.attributes?.dwellings]), [[1, 3]]);
    await rm(path.join(dir, 'Boundary.prj'));
    await rejectsWith(readBoundaryFromPath(path.join(dir, 'Boundary.shp'), ctx.options()), 'zip_missing_shapefile_parts', { file: 'input', missing: ['.prj'] });
    await rejectsWith(readBoundaryFromPath(path.join(dir, 'Nowhere.shp'), ctx.options()), 'unreadable_geometry_file', { reason: 'file_not_found' });
    await rejectsWith(readBoundaryFromPath(path.join(dir, 'site.kml'), ctx.options()), 'unsupported_file_type');
    await writeFile(path.join(dir, 'site.zip'), await zipFiles(shapefileFiles([[square(X, Y, 25)]], [{}])));
    assert.equal((await readBoundaryFromPath(path.join(dir, 'site.zip'), ctx.options())).info.format, 'shapefile-zip');
  });

  test('the per-job byte budget counts inflated bytes across files', async () => {
    const bytes = await shapefileZip([[square(X, Y, 25)]], [{}]);
    const probe = new InputBudget(1_000_000);
    await readBoundary({ name: 'input.zip', bytes }, ctx.options({ budget: probe }));
    assert.ok(probe.usedBytes > 0, 'inflated bytes are charged');
    const budget = new InputBudget(Math.ceil(probe.usedBytes * 1.5)); // room for one read, not two
    await readBoundary({ name: 'input.zip', bytes }, ctx.options({ budget }));
    await rejectsWith(readBoundary({ name: 'input.zip', bytes }, ctx.options({ budget })), 'zip_total_too_large', { reason: 'job_input_budget', budgetBytes: budget.limitBytes });
  });

  test('an aborted signal stops the read', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await assert.rejects(readBoundary({ name: 'input.zip', bytes: await shapefileZip([[square(X, Y, 25)]], [{}]) }, ctx.options({ signal: controller.signal })), /deadline/);
  });
});
