// Deterministic per-cell draws (nutrient.md §11.3): fmix32 (MurmurHash3's 32-bit finaliser) keys
// a mulberry32 stream per cell, so a cell's values depend only on (seed, i, j). All arithmetic is
// on unsigned 32-bit integers.

import { roundHalfEven } from '../../numbers/rounding.js';

export function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `fmix32(seed ⊕ fmix32(i ⊕ fmix32(j ⊕ 0x9E3779B9)))`. */
export function cellKey(seed: number, i: number, j: number): number {
  return fmix32((seed ^ fmix32((i ^ fmix32((j ^ 0x9e3779b9) >>> 0)) >>> 0)) >>> 0);
}

/** mulberry32: returns the next draw in [0, 1) on each call. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seven draws u1…u7 of one cell, always all seven, in order (§11.3). */
export function cellDraws(seed: number, i: number, j: number): [number, number, number, number, number, number, number] {
  const next = mulberry32(cellKey(seed, i, j));
  return [next(), next(), next(), next(), next(), next(), next()];
}

/** q(x) of §11.3: 0.001 with ties to even. */
export function q(x: number): number {
  return roundHalfEven(x, 3);
}
