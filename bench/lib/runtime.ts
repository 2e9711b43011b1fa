// A compiled runtime layout for the end-to-end runs, as the image ships it (operations.md §8.1):
// tsc output in dist/, the build assets, bin/worker and package.json, with node_modules linked.
// It lives in a temporary folder so the checkout's own bin/worker (which prefers dist/) is never
// switched to compiled code under other people's feet. Memory figures of tsx-run sources would
// include the TypeScript loader thread, which production never runs.

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../spec/support/data.js';

const run = promisify(execFile);

export interface Runtime {
  binPath: string;
  dir: string;
  remove(): void;
}

export async function buildRuntime(log: (line: string) => void): Promise<Runtime> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nrf-bench-runtime-'));
  const dist = path.join(dir, 'dist');
  const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', dist], { cwd: REPO_ROOT, maxBuffer: 16 << 20 });
  } catch (error) {
    // Type errors still emit JavaScript; a missing entry point is the only fatal outcome.
    const out = (error as { stdout?: string }).stdout ?? '';
    if (!existsSync(path.join(dist, 'lib/cli/main.js'))) throw new Error(`tsc produced no build: ${out.slice(0, 2000)}`);
    log(`tsc reported errors in the working tree (build used anyway): ${out.split('\n').slice(0, 3).join(' | ')}`);
  }
  await run(process.execPath, [path.join(REPO_ROOT, 'scripts/copy-build-assets.mjs'), dist], { cwd: REPO_ROOT });
  mkdirSync(path.join(dir, 'bin'));
  copyFileSync(path.join(REPO_ROOT, 'bin/worker'), path.join(dir, 'bin/worker'));
  copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { binPath: path.join(dir, 'bin/worker'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
