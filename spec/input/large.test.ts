// A million-vertex boundary (zipped shapefile): the valid polygon passes and a self-intersecting
// twin is caught, without blowing memory. Time and memory are printed, never asserted tightly.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readBoundary } from '../../lib/input/index.js';
import { BNG_WKT, SPEC_LIMITS, square, writeShapefile } from './support/builders.js';
import { useInputSpecContext } from './support/context.js';
import { rejectsWith } from './support/expect.js';
import { buildRawZip } from './support/raw-zip.js';

const VERTICES = 1_000_000;
const MiB = 1024 * 1024;

/** A clockwise 100 km-radius circle, centre mm-rounded, as one Polygon record. */
function circleShp(vertices: number, swap = false): { shp: Buffer; shx: Buffer } {
  const points = vertices + 1;
  const content = 44 + 4 + 16 * points;
  const shp = Buffer.alloc(100 + 8 + content);
  shp.writeInt32BE(9994, 0);
  shp.writeInt32BE(shp.length / 2, 24);
  shp.writeInt32LE(1000, 28);
  shp.writeInt32LE(5, 32);
  shp.writeInt32BE(1, 100);
  shp.writeInt32BE(content / 2, 104);
  shp.writeInt32LE(5, 108);
  shp.writeInt32LE(1, 144);
  shp.writeInt32LE(points, 148);
  shp.writeInt32LE(0, 152);
  const [cx, cy, r] = [400000, 400000, 100000];
  for (let i = 0; i < points; i += 1) {
    let k = i % vertices;
    if (swap && (k === 10 || k === 11)) k = k === 10 ? 11 : 10; // two neighbours swapped: the ring crosses itself
    const angle = (-2 * Math.PI * k) / vertices; // clockwise
    const at = 156 + 16 * i;
    shp.writeDoubleLE(Math.round((cx + r * Math.cos(angle)) * 1000) / 1000, at);
    shp.writeDoubleLE(Math.round((cy + r * Math.sin(angle)) * 1000) / 1000, at + 8);
  }
  const shx = Buffer.alloc(108);
  shx.writeInt32BE(9994, 0);
  shx.writeInt32BE(54, 24);
  shx.writeInt32LE(1000, 28);
  shx.writeInt32LE(5, 32);
  shx.writeInt32BE(50, 100);
  shx.writeInt32BE(content / 2, 104);
  return { shp, shx };
}

/** Zipped with node:zlib (raw-zip.ts): jszip's pure-JS deflate of 16 MB costs seconds. */
function millionVertexZip(swap: boolean): Buffer {
  const { dbf } = writeShapefile([[square(0, 0, 1)]], [{ id: 1 }]); // one record, like the .shp
  const { shp, shx } = circleShp(VERTICES, swap);
  return buildRawZip([{ name: 'big.shp', data: shp }, { name: 'big.shx', data: shx }, { name: 'big.dbf', data: dbf }, { name: 'big.prj', data: Buffer.from(BNG_WKT) }]);
}

describe('a million vertices', () => {
  const ctx = useInputSpecContext();
  // 16 MB of coordinates do not compress under the 2 MiB upload limit, so the test raises it.
  const limits = { ...SPEC_LIMITS, maxFileBytes: 32 * MiB };

  test('a valid million-vertex polygon passes', async () => {
    const bytes = millionVertexZip(false);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const result = await readBoundary({ name: 'big.zip', bytes }, ctx.options({ limits }));
    const ms = performance.now() - started;
    const peak = process.resourceUsage().maxRSS * 1024;
    process.stdout.write(`1M-vertex polygon (zip ${(bytes.length / MiB).toFixed(1)} MB): ${ms.toFixed(0)} ms, rss before ${(before / MiB).toFixed(0)} MB, peak ${(peak / MiB).toFixed(0)} MB\n`);
    assert.ok(peak - before < 1024 * MiB, 'stays well under a gigabyte');
    assert.equal(result.sites.length, 1);
    assert.equal(result.sites[0]?.geometry.type, 'Polygon');
  });

  test('a million-vertex ring that crosses itself is refused with its location', async () => {
    const bytes = millionVertexZip(true);
    const error = await rejectsWith(readBoundary({ name: 'big.zip', bytes }, ctx.options({ limits })), 'self_intersecting_geometry', { featureIndex: 0, partIndex: 0 });
    assert.ok(Array.isArray(error.detail.location));
  });
});
