// The levy stage (levy.md §6 last bullet): right after input validation and before the
// assessment, so missing levy data fails fast. A quote needs its one levy (any error ends the
// job); a file job prices all its RLBs in one batch (`resolveMany`, a few statements whatever the
// RLB count), and an RLB in no EDP, or in several, gets a warning and a null levy.

import { leviesByRlb, levyModelFor, type LevyResolution } from '../../../assessments/levy/index.js';
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
  const model = levyModelFor(job.assessmentType);
  if (!model) return { byRlb: new Map(), warnings: [] };
  const log = deps.logging.context.log();
  // One batch for all RLBs: a data error throws (the first in RLB order); an unresolved RLB comes back as its error.
  return clock.run('levy', async () => leviesByRlb(sites, await model.resolveMany({ sql: deps.sql, sites, units: job.dwellings, calculationDate, signal, log })));
}
