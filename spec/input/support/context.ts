// One cloned database per spec file for the PostGIS validity check, and the options every
// reader call needs.

import type { BoundaryOptions } from '../../../lib/input/index.js';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { SPEC_LIMITS } from './builders.js';

export interface InputSpecContext {
  db: TestDatabase;
  options(extra?: Partial<BoundaryOptions>): BoundaryOptions;
}

export async function inputSpecContext(): Promise<InputSpecContext> {
  const db = await cloneTemplate();
  return {
    db,
    options: (extra = {}) => ({ sql: db.sql, signal: AbortSignal.timeout(120_000), limits: SPEC_LIMITS, ...extra }),
  };
}
