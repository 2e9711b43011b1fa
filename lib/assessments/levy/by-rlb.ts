// A file's levies keyed by RLB (levy.md §6): an RLB in no EDP, or in several, gets a null levy and
// a `levy_edp_unresolved` warning; any other error of the batch ends the run. One owner for the
// job pipeline and the legacy CLI, so both price and word it alike.

import { JobError } from '../../errors.js';
import type { Site } from '../../geo/types.js';
import type { LevyResolution, SiteLevy } from './resolve.js';

export interface LevyWarning {
  code: 'levy_edp_unresolved';
  message: string;
  rlbId: number;
}

export interface LeviesByRlb {
  /** Per RLB; null where the EDP was unresolved. */
  byRlb: Map<number, LevyResolution | null>;
  warnings: LevyWarning[];
}

const UNRESOLVED_MESSAGES: Record<string, string> = {
  multiple_edps: 'The site lies in more than one Environmental Delivery Plan area, so no levy was calculated for it.',
  no_edp: 'The site lies in no Environmental Delivery Plan area, so no levy was calculated for it.',
};

/** Pairs `resolveLevies` results (one per site, in order) with their sites. */
export function leviesByRlb(sites: readonly Site[], levies: readonly SiteLevy[]): LeviesByRlb {
  const out: LeviesByRlb = { byRlb: new Map(), warnings: [] };
  sites.forEach((site, i) => {
    const levy = levies[i];
    if (levy === undefined) throw new TypeError(`no levy result for RLB ${site.rlbId}`);
    if (!(levy instanceof JobError)) {
      out.byRlb.set(site.rlbId, levy);
      return;
    }
    if (levy.code !== 'levy_edp_unresolved') throw levy;
    out.byRlb.set(site.rlbId, null);
    const reason = typeof levy.detail.reason === 'string' ? levy.detail.reason : 'no_edp';
    out.warnings.push({ code: 'levy_edp_unresolved', message: UNRESOLVED_MESSAGES[reason] ?? UNRESOLVED_MESSAGES.no_edp!, rlbId: site.rlbId });
  });
  return out;
}
