// Job scratch space left behind by killed workers (operations.md §1.2 step 4, §2.6). The primary
// runs this before forking, when no job of this task can be using `${TMPDIR}/nrf-job-*`.

import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

export const SCRATCH_PREFIX = 'nrf-job-';

/** Removes every `nrf-job-*` entry under `dir`; returns how many went. Never throws. */
export async function removeStaleScratch(dir: string, onError: (name: string, error: unknown) => void = () => undefined): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    onError(dir, error);
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(SCRATCH_PREFIX)) continue;
    try {
      await rm(path.join(dir, name), { recursive: true, force: true });
      removed += 1;
    } catch (error) {
      onError(name, error);
    }
  }
  return removed;
}
