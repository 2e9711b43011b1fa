// `bin/worker start`: the primary (operations.md §1.2). It validates the configuration first and
// owns the process exit from then on. Running from TypeScript sources, the forked workers load
// their entry through tsx as the primary did.

import { fileURLToPath } from 'node:url';
import { runPrimary } from '../supervisor/primary.js';

/**
 * V8 flags of every forked worker (bench/README.md, finding 2). A small young generation
 * (`--max-semi-space-size=2`, MB) and a slower-growing old space (`--heap-growing-percent=30`)
 * keep a worker's peak RSS at 120–130 MB instead of 140–170 MB under the bench's heaviest mix.
 * `--single-threaded-gc` runs the collector on the worker's own thread: the task's parallelism
 * comes from its worker processes, and V8's GC helper threads only competed with the other
 * workers for the same cores. Worker CPU per single-site job, all threads: 21.5 ms with these
 * flags, 21.4 with V8's defaults, 26.5 with `--optimize-for-size` (the same memory saving).
 * V8 refuses the last two in NODE_OPTIONS, so they travel in the fork's execArgv.
 */
export const WORKER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=30', '--single-threaded-gc'];

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
