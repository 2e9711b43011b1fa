// The levy stage (levy.md §6 last bullet): right after input validation and before the
// assessment, so missing levy data fails fast. A quote needs its one levy (any error ends the
// job); a file job prices all its RLBs in one batch (`resolveMany`, a few statements whatever the
// RLB count), and an RLB in no EDP, or in several, gets a warning and a null levy.

import { levyModelFor, type LevyResolution } from '../../../assessments/levy/index.js';
import { JobError } from '../../../errors.js';
import type { Site } from '../../../geo/types.js';
import type { Job, JobWarning } from '../../types.js';
import type { PipelineDeps } from '../deps.js';
import type { StageClock } from '../stages.js';

export interface FileLevy {
  /** Per RLB; null where the EDP was unresolved. Empty when the assessment type has no levy. */
  byRlb: Map<number, LevyResolution | null>;
  warnings: JobWarning[];
}

export async function levyForQuote(job: Job, site: Site, deps: PipelineDeps, clock: StageClock, calculationDate: Date, signal: AbortSignal): Promise<LevyResolution> {
  const model = levyModelFor(job.assessmentType);
  if (!model) throw new TypeError(`quote job without a levy model (${job.assessmentType})`);
  const log = deps.logging.context.log();
  return clock.run('levy', () => model.resolve({ sql: deps.sql, site, units: job.dwellings, calculationDate, signal, log }));
}

export async function levyForFile(job: Job, sites: readonly Site[], deps: PipelineDeps, clock: StageClock, calculationDate: Date, signal: AbortSignal): Promise<FileLevy> {
  const out: FileLevy = { byRlb: new Map(), warnings: [] };
  const model = levyModelFor(job.assessmentType);
  if (!model) return out;
  const log = deps.logging.context.log();
  await clock.run('levy', async () => {
    // One batch for all RLBs: a data error throws (the first in RLB order); an unresolved RLB comes back as its error.
    const levies = await model.resolveMany({ sql: deps.sql, sites, units: job.dwellings, calculationDate, signal, log });
    sites.forEach((site, i) => {
      const levy = levies[i];
      if (levy === undefined) throw new TypeError(`no levy result for RLB ${site.rlbId}`);
      if (!(levy instanceof JobError)) {
        out.byRlb.set(site.rlbId, levy);
        return;
      }
      if (levy.code !== 'levy_edp_unresolved') throw levy;
      out.byRlb.set(site.rlbId, null);
      const reason = typeof levy.detail.reason === 'string' ? levy.detail.reason : 'unresolved';
      out.warnings.push({
        code: 'levy_edp_unresolved',
        message: reason === 'multiple_edps'
          ? 'The site lies in more than one Environmental Delivery Plan area, so no levy was calculated for it.'
          : 'The site lies in no Environmental Delivery Plan area, so no levy was calculated for it.',
        rlbId: site.rlbId,
      });
    });
  });
  return out;
}
