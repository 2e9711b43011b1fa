// Headline figures derived from the §7.1 document: the contracts.md §8.3 GCN `summary` and the
// per-RLB zone areas the boundaries shapefile carries (contracts.md §10 RED_M2/AMBER_M2/GREEN_M2).

import type { GcnSummary, ZoneAreas } from '../../delivery/result-document.js';
import { roundHalfUp } from '../../numbers/rounding.js';
import type { GcnResultDocument, UnitArea } from './types.js';

export type { GcnSummary, ZoneAreas };

const emptyZones = (): ZoneAreas => ({ Red: 0, Amber: 0, Green: 0 });

/** contracts.md §8.3 GCN summary; areas are sums of habitat rows, rounded to 2 dp at the end. */
export function toGcnSummary(doc: GcnResultDocument): GcnSummary {
  const totals: Record<UnitArea, ZoneAreas> = { RLB: emptyZones(), Buffer: emptyZones() };
  for (const row of doc.habitat_impact) totals[row.Area][row.RZ] += row.Shape_Area;
  const rounded = (z: ZoneAreas): ZoneAreas => ({ Red: roundHalfUp(z.Red, 2), Amber: roundHalfUp(z.Amber, 2), Green: roundHalfUp(z.Green, 2) });
  return {
    siteCount: doc.summary.rlb_features,
    habitatM2: { RLB: rounded(totals.RLB), Buffer: rounded(totals.Buffer) },
    pondCount: doc.pond_frequency.reduce((sum, row) => sum + row.FREQUENCY, 0),
  };
}

/** Habitat area inside each RLB unit by zone (raw sums), indexed by unit 0..n−1. */
export function habitatByRlb(doc: GcnResultDocument): ZoneAreas[] {
  const out = Array.from({ length: doc.summary.rlb_features }, emptyZones);
  for (const row of doc.habitat_impact) {
    const zones = row.Area === 'RLB' ? out[row.unit] : undefined;
    if (zones) zones[row.RZ] += row.Shape_Area;
  }
  return out;
}
