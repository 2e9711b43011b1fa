// Readiness when the database is down or not migrated (contracts.md §7.3), and the two CLI
// commands end to end as child processes: exit codes, JSON on stdout, QC named on stderr.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { cloneTemplate, type TestDatabase } from '../support/pg.js';
import { needsSharedData, REPO_ROOT } from '../support/data.js';
import { freePort } from '../support/cluster.js';
import { checkReadiness } from '../../lib/reference/readiness.js';
import { READINESS_TABLES } from '../../lib/reference/tables.js';
import { activeVersion, tempDir, type TempDir } from './support.js';

function worker(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(REPO_ROOT, 'bin/worker'), ...args], { env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('readiness without a usable database', () => {
  test('unreachable: database false, nothing listed as missing', async () => {
    const sql = postgres(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { max: 1, connect_timeout: 2, onnotice: () => undefined });
    try {
      const r = await checkReadiness(sql);
      assert.deepEqual({ ...r, error: undefined }, { database: false, referenceData: false, missing: [], versions: {}, error: undefined });
      assert.ok(r.error);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  test('reachable but not migrated: every manifest table is missing', async () => {
    const admin = postgres(process.env.NRF_TEST_PG_URL ?? '', { max: 1, onnotice: () => undefined });
    const name = `t_empty_${process.pid}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const sql = postgres((process.env.NRF_TEST_PG_URL ?? '').replace(/\/[^/]*$/, `/${name}`), { max: 1, onnotice: () => undefined });
    try {
      const r = await checkReadiness(sql);
      assert.equal(r.database, true);
      assert.equal(r.referenceData, false);
      assert.deepEqual(r.missing, [...READINESS_TABLES]);
      assert.ok(!r.missing.includes('gcn_ponds'));
    } finally {
      await sql.end({ timeout: 1 });
      await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('bin/worker load-data and generate-coefficients', needsSharedData(), () => {
  let db: TestDatabase;
  let tmp: TempDir;
  let env: Record<string, string>;
  before(async () => {
    db = await cloneTemplate();
    tmp = await tempDir('ref-cli-');
    env = { DATABASE_URL: db.url, DB_SSL_MODE: 'disable', ENVIRONMENT: 'local', LOG_LEVEL: 'error' };
  });
  after(async () => {
    await db?.drop();
    await tmp?.remove();
  });

  test('load-data --activate refuses a failing file: exit 1, report on stdout, rule and rows on stderr', async () => {
    const bad = await tmp.write('levy_inflation_index.csv', 'charging_year,cil_index\n2021,333\n2022,332\n2023,355\n2024,381\n2025,391\n2025,400\n');
    const run = await worker(['load-data', bad, '--activate'], env);
    assert.equal(run.code, 1, run.stderr);
    const reports = JSON.parse(run.stdout) as { table: string; qcPassed: boolean; activated: boolean }[];
    assert.deepEqual(reports.map((r) => [r.table, r.qcPassed, r.activated]), [['levy_inflation_index', false, false]]);
    assert.match(run.stderr, /charging_year unique failed for 1 row\(s\), e\.g\. \[\{"charging_year":"2025","lines":\[6,7\]\}\]/);
    assert.match(run.stderr, /activation refused/);
    assert.equal(await activeVersion(db.sql, 'levy_inflation_index'), 1);
  });

  test('load-data TABLE=PATH --activate loads and activates; a usage error exits 64', async () => {
    const good = await tmp.write('index.csv', 'charging_year,cil_index\n2021,333\n2022,332\n2023,355\n2024,381\n2025,391\n2026,400\n2027,410\n');
    const run = await worker(['load-data', `levy_inflation_index=${good}`, '--activate'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(await activeVersion(db.sql, 'levy_inflation_index'), 3);
    assert.equal((await worker(['load-data'], env)).code, 64);
    const missing = await worker(['load-data', '/no/such/file.gpkg'], env);
    assert.equal(missing.code, 65);
    assert.match(missing.stderr, /no such file/);
  });

  test('generate-coefficients --bbox --out writes the GeoPackage and prints its manifest', async () => {
    const out = path.join(tmp.dir, 'coefficients.gpkg');
    const run = await worker(['generate-coefficients', '--bbox', '600000,300000,601000,301000', '--parcels', '400', '--seed', '7', '--out', out], {});
    assert.equal(run.code, 0, run.stderr);
    const manifest = JSON.parse(run.stdout) as { rows: number; seed: number; sha256: string };
    assert.deepEqual([manifest.rows, manifest.seed], [400, 7]);
    const sidecar = JSON.parse(await readFile(path.join(tmp.dir, 'manifest.json'), 'utf8')) as { sha256: string };
    assert.equal(sidecar.sha256, manifest.sha256);
    assert.equal((await worker(['generate-coefficients', '--bbox', '1,2,3', '--parcels', '1'], {})).code, 64);
  });
});
