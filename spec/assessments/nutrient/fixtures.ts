// Hand-built inputs for the pure nutrient tests: parameters, the lookup rows nutrient.md §5.3
// documents, and RLBs described by their pieces and majority picks.

import type { NutrientConfig } from '../../../lib/config.js';
import type { NutrientLookups, Piece, RatesLookupRow, RlbSpatial, WwtwLookupRow } from '../../../lib/assessments/nutrient/types.js';
import type { RlbCalculationInput } from '../../../lib/assessments/nutrient/calculate.js';

export function params(overrides: Partial<NutrientConfig> = {}): NutrientConfig {
  return {
    ruleset: 'v2', wwtwPermitFactor: 0.9, bufferPercent: 20, fallbackWwtwId: 141, fallbackWwtwName: 'Package Treatment Plant default',
    fallbackLpa: 'UNKNOWN', sudsRemovalPercent: 25, sudsFlowCapturePercent: 100, sudsThresholdDwellings: 50, greenspaceThresholdHa: 1.0,
    greenspacePercent: 20, greenspaceNCoeff: 3.0, greenspacePCoeff: 0.2, daysPerYear: 365.25, sqlTimeoutMs: 120000, ...overrides,
  };
}

function works(code: number, name: string, sub: string | null, n: [number | null, number | null], p: [number | null, number | null]): WwtwLookupRow {
  return { code, name, subcatchment: sub, nitrogen20252030: n[0], nitrogen2030Onwards: n[1], phosphorus20252030: p[0], phosphorus2030Onwards: p[1], issues: [] };
}

export function lookups(extra: WwtwLookupRow[] = []): NutrientLookups {
  const rows = [
    works(1065, 'Sculthorpe ', 'Wensum', [27, 27], [1, 1]),
    works(938, 'Whitlingham Water Recycling Centre', 'Yare', [27, 10], [1, 0.25]),
    works(399, 'Aylsham Water Recycling Centre', 'Bure', [27, 10], [0.6, 0.25]),
    works(973, 'Belaugh Water Recycling Centre', 'Bure', [27, 10], [1, 0.25]),
    works(141, 'Package Treatment Plant default', null, [25, 25], [4.5, 4.5]),
    ...extra,
  ];
  const rates: RatesLookupRow[] = ['The Broads SAC', 'River Wensum SAC'].map((nnCatchment) => ({ nnCatchment, occupancyRate: 2.4, waterUsageLPerPersonDay: 120, issues: [] }));
  return { wwtw: new Map(rows.map((r) => [r.code, r])), rates: new Map(rates.map((r) => [r.nnCatchment, r])) };
}

export const BROADS_32 = { siteName: 'The Broads SAC', oid: '32' };
export const WENSUM_31 = { siteName: 'River Wensum SAC', oid: '31' };

export function piece(areaHa: number, n: [number | null, number | null], p: [number | null, number | null], nn = BROADS_32, cromeId = 'SYN-1-1'): Piece {
  return { cromeId, luCurrN: n[0], nResi: n[1], luCurrP: p[0], pResi: p[1], siteName: nn.siteName, oid: nn.oid, areaHa };
}

export interface RlbSpec {
  rlbId?: number;
  dwellings: number;
  areaM2: number;
  wwtw: string | null;
  pieces?: Piece[];
  lpa?: string | null;
  opcat?: string | null;
}

export function rlb(spec: RlbSpec): RlbCalculationInput {
  const rlbId = spec.rlbId ?? 1;
  const pieces = spec.pieces ?? [];
  const coverageHa = pieces.reduce((s, p) => s + p.areaHa, 0);
  const pick = (value: string | null | undefined) => (value === null || value === undefined ? null : { value, areaM2: spec.areaM2, ties: 1 });
  const spatial: RlbSpatial = {
    rlbId, shapeAreaM2: spec.areaM2, wwtw: pick(spec.wwtw), lpa: pick(spec.lpa === undefined ? 'Broadland District' : spec.lpa),
    subcatchment: pick(spec.opcat === undefined ? 'Yare' : spec.opcat), pieces, coverageHa, catchments: [],
  };
  return { attributes: { rlbId, id: `site-${rlbId}`, name: null, dwellingCategory: null, source: null, dwellings: spec.dwellings }, spatial };
}
