// The primary as `bin/worker start` runs it, but forking a test worker entry given on the
// command line (default: test-worker.ts). Used by the process specs only.

import { fileURLToPath } from 'node:url';
import { runPrimary } from '../../lib/supervisor/primary.js';

const entry = process.argv[2] ?? 'test-worker.ts';
await runPrimary({ workerEntry: fileURLToPath(new URL(`./${entry}`, import.meta.url)), workerExecArgv: ['--import', 'tsx'] });
