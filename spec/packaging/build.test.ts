// The image without Docker: replays the Dockerfile's build stage in a temporary directory (its
// COPY lines and RUN commands, with node_modules linked instead of `npm ci`), assembles the
// runtime stage's layout from its COPY lines, and runs the compiled CLI from it: no TypeScript
// sources and no tsx, as in the container. Builds into a temporary directory, never ./dist, so
// bin/worker in the checkout keeps running the sources for everyone else.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/data.js';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { startLocalAws, type LocalAws } from '../support/aws.js';
import { freePort } from '../support/cluster.js';
import { copies, instructions, readDockerfile, stage, type Copy } from './dockerfile.js';

const run = promisify(execFile);
const dockerfile = readDockerfile();
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
const migrationNames = readdirSync(path.join(REPO_ROOT, 'lib/reference/migrations')).filter((n) => n.endsWith('.sql')).sort();

/** Copies one Dockerfile COPY (WORKDIR /app) from `fromDir` into `appDir`. */
function replayCopy(copy: Copy, fromDir: string, appDir: string): void {
  for (const source of copy.sources) {
    const src = path.join(fromDir, source.replace(/^\/app\//, ''));
    if (!existsSync(src)) throw new Error(`COPY source ${source} does not exist in ${fromDir}: docker build would fail here too`);
    const isDir = statSync(src).isDirectory();
    const dest = path.join(appDir, copy.dest);
    const target = !isDir && copy.dest.endsWith('/') ? path.join(dest, path.basename(src)) : dest;
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(src, target, { recursive: true });
  }
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f));
}

