// `bin/worker demo [--data DIR] [--short] [--hold] [--timeout S]` (see lib/demo/run.ts).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './common.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function demoCommand(args: string[]): Promise<number> {
  const { flags } = parseArgs(args, ['short', 'hold']);
  const data = flags.get('data');
  const timeout = Number(flags.get('timeout') ?? 180);
  // The demo's own AWS clients run on Node 20 too; keep the SDK's deprecation notice out of its output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { runDemo } = await import('../demo/run.js');
  return runDemo({
    dataDir: typeof data === 'string' ? path.resolve(data) : (process.env.NRF_SHARED_DATA ?? path.resolve(REPO_ROOT, '../shared/data')),
    short: flags.has('short'),
    hold: flags.has('hold'),
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 180,
  });
}
