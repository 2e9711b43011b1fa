// The Dockerfile's shape (operations.md §8.1), checked statically: no Docker engine runs here.
// The build stage's commands themselves are replayed by build.test.ts.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VARIABLES } from '../../lib/config/schema.js';
import { REPO_ROOT } from '../support/data.js';
import { copies, dockerignoreAdmits, execForm, instructions, readDockerfile, splitFlags, stage } from './dockerfile.js';
import { healthCheckPort, healthCheckShell, readTaskDefinition, workerContainer } from './task-definition.js';

const dockerfile = readDockerfile();
const container = workerContainer(readTaskDefinition());
const runtime = stage(dockerfile, 'runtime');
const healthPortDefault = Number(VARIABLES.find((v) => v.name === 'HEALTH_PORT')?.default);

function runCommands(name: string): string[] {
  return instructions(stage(dockerfile, name), 'RUN').map((i) => i.args);
}

describe('Dockerfile', () => {
  test('three named stages on node:20-bookworm-slim pinned by digest, runtime last', () => {
    assert.deepEqual(dockerfile.stages.map((s) => s.name), ['build', 'deps', 'runtime']);
    const names = new Set<string>();
    for (const s of dockerfile.stages) {
      if (!names.has(s.from)) {
        assert.match(s.from, /^node:20-bookworm-slim@sha256:[0-9a-f]{64}$/, `stage ${s.name ?? '?'} base must be pinned by digest`);
      }
      if (s.name) names.add(s.name);
    }
  });

  test('build stage: npm ci without scripts, then the build and a compiled smoke run', () => {
    const run = runCommands('build').join(' && ');
    assert.match(run, /npm ci --ignore-scripts\b/);
    assert.match(run, /npm run build\b/);
    assert.match(run, /node bin\/worker --help/);
  });

  test('deps stage: production dependencies only; scripts only for better-sqlite3; cache cleaned', () => {
    const run = runCommands('deps').join(' && ');
    assert.match(run, /npm ci --omit=dev --ignore-scripts\b/);
    assert.match(run, /npm rebuild better-sqlite3\b/);
    assert.match(run, /npm cache clean --force/);
    const rebuilt = [...run.matchAll(/npm rebuild ([^&]+)/g)].map((m) => (m[1] ?? '').trim());
    assert.deepEqual(rebuilt, ['better-sqlite3'], 'no other package runs install scripts');
    const allowed = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> }).allowScripts;
    assert.equal(allowed['better-sqlite3'], true);
  });

  test('runtime: node_modules only from the --omit=dev stage, dist only from build, no toolchain', () => {
    const fromStages = copies(runtime).filter((c) => c.from !== null);
    assert.deepEqual(
      fromStages.map((c) => [c.from, c.sources.join(' ')]).sort(),
      [['build', '/app/dist/'], ['deps', '/app/node_modules/']],
    );
    const run = instructions(runtime, 'RUN').map((i) => i.args).join(' ');
    assert.doesNotMatch(run, /\bnpm\b/, 'the runtime stage installs no packages with npm');
    assert.doesNotMatch(run, /\b(g\+\+|make|python3|build-essential)\b/, 'no build toolchain in the runtime');
    assert.match(run, /apt-get install -y --no-install-recommends curl tini ca-certificates/);
  });

  test('runtime: the application files are copied owned by root', () => {
    const fromContext = copies(runtime).filter((c) => c.from === null).flatMap((c) => c.sources);
    assert.deepEqual(fromContext.sort(), ['bin/', 'lib/reference/migrations/', 'package.json', 'schemas/']);
    for (const copy of copies(runtime)) assert.equal(copy.chown, 'root:root', `COPY ${copy.sources.join(' ')}`);
  });

  test('runtime: production environment, non-root user, tini entrypoint, node started directly', () => {
    const env = new Map(instructions(runtime, 'ENV').flatMap((i) => i.args.split(/\s+/)).map((kv) => kv.split('=') as [string, string]));
    assert.equal(env.get('NODE_ENV'), 'production');
    assert.equal(env.get('TINI_SUBREAPER'), '1');
    assert.equal(env.get('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'), 'true');

    const users = instructions(runtime, 'USER').map((i) => i.args.trim());
    assert.deepEqual(users, ['node']);
    const userLine = instructions(runtime, 'USER')[0]?.line ?? Infinity;
    const cmd = instructions(runtime, 'CMD');
    assert.equal(cmd.length, 1);
    assert.ok(userLine < (cmd[0]?.line ?? 0), 'USER comes before CMD');

    assert.deepEqual(execForm(instructions(runtime, 'ENTRYPOINT')[0]?.args ?? ''), ['/usr/bin/tini', '--']);
    assert.deepEqual(execForm(cmd[0]?.args ?? ''), ['node', 'bin/worker', 'start'], 'exec form, node itself (never npm)');
  });

  test('HEALTHCHECK equals the task definition health check', () => {
    const healthchecks = instructions(runtime, 'HEALTHCHECK');
    assert.equal(healthchecks.length, 1);
    const { flags, words } = splitFlags(healthchecks[0]?.args ?? '');
    assert.equal(words[0], 'CMD');
    assert.equal(words.slice(1).join(' '), healthCheckShell(container));
    const seconds = (key: string): number => Number((flags.get(key) ?? '').replace(/s$/, ''));
    assert.deepEqual(
      { interval: seconds('interval'), timeout: seconds('timeout'), startPeriod: seconds('start-period'), retries: Number(flags.get('retries')) },
      { interval: container.healthCheck.interval, timeout: container.healthCheck.timeout, startPeriod: container.healthCheck.startPeriod, retries: container.healthCheck.retries },
    );
  });

  test('EXPOSE and the health-check port are the HEALTH_PORT default', () => {
    assert.ok(Number.isInteger(healthPortDefault));
    assert.deepEqual(instructions(runtime, 'EXPOSE').map((i) => Number(i.args)), [healthPortDefault]);
    assert.equal(healthCheckPort(healthCheckShell(container)), healthPortDefault);
  });

  test('/tmp is a declared volume, matching the task definition mount', () => {
    const volumes = instructions(runtime, 'VOLUME').flatMap((i) => execForm(i.args) ?? []);
    assert.deepEqual(volumes, ['/tmp']);
    assert.deepEqual(container.mountPoints.map((m) => m.containerPath), volumes);
  });

  test('.dockerignore admits every COPY source and keeps local state out', () => {
    const ignore = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8');
    const sources = dockerfile.stages.flatMap((s) => copies(s)).filter((c) => c.from === null).flatMap((c) => c.sources);
    for (const source of sources) assert.ok(dockerignoreAdmits(ignore, source), `.dockerignore excludes ${source}`);
    for (const local of ['node_modules', 'dist', '.env', '.git', 'spec', 'bench', 'tmp']) {
      assert.ok(!dockerignoreAdmits(ignore, local), `.dockerignore admits ${local}`);
    }
  });
});
