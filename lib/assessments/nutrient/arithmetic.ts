// The per-value formulas of nutrient.md §7.3–7.9. Pure functions; the evaluation order of each
// expression is the reference's, because bit parity with NumPy depends on it.

import type { NutrientConfig } from '../../config.js';
import { round2 } from './numbers.js';

export type Nutrient = 'N' | 'P';

/** The parameters the arithmetic reads (a subset of NutrientConfig, so tests can pass literals). */
export type NutrientParams = Pick<
  NutrientConfig,
  | 'ruleset'
  | 'wwtwPermitFactor'
  | 'bufferPercent'
  | 'sudsRemovalPercent'
  | 'sudsFlowCapturePercent'
  | 'sudsThresholdDwellings'
  | 'greenspaceThresholdHa'
  | 'greenspacePercent'
  | 'greenspaceNCoeff'
  | 'greenspacePCoeff'
  | 'daysPerYear'
>;

const M2_PER_HA = 10_000;
const MG_PER_KG = 1_000_000;

/** §4.3: `Dev_Area_Ha = round2(shape_area / 10000)`. */
export function devAreaHa(shapeAreaM2: number): number {
  return round2(shapeAreaM2 / M2_PER_HA);
}

/** §7.3: whether the `v2` greenspace blend applies; the threshold compares the rounded area. */
export function greenspaceApplies(devArea: number, params: NutrientParams): boolean {
  return params.ruleset === 'v2' && devArea >= params.greenspaceThresholdHa;
}

/** §7.3: the residential coefficient used, `resi × (1 − f) + f × GS` when blended. */
export function residentialCoefficient(resi: number, nutrient: Nutrient, blended: boolean, params: NutrientParams): number {
  if (!blended) return resi;
  const f = params.greenspacePercent / 100;
  const gs = nutrient === 'N' ? params.greenspaceNCoeff : params.greenspacePCoeff;
  const kept = resi * (1 - f);
  const green = f * gs;
  return kept + green;
}

/** §7.3: `round2((R − curr) × a)`; a null coefficient makes the piece's uplift null. */
export function pieceUplift(
  curr: number | null,
  resi: number | null,
  areaHa: number,
  nutrient: Nutrient,
  blended: boolean,
  params: NutrientParams,
): number | null {
  if (curr === null || resi === null) return null;
  const r = residentialCoefficient(resi, nutrient, blended, params);
  return round2((r - curr) * areaHa);
}

/** §7.5: the SuDS share `s = removal% / 100 × capture% / 100`. */
export function sudsShare(params: NutrientParams): number {
  return (params.sudsRemovalPercent / 100) * (params.sudsFlowCapturePercent / 100);
}

/** §7.5: whether the reduction applies (`v1` always; `v2` from the dwellings threshold). */
export function sudsApplies(dwellings: number, params: NutrientParams): boolean {
  return params.ruleset === 'v1' || dwellings >= params.sudsThresholdDwellings;
}

/** §7.5: post-SuDS land-use change; `|U|` makes a negative uplift more negative. */
export function postSuds(uplift: number | null, dwellings: number, params: NutrientParams): number | null {
  if (uplift === null) return null;
  if (!sudsApplies(dwellings, params)) return round2(uplift);
  return round2(uplift - Math.abs(uplift) * sudsShare(params));
}

/** §7.6.3: `Litres_used = Dwellings × (Occ_Rate × Water_Usage_L_Day)`. */
export function litresUsed(dwellings: number, occupancyRate: number | null, waterUsage: number | null): number | null {
  if (occupancyRate === null || waterUsage === null) return null;
  return dwellings * (occupancyRate * waterUsage);
}

/** §7.6.6: the unrounded load in kg/yr, evaluated in the reference's order. */
export function wastewaterLoadRaw(
  dwellings: number,
  occupancyRate: number | null,
  waterUsage: number | null,
  concentrationMgL: number | null,
  params: NutrientParams,
): number | null {
  if (occupancyRate === null || waterUsage === null || concentrationMgL === null) return null;
  return dwellings * (occupancyRate * waterUsage) * params.daysPerYear * ((concentrationMgL / MG_PER_KG) * params.wwtwPermitFactor);
}

/** §7.7: `round2(B + |B| × buffer / 100)` with `B = (postSuDS ?? 0) + (perm_raw ?? 0)`. */
export function totalWithBuffer(postSudsValue: number | null, permRaw: number | null, params: NutrientParams): number {
  const b = (postSudsValue ?? 0) + (permRaw ?? 0);
  return round2(b + Math.abs(b) * (params.bufferPercent / 100));
}

/** §7.9: dwellings per rounded hectare; null (and a warning elsewhere) when the area rounds to 0. */
export function dwellingDensity(dwellings: number, devArea: number): number | null {
  return devArea === 0 ? null : dwellings / devArea;
}
