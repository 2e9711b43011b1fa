// Steps 5 of nutrient.md §2: piece uplifts (§7.3) and their per-RLB aggregation (§7.4).

import { greenspaceApplies, pieceUplift, type NutrientParams } from './arithmetic.js';
import type { NnCatchmentEntry, Piece } from './types.js';

export interface LandUseSummary {
  /** Σ area_ha of the pieces, unrounded; null when the RLB has no piece. */
  areaHa: number | null;
  nUplift: number | null;
  pUplift: number | null;
  nnCatchment: string | null;
  entries: NnCatchmentEntry[] | null;
  siteNames: string[];
  /** Pieces with at least one null coefficient, and their hectares (`coefficient_missing`). */
  missing: { pieces: number; hectares: number };
}

/** Code-unit comparison (`<`), never localeCompare: the order must not depend on the locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sums the already rounded piece uplifts left to right in the §6.3 order, skipping nulls, and
 * never rounds the sum again (Q4): 1.5399999999999998 is an expected value.
 */
export function summariseLandUse(pieces: readonly Piece[], devArea: number, params: NutrientParams): LandUseSummary {
  if (pieces.length === 0) {
    return { areaHa: null, nUplift: null, pUplift: null, nnCatchment: null, entries: null, siteNames: [], missing: { pieces: 0, hectares: 0 } };
  }
  const blended = greenspaceApplies(devArea, params);
  let areaHa = 0;
  let nUplift = 0;
  let pUplift = 0;
  let missingPieces = 0;
  let missingHectares = 0;
  const names = new Set<string>();
  const entries = new Map<string, NnCatchmentEntry>();
  for (const piece of pieces) {
    areaHa += piece.areaHa;
    const n = pieceUplift(piece.luCurrN, piece.nResi, piece.areaHa, 'N', blended, params);
    const p = pieceUplift(piece.luCurrP, piece.pResi, piece.areaHa, 'P', blended, params);
    if (n !== null) nUplift += n;
    if (p !== null) pUplift += p;
    if (n === null || p === null) {
      missingPieces += 1;
      missingHectares += piece.areaHa;
    }
    if (piece.siteName !== null) names.add(piece.siteName);
    if (piece.oid !== null && piece.siteName !== null) entries.set(JSON.stringify([piece.oid, piece.siteName]), { oid: piece.oid, name: piece.siteName });
  }
  const siteNames = [...names].sort(compareCodeUnits);
  const sortedEntries = [...entries.values()].sort((a, b) => compareCodeUnits(a.oid, b.oid) || compareCodeUnits(a.name, b.name));
  return {
    areaHa,
    nUplift,
    pUplift,
    nnCatchment: siteNames.length > 0 ? siteNames.join('; ') : null,
    entries: sortedEntries,
    siteNames,
    missing: { pieces: missingPieces, hectares: missingHectares },
  };
}
