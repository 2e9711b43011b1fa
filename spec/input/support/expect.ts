// Asserting coded rejections: the exact catalogue code, its kind, and the detail keys that matter.

import assert from 'node:assert/strict';
import { JobError, type ErrorCode } from '../../../lib/errors.js';

export async function rejectsWith(work: Promise<unknown> | (() => Promise<unknown>), code: ErrorCode, detail: Record<string, unknown> = {}): Promise<JobError> {
  let caught: unknown = null;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof JobError, `expected JobError ${code}, got ${caught === null ? 'success' : caught instanceof Error ? caught.stack : JSON.stringify(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code} ${JSON.stringify(caught.detail)}`);
  for (const [key, value] of Object.entries(detail)) {
    assert.deepEqual(caught.detail[key], value, `detail.${key} of ${code}: ${JSON.stringify(caught.detail)}`);
  }
  return caught;
}
