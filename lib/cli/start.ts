// `bin/worker start`: the primary (operations.md §1.2). It validates the configuration first and
// owns the process exit from then on. Running from TypeScript sources, the forked workers load
// their entry through tsx as the primary did.

import { fileURLToPath } from 'node:url';
import { runPrimary } from '../supervisor/primary.js';

/**
 * V8 flags of every forked worker. `--optimize-for-size` keeps a worker's peak RSS at 120–125 MB
 * instead of 140–170 MB under the bench's heaviest mix (bench/README.md, finding 2) for a few per
 * cent of job time. It is refused in NODE_OPTIONS, so it travels in the fork's execArgv.
 */
export const WORKER_V8_FLAGS: readonly string[] = ['--optimize-for-size'];

export function workerEntryModule(): { path: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? '../worker/entry.ts' : '../worker/entry.js', import.meta.url);
  return { path: fileURLToPath(entry), execArgv: [...WORKER_V8_FLAGS, ...(fromSources ? ['--import', 'tsx'] : [])] };
}

export async function startCommand(_args: string[]): Promise<number> {
  const entry = workerEntryModule();
  await runPrimary({ workerEntry: entry.path, workerExecArgv: entry.execArgv });
  // runPrimary ends the process with its own explicit exit code.
  return -1;
}
