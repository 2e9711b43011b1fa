// Cell attributes (nutrient.md §11.3): category by cumulative share, coefficients from fixed ranges,
// optional nulls. Values depend only on (seed, i, j) and the share options.

import { cellDraws, q } from './random.js';

export const LAND_USE_CATEGORIES = [
  { name: 'Arable', share: 0.40, n: [15, 45], p: [0.40, 1.60] },
  { name: 'Grassland', share: 0.25, n: [6, 25], p: [0.15, 0.80] },
  { name: 'Woodland', share: 0.08, n: [2, 8], p: [0.02, 0.20] },
  { name: 'Wetland', share: 0.05, n: [1, 5], p: [0.02, 0.10] },
  { name: 'Water', share: 0.02, n: [0, 0], p: [0, 0] },
  { name: 'Urban', share: 0.20, n: null, p: null },
] as const;

export type LandUseCategory = (typeof LAND_USE_CATEGORIES)[number]['name'];

export interface CellAttributes {
  landUseCat: LandUseCategory;
  luCurrN: number | null;
  luCurrP: number | null;
  nResi: number | null;
  pResi: number | null;
}

export interface ShareOptions {
  /** Urban share U (default 0.20); the other shares scale by (1 − U) / 0.80. */
  urbanShare?: number;
  /** Probability p that one coefficient of a cell is null (default 0). */
  nullShare?: number;
}

/** Effective shares in table order (what the manifest records). */
export function effectiveShares(options: ShareOptions = {}): Record<LandUseCategory, number> {
  const urban = options.urbanShare ?? 0.2;
  if (!(urban >= 0 && urban <= 1)) throw new RangeError(`urbanShare must be within 0–1 (got ${urban})`);
  const scale = (1 - urban) / 0.8;
  const out = {} as Record<LandUseCategory, number>;
  for (const c of LAND_USE_CATEGORIES) out[c.name] = c.name === 'Urban' ? urban : c.share * scale;
  return out;
}

/** A generator of cell attributes for fixed options (shares precomputed once). */
export function attributeGenerator(seed: number, options: ShareOptions = {}): (i: number, j: number) => CellAttributes {
  const shares = effectiveShares(options);
  const nullShare = options.nullShare ?? 0;
  if (!(nullShare >= 0 && nullShare <= 1)) throw new RangeError(`nullShare must be within 0–1 (got ${nullShare})`);
  // Cumulative upper bounds in table order; the last category takes everything above.
  const bounds: number[] = [];
  let cumulative = 0;
  for (const c of LAND_USE_CATEGORIES) {
    cumulative += shares[c.name];
    bounds.push(cumulative);
  }
  const last = LAND_USE_CATEGORIES.length - 1;
  const categories: readonly (typeof LAND_USE_CATEGORIES)[number][] = LAND_USE_CATEGORIES;
  return (i, j) => {
    const [u1, u2, u3, u4, u5, u6, u7] = cellDraws(seed, i, j);
    const nResi = q(11.8 + 1.0 * u2);
    const pResi = q(1.2 + 0.2 * u3);
    let k = 0;
    while (k < last && !(u1 < (bounds[k] ?? 1))) k += 1;
    const category = categories[k] ?? LAND_USE_CATEGORIES[5];
    let luCurrN: number;
    let luCurrP: number;
    if (category.n === null || category.p === null) {
      luCurrN = nResi;
      luCurrP = pResi;
    } else {
      luCurrN = q(category.n[0] + (category.n[1] - category.n[0]) * u4);
      luCurrP = q(category.p[0] + (category.p[1] - category.p[0]) * u5);
    }
    const out: CellAttributes = { landUseCat: category.name, luCurrN, luCurrP, nResi, pResi };
    if (u6 < nullShare) {
      const which = Math.floor(4 * u7);
      if (which === 0) out.luCurrN = null;
      else if (which === 1) out.luCurrP = null;
      else if (which === 2) out.nResi = null;
      else out.pResi = null;
    }
    return out;
  };
}
