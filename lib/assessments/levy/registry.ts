// The levy-model registry keyed by assessment type (levy.md §10). Nutrient jobs price the CIL-
// indexed levy; GCN has no tariff yet, so `levyModelFor('gcn')` is null: "no levy block" and no
// levy queries. A future GCN model plugs in here with its own versioned tables.

import type { AssessmentType } from '../../jobs/types.js';
import { resolveLevies, resolveLevy, type LevyResolution, type ResolveLeviesParams, type ResolveLevyParams, type SiteLevy } from './resolve.js';

export interface LevyModel {
  /** Stable name for logs and result documents. */
  name: 'nutrient-cil';
  /** Calculator version (levy.md: `DEFRA/nrf-impact-assessor` calculator version 1). */
  calculatorVersion: 1;
  /** One site (a quote): throws every levy error, `levy_edp_unresolved` included. */
  resolve(params: ResolveLevyParams): Promise<LevyResolution>;
  /** All sites of a file job in a few statements: per site its levy or its `levy_edp_unresolved` error; data errors throw. */
  resolveMany(params: ResolveLeviesParams): Promise<SiteLevy[]>;
}

const NUTRIENT_LEVY: LevyModel = Object.freeze({ name: 'nutrient-cil', calculatorVersion: 1, resolve: resolveLevy, resolveMany: resolveLevies });

export function levyModelFor(assessmentType: AssessmentType): LevyModel | null {
  switch (assessmentType) {
    case 'nutrient': return NUTRIENT_LEVY;
    case 'gcn': return null;
  }
}
