// Exact row count (nutrient.md §11.2): coverage cells first, then padding cells in ascending
// (squared distance in mm from the extent's bbox centre, j, i) until N. Squared distances reach
// ~2·10¹⁸ mm², beyond doubles, so they are compared as BigInt. Instead of sorting every candidate,
// the padding threshold T (the K-th smallest distance) is found by binary search on per-row
// counts, and cells are then emitted row by row in ascending (j, i).

import { gridLimits, type Lattice } from './hexagon.js';
import type { Coverage } from './coverage.js';

export interface Selection {
  rows: number;
  coverageRows: number;
  /** Selected cells in ascending (j, i). */
  cells(): Generator<[number, number]>;
}

export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

/** floor(√n) for n ≥ 0 (n < 2^64), as a Number. */
function isqrt(n: bigint): number {
  let r = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (r * r > n) r -= 1n;
  while ((r + 1n) * (r + 1n) <= n) r += 1n;
  return Number(r);
}

const ceilDiv = (p: number, q: number): number => Math.ceil(p / q);
const floorDiv = (p: number, q: number): number => Math.floor(p / q);

export function selectCells(lattice: Lattice, coverage: Coverage, target: number, centreMm: { x: number; y: number }, allowPartial = false): Selection {
  if (!Number.isSafeInteger(target) || target < 0) throw new SelectionError(`--parcels must be a whole number ≥ 0 (got ${target})`);
  const { aMm: a, rowPitchMm } = lattice;
  const { maxJ, maxI } = gridLimits(lattice);
  const cx = Math.round(centreMm.x);
  const cy = Math.round(centreMm.y);
  const bcx = BigInt(cx);
  const d2 = (i: number, j: number): bigint => {
    const dx = BigInt(a * (2 * i + (j & 1))) - bcx;
    const dy = BigInt(rowPitchMm * j - cy);
    return dx * dx + dy * dy;
  };
  let coverageRows = 0;
  for (const list of coverage.values()) coverageRows += list.length;
  const cover = (j: number, i: number): boolean => {
    const list = coverage.get(j);
    if (!list) return false;
    let lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = list[mid] ?? 0;
      if (v === i) return true;
      if (v < i) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  };
  const rowDy2 = Array.from({ length: maxJ + 1 }, (_, j) => { const dy = BigInt(rowPitchMm * j - cy); return dy * dy; });
  /** i range of row j with d² ≤ t (may be empty). */
  const rowRange = (j: number, t: bigint): [number, number] => {
    const r2 = t - (rowDy2[j] ?? 0n);
    if (r2 < 0n) return [1, 0];
    const r = isqrt(r2);
    const p = j & 1;
    const i0 = Math.max(0, ceilDiv(ceilDiv(cx - r, a) - p, 2));
    const i1 = Math.min(maxI(j), floorDiv(floorDiv(cx + r, a) - p, 2));
    return [i0, i1];
  };

  if (target <= coverageRows) {
    if (target < coverageRows && !allowPartial) {
      throw new SelectionError(`--parcels ${target} is below the ${coverageRows} coverage cells (use a larger N, or allowPartial)`);
    }
    const ranked = [...coverage].flatMap(([j, list]) => list.map((i) => ({ i, j, d: d2(i, j) })));
    ranked.sort((p, q) => (p.d < q.d ? -1 : p.d > q.d ? 1 : p.j - q.j || p.i - q.i));
    const kept = ranked.slice(0, target).sort((p, q) => p.j - q.j || p.i - q.i);
    return { rows: target, coverageRows, cells: function* () { for (const c of kept) yield [c.i, c.j]; } };
  }

  const coverageD2 = [...coverage].flatMap(([j, list]) => list.map((i) => d2(i, j))).sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
  const coverageAtMost = (t: bigint): number => {
    let lo = 0, hi = coverageD2.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if ((coverageD2[mid] ?? 0n) <= t) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const paddingAtMost = (t: bigint): number => {
    if (t < 0n) return 0;
    let n = 0;
    for (let j = 0; j <= maxJ; j += 1) { const [i0, i1] = rowRange(j, t); if (i1 >= i0) n += i1 - i0 + 1; }
    return n - coverageAtMost(t);
  };
  const k = target - coverageRows;
  const far = BigInt(Math.max(cx, 700_000_000 - cx) + a) ** 2n + BigInt(Math.max(cy, 1_300_000_000 - cy) + rowPitchMm) ** 2n;
  if (paddingAtMost(far) < k) throw new SelectionError(`--parcels ${target} exceeds the cells of the grid box`);
  let lo = 0n, hi = far;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (paddingAtMost(mid) >= k) hi = mid; else lo = mid + 1n;
  }
  const threshold = lo;
  // Cells at exactly the threshold distance: take the first few in (j, i) order.
  let tiesWanted = k - paddingAtMost(threshold - 1n);
  const ties = new Map<number, number[]>();
  for (let j = 0; j <= maxJ && tiesWanted > 0; j += 1) {
    const [i0, i1] = rowRange(j, threshold);
    for (const i of [i0, i1]) {
      if (tiesWanted === 0 || i1 < i0 || d2(i, j) !== threshold || cover(j, i)) continue;
      if (i === i1 && i0 === i1 && ties.get(j)?.includes(i)) continue;
      ties.set(j, [...(ties.get(j) ?? []), i]);
      tiesWanted -= 1;
    }
  }
  const below = threshold - 1n;
  return {
    rows: target,
    coverageRows,
    cells: function* () {
      const lastRow = Math.max(maxJ, ...coverage.keys());
      for (let j = 0; j <= lastRow; j += 1) {
        const [i0, i1] = j <= maxJ ? rowRange(j, below) : [1, 0];
        const extra = [...(coverage.get(j) ?? []), ...(ties.get(j) ?? [])].filter((i) => i < i0 || i > i1).sort((p, q) => p - q);
        let e = 0;
        for (let i = i0; i <= i1; i += 1) {
          while (e < extra.length && (extra[e] ?? 0) < i) { yield [extra[e] ?? 0, j]; e += 1; }
          yield [i, j];
        }
        for (; e < extra.length; e += 1) yield [extra[e] ?? 0, j];
      }
    },
  };
}
