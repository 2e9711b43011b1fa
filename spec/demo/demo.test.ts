// Runs the README's demo command in its short mode (synthetic world) as a child process, the way
// a newcomer would, and checks that every job reached its expected outcome.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../support/data.js';

test('bin/worker demo --short runs end to end and every job reaches its expected outcome', { timeout: 300_000 }, async () => {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/worker'), 'demo', '--short', '--timeout', '180'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { out += c; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, out.slice(-4000));
  for (const name of ['nutrient file job', 'quote job (SNS)', 'GCN survey job', 'broken boundary']) {
    assert.match(out, new RegExp(`✔ ${name.replace(/[()]/g, '\\$&')}`), `${name} marked as expected`);
  }
  assert.match(out, /PATCH \/quotes\/NRL-\d{6} → 200/);
  assert.match(out, /rejected \(self_intersecting_geometry\), now in the dead-letter queue/);
  assert.match(out, /Every job reached its expected outcome\./);
  assert.match(out, /Supervisor stopped \(exit code 0\)\./);
});
