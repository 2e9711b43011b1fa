// Hexagon lattice in integer millimetres (nutrient.md §11.1): pointy-top cells anchored at the
// BNG origin, so neighbours share vertices exactly and every cell has area 3·a·s.

export interface Lattice {
  /** Side length, mm (even, so s/2 and the row pitch 1.5·s are integers). */
  sMm: number;
  /** Apothem, mm. */
  aMm: number;
  /** Row pitch 1.5·s and column pitch 2·a, mm. */
  rowPitchMm: number;
  colPitchMm: number;
}

/** Grid box for padding cells: centres inside 0 ≤ E ≤ 700 km, 0 ≤ N ≤ 1,300 km (§11.2). */
export const GRID_BOX_MM = { maxX: 700_000_000, maxY: 1_300_000_000 } as const;

export function latticeFor(cellAreaHa: number): Lattice {
  if (!(cellAreaHa > 0) || !Number.isFinite(cellAreaHa)) throw new RangeError(`cellAreaHa must be > 0 (got ${cellAreaHa})`);
  const areaM2 = cellAreaHa * 10_000;
  const s = Math.sqrt((2 * areaM2) / (3 * Math.sqrt(3)));
  const sMm = 2 * Math.round((s * 1000) / 2);
  const aMm = Math.round((sMm * Math.sqrt(3)) / 2);
  if (sMm < 2) throw new RangeError(`cellAreaHa ${cellAreaHa} is too small for a millimetre lattice`);
  return { sMm, aMm, rowPitchMm: (3 * sMm) / 2, colPitchMm: 2 * aMm };
}

/** Exact cell area in m² (3·a·s). */
export function cellAreaM2(lattice: Lattice): number {
  return (3 * lattice.aMm * lattice.sMm) / 1e6;
}

export function centreMm(lattice: Lattice, i: number, j: number): { x: number; y: number } {
  return { x: lattice.aMm * (2 * i + (j & 1)), y: lattice.rowPitchMm * j };
}

/** The seven ring vertices (closed) in mm, anticlockwise from the top. */
export function ringMm(lattice: Lattice, i: number, j: number): number[] {
  const { x, y } = centreMm(lattice, i, j);
  const { aMm: a, sMm: s } = lattice;
  const h = s / 2;
  return [x, y + s, x - a, y + h, x - a, y - h, x, y - s, x + a, y - h, x + a, y + h, x, y + s];
}

/** Largest j and, per row parity, largest i whose centre lies inside the grid box. */
export function gridLimits(lattice: Lattice): { maxJ: number; maxI: (j: number) => number } {
  const maxJ = Math.floor(GRID_BOX_MM.maxY / lattice.rowPitchMm);
  return { maxJ, maxI: (j) => Math.floor((GRID_BOX_MM.maxX / lattice.aMm - (j & 1)) / 2) };
}

export function cromeId(i: number, j: number): string {
  return `SYN-${i}-${j}`;
}
