// Coverage cells (nutrient.md §11.2): for --bbox, cells whose box [X−a, X+a] × [Y−s, Y+s]
// overlaps the bbox with positive area; for --within FILE, cells whose centre lies within s of
// the union of the polygons (inside any polygon, or within s of any edge). Rows are j, values
// sorted i. The --within TABLE variant runs the same test in PostGIS (coverage-db.ts).

import { gridLimits, type Lattice } from './hexagon.js';

/** Coverage cells per row j: sorted, distinct i values. */
export type Coverage = Map<number, number[]>;

export interface Bbox { minE: number; minN: number; maxE: number; maxN: number }

export function coverageCount(coverage: Coverage): number {
  let n = 0;
  for (const list of coverage.values()) n += list.length;
  return n;
}

export function coverageForBbox(lattice: Lattice, bbox: Bbox): Coverage {
  const { aMm: a, sMm: s, rowPitchMm } = lattice;
  const { maxJ, maxI } = gridLimits(lattice);
  const minE = bbox.minE * 1000;
  const maxE = bbox.maxE * 1000;
  const minN = bbox.minN * 1000;
  const maxN = bbox.maxN * 1000;
  const out: Coverage = new Map();
  // Y − s < maxN and Y + s > minN, with Y = rowPitch·j.
  const j0 = Math.max(0, Math.floor((minN - s) / rowPitchMm));
  const j1 = Math.min(maxJ, Math.ceil((maxN + s) / rowPitchMm));
  for (let j = j0; j <= j1; j += 1) {
    const y = rowPitchMm * j;
    if (!(y - s < maxN && y + s > minN)) continue;
    const p = j & 1;
    const i0 = Math.max(0, Math.floor(((minE - a) / a - p) / 2));
    const i1 = Math.min(maxI(j), Math.ceil(((maxE + a) / a - p) / 2));
    const row: number[] = [];
    for (let i = i0; i <= i1; i += 1) {
      const x = a * (2 * i + p);
      if (x - a < maxE && x + a > minE) row.push(i);
    }
    if (row.length > 0) out.set(j, row);
  }
  return out;
}

/** A polygon as rings of flat [x0, y0, x1, y1, …] coordinates in metres (first ring exterior). */
export type FlatPolygon = number[][];

export function bboxOfPolygons(polygons: readonly FlatPolygon[]): Bbox {
  let minE = Infinity, minN = Infinity, maxE = -Infinity, maxN = -Infinity;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let k = 0; k + 1 < ring.length; k += 2) {
        const x = ring[k] ?? 0;
        const y = ring[k + 1] ?? 0;
        if (x < minE) minE = x;
        if (x > maxE) maxE = x;
        if (y < minN) minN = y;
        if (y > maxN) maxN = y;
      }
    }
  }
  if (!Number.isFinite(minE)) throw new RangeError('no polygon coordinates to cover');
  return { minE, minN, maxE, maxN };
}

function segmentDistance2(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - x1) * dx + (py - y1) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = x1 + t * dx - px;
  const ey = y1 + t * dy - py;
  return ex * ex + ey * ey;
}

/** Cells whose centre is within s of the union of `polygons` (metres, EPSG:27700). */
export function coverageWithinPolygons(lattice: Lattice, polygons: readonly FlatPolygon[]): Coverage {
  const { aMm, sMm, rowPitchMm } = lattice;
  const s = sMm / 1000;
  const s2 = s * s;
  const { maxJ, maxI } = gridLimits(lattice);
  const covered = new Map<number, Set<number>>();
  const mark = (j: number, i: number): void => {
    let set = covered.get(j);
    if (!set) covered.set(j, (set = new Set<number>()));
    set.add(i);
  };
  const rowOf = (y: number): number => y / (rowPitchMm / 1000);
  const xOf = (i: number, j: number): number => (aMm * (2 * i + (j & 1))) / 1000;
  const yOf = (j: number): number => (rowPitchMm * j) / 1000;
  const iRange = (j: number, lo: number, hi: number): [number, number] => {
    const p = j & 1;
    return [Math.max(0, Math.ceil(((lo * 1000) / aMm - p) / 2)), Math.min(maxI(j), Math.floor(((hi * 1000) / aMm - p) / 2))];
  };

  // 1. Centres near an edge (distance ≤ s), edge by edge over the cells around it.
  // 2. Centres inside a polygon: per row, even-odd crossings of each polygon's rings.
  const crossingsByRow = new Map<number, Map<number, number[]>>();
  polygons.forEach((rings, polygonIndex) => {
    for (const ring of rings) {
      for (let k = 0; k + 3 < ring.length; k += 2) {
        const x1 = ring[k] ?? 0, y1 = ring[k + 1] ?? 0, x2 = ring[k + 2] ?? 0, y2 = ring[k + 3] ?? 0;
        // Candidate rows and columns are widened by one so float rounding never drops a cell at
        // exactly distance s; the distance test itself decides.
        const jLo = Math.max(0, Math.ceil(rowOf(Math.min(y1, y2) - s)) - 1);
        const jHi = Math.min(maxJ, Math.floor(rowOf(Math.max(y1, y2) + s)) + 1);
        for (let j = jLo; j <= jHi; j += 1) {
          const y = yOf(j);
          const [i0, i1] = iRange(j, Math.min(x1, x2) - s, Math.max(x1, x2) + s);
          for (let i = Math.max(0, i0 - 1); i <= Math.min(maxI(j), i1 + 1); i += 1) if (segmentDistance2(xOf(i, j), y, x1, y1, x2, y2) <= s2) mark(j, i);
          if ((y1 > y) !== (y2 > y)) {
            const x = x1 + ((y - y1) * (x2 - x1)) / (y2 - y1);
            let byPolygon = crossingsByRow.get(j);
            if (!byPolygon) crossingsByRow.set(j, (byPolygon = new Map<number, number[]>()));
            const list = byPolygon.get(polygonIndex);
            if (list) list.push(x);
            else byPolygon.set(polygonIndex, [x]);
          }
        }
      }
    }
  });
  for (const [j, byPolygon] of crossingsByRow) {
    for (const xs of byPolygon.values()) {
      xs.sort((p, q) => p - q);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const [i0, i1] = iRange(j, xs[k] ?? 0, xs[k + 1] ?? 0);
        for (let i = i0; i <= i1; i += 1) mark(j, i);
      }
    }
  }
  const out: Coverage = new Map();
  for (const j of [...covered.keys()].sort((p, q) => p - q)) out.set(j, [...(covered.get(j) ?? [])].sort((p, q) => p - q));
  return out;
}
