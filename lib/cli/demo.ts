// `bin/worker demo [--data DIR] [--short] [--hold] [--timeout S]`. The demo itself lives in
// demo/ (development checkouts only: it drives PostGIS, the emulator and the fakes from spec/support),
// so the production build and image never compile or carry it.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './common.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface DemoModule {
  runDemo(options: { dataDir: string | null; short: boolean; hold: boolean; timeoutSeconds: number }): Promise<number>;
}

// A variable specifier keeps tsc from pulling demo/ (and spec/support/) into the production build.
const DEMO_MODULE = '../../demo/run.js';

export async function demoCommand(args: string[]): Promise<number> {
  const { flags } = parseArgs(args, ['short', 'hold']);
  const data = flags.get('data');
  const timeout = Number(flags.get('timeout') ?? 180);
  // The demo's own AWS clients run on Node 20 too; keep the SDK's deprecation notice out of its output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let demo: DemoModule;
  try {
    demo = (await import(DEMO_MODULE)) as DemoModule;
  } catch (error) {
    process.stderr.write(`The demo runs from a development checkout (git clone, then npm ci): ${(error as Error).message}\n`);
    return 1;
  }
  return demo.runDemo({
    dataDir: typeof data === 'string' ? path.resolve(data) : (process.env.NRF_SHARED_DATA ?? path.resolve(REPO_ROOT, '../shared/data')),
    short: flags.has('short'),
    hold: flags.has('hold'),
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 180,
  });
}
