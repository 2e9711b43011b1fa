// The GCN warnings (gcn.md §8), in the order the table lists them. `count` is what the warning
// counts: ponds for the pond warnings, overlapping feature pairs, or 1 for whole-run conditions.

import type { GcnWarning, GcnWarningCode } from './types.js';

const MESSAGES: Record<GcnWarningCode, string> = {
  gcn_tmpimp_defaulted: 'The survey ponds file has no TmpImp column, so every pond was treated as having no temporary impact (F).',
  gcn_no_ponds: 'No ponds were found for this site, so the habitat and pond tables are empty.',
  gcn_no_risk_zones: 'No great crested newt risk zone covers the site or its buffer, so the tables are empty.',
  gcn_ponds_without_risk_zone: 'Some ponds near the site lie in no risk zone and are left out of the pond counts.',
  gcn_outside_edp_areas: 'Some ponds or habitat lie outside every EDP delivery area; they are reported with an empty EDPName.',
  gcn_overlapping_rlb_features: 'Red line boundary features overlap; the shared area is counted once for each feature.',
};

const ORDER: readonly GcnWarningCode[] = [
  'gcn_tmpimp_defaulted',
  'gcn_no_ponds',
  'gcn_no_risk_zones',
  'gcn_ponds_without_risk_zone',
  'gcn_outside_edp_areas',
  'gcn_overlapping_rlb_features',
];

export function isGcnWarningCode(code: string): code is GcnWarningCode {
  return (ORDER as readonly string[]).includes(code);
}

/** Collects warnings (a repeated code adds to its count) and lists them in §8 order. */
export class GcnWarnings {
  private readonly counts = new Map<GcnWarningCode, number>();

  add(code: GcnWarningCode, count: number): void {
    if (count <= 0) return;
    this.counts.set(code, (this.counts.get(code) ?? 0) + count);
  }

  list(): GcnWarning[] {
    return ORDER.filter((code) => this.counts.has(code)).map((code) => ({ code, message: MESSAGES[code], count: this.counts.get(code) ?? 0 }));
  }
}
