// proj4 (in-process, lib/geo/bng.ts) against PostGIS `ST_Transform(…, 27700)`: the two must agree
// to within 1 mm across Great Britain, inside the area of use of the EPSG:1314 Helmert that PROJ
// picks (contracts.md §5.7 names PostGIS; docs/input.md records why proj4 is used instead).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Polygon } from 'geojson';
import { createWgs84ToBng, HELMERT_AREA_OF_USE } from '../../lib/geo/bng.js';
import { readBoundary } from '../../lib/input/index.js';
import { needsSharedData, sharedPath } from '../support/data.js';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { SPEC_LIMITS } from './support/builders.js';

const SAMPLE_POINTS: [number, number][] = [
  [1.2669, 52.7879], [1.264, 52.7885], [-0.127, 51.504], [-0.129, 51.5048], // the WGS 84 sample sites
  [-5.7150, 50.0657], [-3.1883, 55.9533], [-1.0815, 60.1540], [-4.2518, 55.8642], [1.7500, 52.4800], [-8.5, 57.8],
];

function grid(): [number, number][] {
  const points: [number, number][] = [];
  const { west, south, east, north } = HELMERT_AREA_OF_USE;
  for (let lat = south + 0.01; lat < north; lat += 0.45) for (let lon = west + 0.01; lon < east; lon += 0.45) points.push([lon, lat]);
  return points;
}

describe('WGS 84 → British National Grid', () => {
  let db: TestDatabase;
  before(async () => {
    db = await cloneTemplate();
  });
  after(async () => {
    await db.drop();
  });

  async function postgis(points: [number, number][]): Promise<[number, number][]> {
    const rows = await db.sql<{ x: number; y: number }[]>`
      select ST_X(g) as x, ST_Y(g) as y
      from unnest(${points.map((p) => p[0])}::float8[], ${points.map((p) => p[1])}::float8[]) with ordinality as u(lon, lat, ord)
      cross join lateral ST_Transform(ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326), 27700) as g
      order by u.ord`;
    return rows.map((r) => [r.x, r.y]);
  }

  test('proj4 agrees with PostGIS ST_Transform to within 1 mm', async () => {
    const points = [...SAMPLE_POINTS, ...grid()];
    const expected = await postgis(points);
    const transform = createWgs84ToBng();
    let worst = 0;
    points.forEach(([lon, lat], i) => {
      const [x, y] = transform(lon, lat);
      const [ex = 0, ey = 0] = expected[i] ?? [];
      worst = Math.max(worst, Math.hypot(x - ex, y - ey));
    });
    process.stdout.write(`proj4 vs PostGIS over ${points.length} points: max difference ${(worst * 1000).toFixed(3)} mm\n`);
    assert.ok(worst < 0.001, `max difference ${worst} m`);
  });

  test('a WGS 84 sample read through the pipeline matches PostGIS vertex by vertex', needsSharedData(), async () => {
    const bytes = await readFile(sharedPath('inputs/nutrients/intersects_bure_broads.geojson'));
    const result = await readBoundary({ name: 'site.geojson', bytes }, { sql: db.sql, signal: AbortSignal.timeout(60_000), limits: SPEC_LIMITS });
    const source = (JSON.parse(bytes.toString('utf8')) as { features: { geometry: Polygon }[] }).features[0]?.geometry.coordinates[0] as [number, number][];
    const expected = await postgis(source);
    const got = (result.sites[0]?.geometry as Polygon).coordinates[0] ?? [];
    got.forEach(([x = 0, y = 0], i) => {
      const [ex = 0, ey = 0] = expected[i] ?? [];
      assert.ok(Math.hypot(x - ex, y - ey) < 0.001, `vertex ${i}`);
    });
  });
});
