// Acceptance on the public samples (../shared/data/inputs, read in place; skipped visibly without
// them): every boundary parses to its known number of sites in EPSG:27700, the survey ponds file
// to its 559 ponds, and the small site has the same area from its shapefile, zip and GeoJSON.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import type { Position } from 'geojson';
import { planarArea, polygonsOf } from '../../lib/geo/planar.js';
import type { Site } from '../../lib/geo/types.js';
import { readBoundary, readBoundaryFromPath, readSurveyPonds } from '../../lib/input/index.js';
import { needsSharedData, sharedPath } from '../support/data.js';
import { useInputSpecContext } from './support/context.js';
import { rejectsWith } from './support/expect.js';
import { SPEC_LIMITS } from './support/builders.js';

const inputs = (...parts: string[]): string => sharedPath('inputs', ...parts);

function assertInBng(sites: readonly Site[]): void {
  for (const site of sites) {
    for (const rings of polygonsOf(site.geometry)) {
      for (const ring of rings) {
        assert.ok(ring.every(([x = -1, y = -1]: Position) => x >= 0 && x <= 700_000 && y >= 0 && y <= 1_300_000 && ring.length >= 4), `site ${site.rlbId}`);
      }
    }
  }
}

const hasRepeat = (ring: Position[]): boolean => ring.some((p, i) => i > 0 && p[0] === ring[i - 1]?.[0] && p[1] === ring[i - 1]?.[1]);

describe('public sample inputs', needsSharedData(), () => {
  const ctx = useInputSpecContext();

  test('the small nutrient site: shapefile, zip (folder + __MACOSX) and GeoJSON give one site of 259.39 m²', async () => {
    const fromShp = await readBoundaryFromPath(inputs('nutrients/BnW_small_under_1_hectare/BnW_small_under_1_hectare.shp'), ctx.options({ keepAttributes: true }));
    const zipBytes = await readFile(inputs('nutrients/BnW_small_under_1_hectare.zip'));
    const fromZip = await readBoundary({ name: 'jobs/1/BnW_small_under_1_hectare.zip', bytes: zipBytes }, ctx.options());
    const fromJson = await readBoundaryFromPath(inputs('nutrients/BnW_small_under_1_hectare_geojson/BnW_small_under_1_hectare.geojson'), ctx.options());
    for (const result of [fromShp, fromZip, fromJson]) {
      assert.equal(result.sites.length, 1);
      assert.equal(result.sourceCrs, 27700);
      assert.equal(planarArea(result.sites[0]!.geometry).toFixed(2), '259.39');
      assertInBng(result.sites);
    }
    assert.deepEqual([fromShp.info.format, fromZip.info.format, fromJson.info.format], ['shapefile', 'shapefile-zip', 'geojson']);
    assert.deepEqual(fromShp.sites[0]?.attributes, { id: '24/00119/F', name: 'Old White Horse Station Road East Rudham', dwellingCategory: 'in-system', source: 'RHK_West Norfolk_System', dwellings: 1 });

    const times: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      await readBoundary({ name: 'input.zip', bytes: zipBytes }, ctx.options());
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`small zip input stage (zip → sites, incl. PostGIS validity): median ${times[10]?.toFixed(2)} ms, max ${times[19]?.toFixed(2)} ms\n`);
  });

  test('the Broads & Wensum batch: 245 sites (17 MultiPolygon, 9 with holes, one repeated vertex) in lenient mode only', async () => {
    const file = inputs('nutrients/BnW_cleaned_110925/BnW_cleaned_110925.shp');
    await rejectsWith(readBoundaryFromPath(file, ctx.options()), 'geometry_has_holes', { file: 'input' });
    const started = performance.now();
    const { sites } = await readBoundaryFromPath(file, ctx.options({ lenient: true, keepAttributes: true }));
    process.stdout.write(`Broads & Wensum batch (245 features): ${(performance.now() - started).toFixed(0)} ms\n`);
    assert.equal(sites.length, 245);
    assert.deepEqual(sites.map((s) => s.rlbId), Array.from({ length: 245 }, (_, i) => i + 1));
    assert.equal(sites.filter((s) => s.geometry.type === 'MultiPolygon').length, 17);
    assert.equal(sites.filter((s) => polygonsOf(s.geometry).some((rings) => rings.length > 1)).length, 9);
    assert.ok(sites.every((s) => polygonsOf(s.geometry).every((rings) => rings.every((ring) => !hasRepeat(ring)))));
    assert.ok(sites.every((s) => typeof s.attributes?.dwellings === 'number'));
    assertInBng(sites);
  });

  test('GCN site boundaries and survey ponds', async () => {
    const one = await readBoundaryFromPath(inputs('gcn/SiteBoundaries/SiteBoundary_00001.shp'), ctx.options());
    const two = await readBoundaryFromPath(inputs('gcn/SiteBoundaries/SiteBoundary_00002.shp'), ctx.options());
    assert.deepEqual([one.sites.length, two.sites.length], [4, 2]);
    assert.ok([...one.sites, ...two.sites].every((s) => s.geometry.type === 'Polygon'));
    const ponds = await readSurveyPonds(inputs('gcn/SitePonds/SitePonds_00001.shp'), { signal: AbortSignal.timeout(60_000), limits: SPEC_LIMITS });
    assert.equal(ponds.ponds.length, 559);
    assert.deepEqual(ponds.warnings, []);
    const count = (key: 'pans' | 'tmpImp', value: string): number => ponds.ponds.filter((p) => p[key] === value).length;
    assert.deepEqual([count('pans', 'P'), count('pans', 'A'), count('pans', 'NS'), count('tmpImp', 'T'), count('tmpImp', 'F')], [231, 243, 85, 7, 552]);
  });

  test('generated boundaries and the WGS 84 sites without crs: one site each', async () => {
    const generated = (await readdir(inputs('generated'))).filter((n) => n.endsWith('.geojson')).sort();
    assert.equal(generated.length, 10);
    for (const name of generated) {
      const result = await readBoundaryFromPath(inputs('generated', name), ctx.options());
      assert.deepEqual([result.sites.length, result.sourceCrs], [1, 27700], name);
    }
    for (const name of ['intersects_bure_broads.geojson', 'no_edp_intersection.geojson']) {
      const result = await readBoundary({ name, bytes: await readFile(inputs('nutrients', name)) }, ctx.options());
      assert.deepEqual([result.sites.length, result.sourceCrs], [1, 4326], name);
      assertInBng(result.sites);
    }
  });
});
