// A national-density ponds layer for the GCN no-survey route: England has about 457,161 mapped
// ponds over about 130,000 km² (≈ 3.5 per km²). Ponds are drawn deterministically over a square
// around the GCN fixture site, 80 % points and 20 % small octagons (100–800 m²), written as
// GeoJSON and loaded through the real reference loader as the active gcn_ponds version.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Sql } from '../../lib/db/sql.js';
import { loadReferenceFiles } from '../../lib/reference/loader.js';
import { describeFailures } from '../../lib/reference/report.js';
import { seededRandom } from './stats.js';

export const PONDS_PER_KM2 = 457_161 / 130_000;

export interface PondsLoad {
  ponds: number;
  sideKm: number;
  centre: [number, number];
  seconds: number;
}

function octagon(x: number, y: number, areaM2: number): number[][][] {
  // A regular octagon of circumradius r has area 2√2 r².
  const r = Math.sqrt(areaM2 / (2 * Math.SQRT2));
  const ring: number[][] = [];
  for (let k = 0; k < 8; k += 1) {
    const a = (k / 8) * 2 * Math.PI;
    ring.push([Math.round((x + r * Math.cos(a)) * 100) / 100, Math.round((y + r * Math.sin(a)) * 100) / 100]);
  }
  ring.push(ring[0] as number[]);
  return [ring];
}

export async function loadNationalDensityPonds(sql: Sql, centre: [number, number], sideKm: number, seed = 27700): Promise<PondsLoad> {
  const started = performance.now();
  const random = seededRandom(seed);
  const count = Math.round(PONDS_PER_KM2 * sideKm * sideKm);
  const half = (sideKm * 1000) / 2;
  const features: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const x = Math.round((centre[0] - half + random() * 2 * half) * 100) / 100;
    const y = Math.round((centre[1] - half + random() * 2 * half) * 100) / 100;
    const polygon = random() < 0.2;
    const area = 100 + random() * 700;
    const geometry = polygon ? { type: 'Polygon', coordinates: octagon(x, y, area) } : { type: 'Point', coordinates: [x, y] };
    features.push(JSON.stringify({ type: 'Feature', properties: {}, geometry }));
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nrf-bench-ponds-'));
  try {
    const file = path.join(dir, 'gcn_ponds.geojson');
    const crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } };
    await writeFile(file, `{"type":"FeatureCollection","crs":${JSON.stringify(crs)},"features":[${features.join(',')}]}`);
    const reports = await loadReferenceFiles(sql, [file], { activate: true });
    const failures = describeFailures(reports);
    if (failures.length > 0) throw new Error(`ponds layer failed QC: ${failures.join('; ')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { ponds: count, sideKm, centre, seconds: (performance.now() - started) / 1000 };
}
