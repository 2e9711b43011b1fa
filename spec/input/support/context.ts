// One cloned database per spec file for the PostGIS validity check, and the options every
// reader call needs.

import { after, before } from 'node:test';
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

/**
 * Registers the clone's before/after hooks in the calling describe block and returns a context
 * that reads through to it once the hook has run.
 */
export function useInputSpecContext(): InputSpecContext {
  let current: InputSpecContext | null = null;
  const get = (): InputSpecContext => {
    if (!current) throw new Error('input spec context used outside a test (before() has not run)');
    return current;
  };
  before(async () => {
    current = await inputSpecContext();
  });
  after(async () => {
    await current?.db.drop();
  });
  return {
    get db() {
      return get().db;
    },
    options: (extra) => get().options(extra),
  };
}
