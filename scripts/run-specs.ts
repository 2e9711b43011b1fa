// Spec runner: starts a throwaway PostGIS cluster, builds the template database once, runs the
// node:test files (all of spec/**/*.test.ts, or the ones given) and always stops the cluster.
// Usage: node --import tsx scripts/run-specs.ts [spec files…]

import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startCluster } from '../spec/support/cluster.js';
import { buildTemplate, TEMPLATE_DB } from '../spec/support/template.js';

function findSpecs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findSpecs(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const log = (line: string): void => void process.stderr.write(`[run-specs] ${line}\n`);
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : findSpecs('spec');
const started = Date.now();
const cluster = await startCluster({ log });
const stop = (): void => cluster.stop();
process.on('exit', stop);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

let code = 1;
try {
  log(`PostGIS on port ${cluster.port}; building ${TEMPLATE_DB}…`);
  await buildTemplate(cluster.url, log);
  log(`template ready in ${((Date.now() - started) / 1000).toFixed(1)} s; running ${files.length} spec files`);
  const concurrency = process.env.SPEC_CONCURRENCY ?? '2';
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
    stdio: 'inherit',
    env: { ...process.env, NRF_TEST_PG_URL: cluster.url, NRF_TEST_PG_TEMPLATE: TEMPLATE_DB },
  });
  code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
} finally {
  stop();
}
process.exit(code);
