// A test-only oracle for the nutrient module (nutrient.md §12.5 item 2, §12.7): in-process, no
// PostGIS, with polygon-clipping for the geometry and its own reading of the lookups SQLite. It
// shares no code with lib/assessments/nutrient, so agreement means something.

import Database from 'better-sqlite3';
import polygonClipping, { type MultiPolygon as PcMultiPolygon } from 'polygon-clipping';
import wkx from 'wkx';
import type { MultiPolygon, Polygon } from 'geojson';
import { openGpkg } from '../../../lib/reference/readers/gpkg.js';

export type Shape = PcMultiPolygon;

export interface OracleFeature {
  index: number;
  attributes: Record<string, unknown>;
  shape: Shape;
  bbox: [number, number, number, number];
}

export function toShape(geometry: Polygon | MultiPolygon): Shape {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((rings) => rings.map((ring) => ring.map((p) => [p[0] as number, p[1] as number] as [number, number])));
}

export function bboxOf(shape: Shape): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const polygon of shape) for (const ring of polygon) for (const [x, y] of ring) {
    minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

export function bboxesOverlap(a: readonly number[], b: readonly number[]): boolean {
  return (a[0] as number) <= (b[2] as number) && (b[0] as number) <= (a[2] as number) && (a[1] as number) <= (b[3] as number) && (b[1] as number) <= (a[3] as number);
}

/**
 * Planar area (m²) of a multipolygon: shoelace, holes subtracted. Coordinates are taken relative
 * to each ring's first vertex: with raw BNG values (~10⁵–10⁶ m) the cross products lose ~10⁻⁵ m².
 */
export function areaOf(shape: Shape): number {
  let total = 0;
  for (const polygon of shape) {
    polygon.forEach((ring, i) => {
      let s = 0;
      const [ox, oy] = (ring[0] ?? [0, 0]);
      for (let k = 0; k + 1 < ring.length; k += 1) {
        const [x1, y1] = ring[k] as [number, number];
        const [x2, y2] = ring[k + 1] as [number, number];
        s += (x1 - ox) * (y2 - oy) - (x2 - ox) * (y1 - oy);
      }
      total += i === 0 ? Math.abs(s / 2) : -Math.abs(s / 2);
    });
  }
  return total;
}

export function intersect(...shapes: Shape[]): Shape {
  const [first, ...rest] = shapes;
  return polygonClipping.intersection(first as Shape, ...rest);
}

/** A fixture GeoPackage layer as oracle features (Z dropped). */
export async function readLayer(path: string): Promise<OracleFeature[]> {
  const source = openGpkg(path, null);
  const out: OracleFeature[] = [];
  try {
    for await (const feature of source.features()) {
      const geojson = wkx.Geometry.parse(feature.wkb).toGeoJSON() as Polygon | MultiPolygon;
      const shape = toShape(geojson);
      out.push({ index: feature.index, attributes: feature.attributes, shape, bbox: bboxOf(shape) });
    }
  } finally {
    source.close();
  }
  return out;
}

export interface OverlapCandidate {
  value: string | null;
  areaM2: number;
}

/** Every feature of a layer overlapping the RLB with positive area, largest first, value ascending. */
export function overlaps(rlb: Shape, rlbBbox: readonly number[], layer: readonly OracleFeature[], key: string): OverlapCandidate[] {
  const out: OverlapCandidate[] = [];
  for (const f of layer) {
    if (!bboxesOverlap(rlbBbox, f.bbox)) continue;
    const area = areaOf(intersect(rlb, f.shape));
    const raw = f.attributes[key];
    if (area > 0) out.push({ value: typeof raw === 'string' || typeof raw === 'number' ? String(raw) : null, areaM2: area });
  }
  return out.sort((a, b) => b.areaM2 - a.areaM2 || ((a.value ?? '\uffff') < (b.value ?? '\uffff') ? -1 : 1));
}

// ---- lookups, read straight from the SQLite file ----

export interface OracleWorks {
  name: string | null;
  sub: string | null;
  conc: [number | null, number | null, number | null, number | null];
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v.trim());
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) && Number.isFinite(n) ? n : null;
}

export function readLookupsSqlite(path: string): { works: Map<number, OracleWorks>; rates: Map<string, [number, number]> } {
  const db = new Database(path, { readonly: true });
  try {
    const works = new Map<number, OracleWorks>();
    for (const row of db.prepare('SELECT * FROM WwTw_lookup ORDER BY rowid').all() as Record<string, unknown>[]) {
      const code = num(row.WwTW_code);
      if (code === null || !Number.isInteger(code) || works.has(code)) continue;
      works.set(code, {
        name: typeof row.WwTW_name === 'string' ? row.WwTW_name : null,
        sub: typeof row.Subcatchment_name === 'string' && row.Subcatchment_name !== '' ? row.Subcatchment_name : null,
        conc: [num(row.Nitrogen_2025_2030), num(row.Nitrogen_2030_onwards), num(row.Phosphorus_2025_2030), num(row.Phosphorus_2030_onwards)],
      });
    }
    const rates = new Map<string, [number, number]>();
    for (const row of db.prepare('SELECT * FROM rates_lookup ORDER BY rowid').all() as Record<string, unknown>[]) {
      const key = row.NN_Catchment;
      if (typeof key === 'string' && !rates.has(key)) rates.set(key, [Number(row.Occ_Rate), Number(row.Water_Usage_L_Day)]);
    }
    return { works, rates };
  } finally {
    db.close();
  }
}