/** A clean environment: nothing from the developer's shell reaches the compiled CLI. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), ENVIRONMENT: 'local', ...extra };
}

describe('compiled build (the Docker build and runtime stages, replayed)', () => {
  let root: string;
  let buildDir: string;
  let runtimeDir: string;
  let db: TestDatabase | undefined;
  let startDb: TestDatabase | undefined;
  let aws: LocalAws | undefined;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'nrf-build-'));
    buildDir = path.join(root, 'build');
    runtimeDir = path.join(root, 'runtime');
    mkdirSync(buildDir);
    mkdirSync(runtimeDir);

    const build = stage(dockerfile, 'build');
    for (const copy of copies(build)) replayCopy(copy, REPO_ROOT, buildDir);
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(buildDir, 'node_modules'), 'dir');
    for (const { args } of instructions(build, 'RUN')) {
      if (/^npm ci\b/.test(args)) continue; // stands in for the linked node_modules
      try {
        await run('sh', ['-c', args], { cwd: buildDir, timeout: 300_000, maxBuffer: 16 << 20 });
      } catch (error) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        throw new Error(`build stage RUN failed: ${args}\n${stdout}${stderr}`);
      }
    }

    for (const copy of copies(stage(dockerfile, 'runtime'))) {
      if (copy.from === 'deps') symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(runtimeDir, 'node_modules'), 'dir');
      else replayCopy(copy, copy.from === 'build' ? buildDir : REPO_ROOT, runtimeDir);
    }
  });

  after(async () => {
    await db?.drop();
    await startDb?.drop();
    await aws?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('dist/ carries the migrations and the package version beside the compiled modules', () => {
    const dist = path.join(runtimeDir, 'dist');
    assert.ok(existsSync(path.join(dist, 'lib/cli/main.js')));
    assert.deepEqual(readdirSync(path.join(dist, 'lib/reference/migrations')).filter((n) => n.endsWith('.sql')).sort(), migrationNames);
    const manifest = JSON.parse(readFileSync(path.join(dist, 'package.json'), 'utf8')) as { version: string; type: string };
    assert.deepEqual(manifest, { ...manifest, version: pkg.version, type: 'module' });
  });

  test('the runtime layout holds no TypeScript, so nothing can fall back to tsx', () => {
    const entries = readdirSync(runtimeDir).filter((n) => n !== 'node_modules');
    const typescript = entries.flatMap((e) => (statSync(path.join(runtimeDir, e)).isDirectory() ? filesUnder(path.join(runtimeDir, e), '.ts') : []));
    assert.deepEqual(typescript.filter((f) => !f.endsWith('.d.ts')), []);
  });

  test('compiled modules import only Node built-ins and production dependencies', () => {
    const builtins = new Set(builtinModules);
    const unexpected = new Set<string>();
    for (const file of filesUnder(path.join(runtimeDir, 'dist'), '.js')) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const spec = match[1] ?? '';
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
        if (!builtins.has(name) && !(name in pkg.dependencies)) unexpected.add(`${name} (${path.relative(runtimeDir, file)})`);
      }
    }
    assert.deepEqual([...unexpected], [], 'a runtime import of a devDependency would crash the image (the deps stage omits them)');
  });

  test('bin/worker --help runs from dist/', async () => {
    const { stdout } = await run(process.execPath, ['bin/worker', '--help'], { cwd: runtimeDir, env: cliEnv() });
    assert.match(stdout, /^\s+migrate$/m);
    assert.match(stdout, /^\s+start$/m);
  });

  test('bin/worker migrate from dist/ applies every migration to an empty database, then none', async () => {
    db = await cloneTemplate({ template: 'template0' });
    const env = cliEnv({ DATABASE_URL: db.url, DB_SSL_MODE: 'disable' });
    const first = await run(process.execPath, ['bin/worker', 'migrate'], { cwd: runtimeDir, env });
    assert.deepEqual(JSON.parse(first.stdout), { applied: migrationNames, alreadyApplied: 0 });
    const second = await run(process.execPath, ['bin/worker', 'migrate'], { cwd: runtimeDir, env });
    assert.deepEqual(JSON.parse(second.stdout), { applied: [], alreadyApplied: migrationNames.length });
    const rows = await db.sql<{ name: string }[]>`SELECT name FROM nrf_worker.schema_migrations ORDER BY version`;
    assert.deepEqual(rows.map((r) => r.name), migrationNames);
  });

  test('bin/worker start from dist/ serves /health, logs ECS JSON and drains on SIGTERM', async (t) => {
    [startDb, aws] = await Promise.all([cloneTemplate(), startLocalAws()]);
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/worker', 'start'], {
      cwd: runtimeDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cliEnv({
        ...aws.env, NODE_ENV: 'production', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        DATABASE_URL: startDb.url, DB_SSL_MODE: 'disable', HEALTH_PORT: String(port), WORKER_COUNT: '1',
        BACKEND_BASE_URL: 'http://127.0.0.1:9', GOVUK_NOTIFY_ENABLED: 'false',
      }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const health = await waitForHealth(port, exited);
      if (health === 'exited') {
        const code = await exited;
        if (code === 64 && /Unknown command "start"/.test(stderr)) return t.skip('bin/worker start is not registered yet');
        assert.fail(`start exited with ${String(code)} before /health answered\n${stdout}${stderr}`);
      }
      assert.equal(Object.keys(health)[0], 'status');
      assert.equal(health.service, 'nrf-impact-assessment-worker');

      child.kill('SIGTERM');
      assert.equal(await exited, 0, `a clean drain exits 0\n${stderr}`);
      const lines = stdout.split('\n').filter(Boolean);
      assert.ok(lines.length > 0, 'the service logs to stdout');
      for (const line of lines) {
        const record = JSON.parse(line) as Record<string, unknown>;
        assert.deepEqual(Object.keys(record).slice(0, 3), ['@timestamp', 'log.level', 'message'], line);
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

/** Polls /health until it answers (any status) or the process exits. */
async function waitForHealth(port: number, exited: Promise<number | null>): Promise<Record<string, unknown> | 'exited'> {
  let done = false;
  void exited.then(() => (done = true));
  for (let attempt = 0; attempt < 600 && !done; attempt += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      return (await response.json()) as Record<string, unknown>;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  if (done) return 'exited';
  throw new Error('/health did not answer within 60 s');
}
