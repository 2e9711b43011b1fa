// `bin/worker assess --type nutrient` (DESIGN.md, contracts.md §10): exit codes, the coded error
// on stdout, the artefacts of --out, and a round trip of the boundaries zip through lib/input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readBoundaryFromPath } from '../../../lib/input/index.js';
import type { Site } from '../../../lib/geo/types.js';
import { REPO_ROOT, needsSharedData, sharedPath } from '../../support/data.js';
import type { TestDatabase } from '../../support/pg.js';
import { csvRecords } from './csv-parse.js';
import { areaOf, toShape } from './oracle.js';
import { INPUT_LIMITS, nutrientDb, readSites } from './support.js';

interface CliRun { code: number | null; stdout: string; stderr: string }

function worker(db: TestDatabase, args: string[]): Promise<CliRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DATABASE_URL: db.url, DB_SSL_MODE: 'disable', LOG_LEVEL: 'error' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/worker'), 'assess', ...args], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const SMALL_ZIP = sharedPath('inputs/nutrients/BnW_small_under_1_hectare.zip');
const BATCH = sharedPath('inputs/nutrients/BnW_cleaned_110925/BnW_cleaned_110925.shp');

function planarArea(site: Site): number {
  return areaOf(toShape(site.geometry));
}

describe('bin/worker assess --type nutrient', needsSharedData(), () => {
  let db: TestDatabase;
  let out: string;
  before(async () => {
    db = await nutrientDb('test');
    out = await mkdtemp(path.join(os.tmpdir(), 'nutrient-cli-'));
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
    await db?.drop();
  });

  test('usage errors exit 64', async () => {
    const run = await worker(db, [SMALL_ZIP, '--type', 'nutrient', '--format', 'psv']);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /--format psv is for --type gcn/);
  });

  test('a feature without Dwellings and no --dwellings exits 2 with legacy_attribute_missing', async () => {
    const run = await worker(db, [sharedPath('inputs/generated/01_tiny_parcel.geojson'), '--type', 'nutrient']);
    assert.equal(run.code, 2);
    const body = JSON.parse(run.stdout) as { error: { code: string; kind: string; message: string; detail: Record<string, unknown> } };
    assert.equal(body.error.code, 'legacy_attribute_missing');
    assert.equal(body.error.kind, 'input');
    assert.equal(body.error.detail.featureIndex, 0);
    assert.match(body.error.message, /--dwellings N/);
    assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /, 'no stack trace');
  });

  test('holes without --lenient-geometry are a rejected input (exit 2)', async () => {
    const run = await worker(db, [BATCH, '--type', 'nutrient']);
    assert.equal(run.code, 2);
    assert.equal((JSON.parse(run.stdout) as { error: { code: string } }).error.code, 'geometry_has_holes');
  });

  test('--dwellings fills features without a count; the result JSON goes to stdout', async () => {
    const run = await worker(db, [sharedPath('inputs/generated/03_medium_mixed.geojson'), '--type', 'nutrient', '--dwellings', '50', '--ruleset', 'v1']);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as { jobId: string; status: string; modelVersions: { nutrientRules: string }; rlbs: { status: string; nutrient: { wastewater: { nitrogenTempKgYr: number } } }[] };
    assert.equal(doc.jobId, 'cli');
    assert.equal(doc.status, 'completed');
    assert.equal(doc.modelVersions.nutrientRules, 'V1');
    assert.equal(doc.rlbs[0]?.nutrient.wastewater.nitrogenTempKgYr, 127.81);
  });

  test('--out writes the CSV, the result JSON and a boundaries zip that reads back through lib/input', async () => {
    const dir = path.join(out, 'small');
    const run = await worker(db, [SMALL_ZIP, '--type', 'nutrient', '--format', 'csv', '--out', dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await readdir(dir)).sort(), ['BnW_small_under_1_hectare_boundaries.zip', 'BnW_small_under_1_hectare_nutrients.csv', 'BnW_small_under_1_hectare_result.json']);
    const [row] = csvRecords(await readFile(path.join(dir, 'BnW_small_under_1_hectare_nutrients.csv'), 'utf8'));
    assert.equal(row?.Majority_WwTw_ID, '1065');
    const doc = JSON.parse(await readFile(path.join(dir, 'BnW_small_under_1_hectare_result.json'), 'utf8')) as { rlbs: { areaM2: number }[] };
    assert.equal(doc.rlbs[0]?.areaM2, 259.39);
    const back = await readBoundaryFromPath(path.join(dir, 'BnW_small_under_1_hectare_boundaries.zip'), { sql: db.sql, keepAttributes: true, signal: AbortSignal.timeout(60_000), limits: INPUT_LIMITS });
    const original = await readSites(db.sql, SMALL_ZIP);
    assert.equal(back.sites.length, 1);
    assert.ok(Math.abs(planarArea(back.sites[0] as Site) - planarArea(original[0] as Site)) <= 0.01);
  });

  test('the 245-site batch round-trips: feature count, attributes and areas to 0.01 m²', async () => {
    const dir = path.join(out, 'batch');
    const run = await worker(db, [BATCH, '--type', 'nutrient', '--lenient-geometry', '--out', dir]);
    assert.equal(run.code, 0, run.stderr);
    const zip = path.join(dir, 'BnW_cleaned_110925_boundaries.zip');
    const back = await readBoundaryFromPath(zip, { sql: db.sql, keepAttributes: false, lenient: true, signal: AbortSignal.timeout(120_000), limits: INPUT_LIMITS });
    const original = await readSites(db.sql, BATCH, true);
    assert.equal(back.sites.length, 245);
    back.sites.forEach((site, i) => assert.ok(Math.abs(planarArea(site) - planarArea(original[i] as Site)) <= 0.01, `area of feature ${i}`));
    const doc = JSON.parse(await readFile(path.join(dir, 'BnW_cleaned_110925_result.json'), 'utf8')) as {
      rlbs: { rlbId: number; status: string; areaHa: number; nutrient: { totals: { nitrogenKgYr: number; phosphorusKgYr: number }; wwtw: { id: number }; edp: { edpId: number } | null; levyGbp: { amountInflationAdjusted: number } | null } }[];
    };
    const attributes = await readDbf(zip);
    assert.equal(attributes.length, 245);
    attributes.forEach((a, i) => {
      const r = doc.rlbs[i];
      assert.ok(r);
      assert.equal(a.RLB_ID, r.rlbId);
      assert.equal(a.JOB_ID, 'cli');
      assert.equal(a.STATUS, r.status);
      assert.equal(a.AREA_HA, r.areaHa);
      assert.equal(a.WWTW_ID, r.nutrient.wwtw.id);
      assert.equal(a.N_TOTAL, r.status === 'assessed' ? r.nutrient.totals.nitrogenKgYr : null);
      assert.equal(a.P_TOTAL, r.status === 'assessed' ? r.nutrient.totals.phosphorusKgYr : null);
      assert.equal(a.EDP_ID, r.nutrient.edp?.edpId ?? null);
      assert.equal(a.LEVY_GBP, r.nutrient.levyGbp?.amountInflationAdjusted ?? null);
    });
    assert.ok(doc.rlbs.some((r) => r.nutrient.levyGbp !== null), 'sites inside the EDP are priced');
  });
});

/** The DBF rows of the zipped shapefile (lib/input keeps only the legacy attributes). */
async function readDbf(zipPath: string): Promise<Record<string, unknown>[]> {
  const { default: JSZip } = await import('jszip');
  const shapefile = await import('shapefile');
  const zip = await JSZip.loadAsync(await readFile(zipPath));
  const dbfEntry = Object.values(zip.files).find((f) => f.name.endsWith('.dbf'));
  assert.ok(dbfEntry);
  const source = await shapefile.openDbf(await dbfEntry.async('nodebuffer'), { encoding: 'utf-8' });
  const rows: Record<string, unknown>[] = [];
  for (let r = await source.read(); !r.done; r = await source.read()) rows.push(r.value as Record<string, unknown>);
  return rows;
}
