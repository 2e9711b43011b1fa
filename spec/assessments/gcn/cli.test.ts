// `bin/worker assess FILE --type gcn` (gcn.md §2.2, contracts.md §10) on the survey fixture: the
// artefacts, the printed §8.3 document (schema-checked), the boundaries zip read back through the
// input pipeline, and a rejected survey file.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import * as shapefile from 'shapefile';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { needsSharedData, sharedPath } from '../../support/data.js';
import { loadConfig } from '../../../lib/config.js';
import { cliUniqueRef, runGcnAssess } from '../../../lib/cli/assess-gcn.js';
import type { AssessCliOptions } from '../../../lib/cli/assess.js';
import { parsePsv } from '../../../lib/assessments/gcn/psv.js';
import { habitatByRlb } from '../../../lib/assessments/gcn/summary.js';
import type { GcnResultDocument } from '../../../lib/assessments/gcn/types.js';
import { readBoundary } from '../../../lib/input/index.js';
import { validatePayload } from '../../../lib/delivery/schemas.js';
import { SURVEY_BOUNDARY, SURVEY_PONDS, defaultLimits } from './fixtures.js';
import { compareHabitat, frequencyFromPsv, frequencyMultiset, habitatFromPsv } from './compare.js';

test('unique_ref is the 20-digit UTC timestamp with microseconds padded from milliseconds', () => {
  assert.equal(cliUniqueRef(new Date(Date.UTC(2025, 10, 19, 9, 34, 30, 412))), '20251119093430412000');
  assert.equal(cliUniqueRef(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))), '20260102030405006000');
});

describe('GCN CLI artefacts (contracts.md §10)', needsSharedData(), () => {
  let db: TestDatabase;
  let dir: string;
  before(async () => {
    db = await cloneTemplate();
    dir = await mkdtemp(path.join(os.tmpdir(), 'gcn-cli-'));
  });
  after(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function options(overrides: Partial<AssessCliOptions>): { options: AssessCliOptions; out: string[] } {
    const out: string[] = [];
    const config = loadConfig({ DATABASE_URL: db.url, DB_SSL_MODE: 'disable', AWS_S3_INPUT_BUCKET: 'spec', BACKEND_BASE_URL: 'http://127.0.0.1:9' }, { role: 'cli', optional: ['SQS_QUEUE_URL'] });
    return {
      out,
      options: {
        file: SURVEY_BOUNDARY(), type: 'gcn', dwellings: null, surveyPonds: SURVEY_PONDS(), ruleset: null, format: 'json', outDir: null,
        lenient: false, config, signal: new AbortController().signal, stdout: (t) => void out.push(t), ...overrides,
      },
    };
  }

  test('without --out it prints the §8.3 document with the gcn member', async () => {
    const { options: o, out } = options({});
    assert.equal(await runGcnAssess(o), 0);
    const document = JSON.parse(out.join('')) as { jobId: string; assessmentType: string; gcn: GcnResultDocument; summary: { pondCount: number }; modelVersions: unknown; job: { surveyPonds: { key: string } | null } };
    assert.deepEqual(validatePayload('callbacks/assessment-results', document), { valid: true });
    assert.equal(document.jobId, 'cli');
    assert.equal(document.assessmentType, 'gcn');
    assert.match(document.gcn.unique_ref, /^\d{20}$/);
    assert.equal(document.gcn.route, 'survey');
    assert.equal(document.summary.pondCount, 132);
    assert.deepEqual(document.modelVersions, { gcnBufferMode: 'disc' });
    assert.equal(document.job.surveyPonds?.key, 'SitePonds_00001.shp');
  });

  test('--out with --format psv writes the four PSV files, the result JSON and the boundaries zip', async () => {
    const { options: o, out } = options({ format: 'psv', outDir: dir });
    assert.equal(await runGcnAssess(o), 0);
    assert.deepEqual((JSON.parse(out.join('')) as { written: string[] }).written.map((f) => path.basename(f)).sort(), [
      'Habitat_Impact.psv', 'Habitat_Impact_EDPSplit.psv', 'Ponds_Impact_Frequency.psv', 'Ponds_Impact_Frequency_EDPSplit.psv',
      'SiteBoundary_00001_boundaries.zip', 'SiteBoundary_00001_result.json',
    ]);
    const habitat = parsePsv(await readFile(path.join(dir, 'Habitat_Impact.psv'), 'utf8'));
    const baseline = parsePsv(await readFile(sharedPath('expected/gcn/baseline_survey/Habitat_Impact.psv'), 'utf8'));
    assert.deepEqual(compareHabitat(habitatFromPsv(habitat.rows), habitatFromPsv(baseline.rows)).problems, []);
    const frequency = parsePsv(await readFile(path.join(dir, 'Ponds_Impact_Frequency.psv'), 'utf8'));
    const baselineFrequency = parsePsv(await readFile(sharedPath('expected/gcn/baseline_survey/Ponds_Impact_Frequency.psv'), 'utf8'));
    assert.deepEqual(frequencyMultiset(frequencyFromPsv(frequency.rows)), frequencyMultiset(frequencyFromPsv(baselineFrequency.rows)));
    const document = JSON.parse(await readFile(path.join(dir, 'SiteBoundary_00001_result.json'), 'utf8')) as { gcn: GcnResultDocument; rlbs: { rlbId: number; areaM2: number; areaHa: number }[] };
    const ref = document.gcn.unique_ref;
    assert.equal(habitat.rows[0]?.UniqueRef, ref);
    assert.equal(habitat.rows.find((r) => r.Area === 'Buffer')?.UniqueSite, `${ref}_Buffer00001`);
    assert.equal(parsePsv(await readFile(path.join(dir, 'Habitat_Impact_EDPSplit.psv'), 'utf8')).columns.length, 17);
    assert.equal(parsePsv(await readFile(path.join(dir, 'Ponds_Impact_Frequency_EDPSplit.psv'), 'utf8')).columns.length, 6);

    // The zip reads back through the §5 pipeline: four RLBs with the same areas.
    const zipBytes = await readFile(path.join(dir, 'SiteBoundary_00001_boundaries.zip'));
    const back = await readBoundary({ name: 'SiteBoundary_00001_boundaries.zip', bytes: zipBytes }, { sql: db.sql, signal: new AbortController().signal, limits: defaultLimits() });
    assert.equal(back.sites.length, 4);
    const [areas] = await db.sql<{ a: number[] }[]>`SELECT array_agg(ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(j), 27700)) ORDER BY o)::float8[] AS a FROM unnest(${back.sites.map((s) => JSON.stringify(s.geometry))}::text[]) WITH ORDINALITY AS t(j, o)`;
    document.rlbs.forEach((rlb, i) => assert.ok(Math.abs((areas?.a[i] ?? 0) - rlb.areaM2) <= 0.01, `RLB ${rlb.rlbId}`));

    // Attribute table: RED_M2/AMBER_M2/GREEN_M2 = habitat inside each RLB by zone (2 dp).
    const zip = await JSZip.loadAsync(zipBytes);
    const dbfName = Object.keys(zip.files).find((n) => n.endsWith('.dbf'));
    assert.ok(dbfName);
    const dbf = await zip.file(dbfName)?.async('nodebuffer');
    assert.ok(dbf);
    const dbfPath = path.join(dir, 'read-back.dbf');
    await writeFile(dbfPath, dbf);
    const source = await shapefile.openDbf(dbfPath);
    const rows: Record<string, unknown>[] = [];
    for (let r = await source.read(); !r.done; r = await source.read()) rows.push(r.value as Record<string, unknown>);
    const zones = habitatByRlb(document.gcn);
    assert.deepEqual(rows.map((r) => [r.RLB_ID, r.JOB_ID, r.STATUS, r.RED_M2, r.AMBER_M2, r.GREEN_M2]),
      zones.map((z, i) => [i + 1, 'cli', 'assessed', Math.round(z.Red * 100) / 100, Math.round(z.Amber * 100) / 100, Math.round(z.Green * 100) / 100]));
    assert.deepEqual(rows.map((r) => r.AREA_HA), document.rlbs.map((r) => r.areaHa));
    assert.ok((await readdir(dir)).includes('read-back.dbf'));
  });

  test('a rejected survey file exits 2 with the coded error on stdout', async () => {
    const bad = path.join(dir, 'bad-ponds.geojson');
    await writeFile(bad, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:27700' } }, features: [{ type: 'Feature', properties: { Colour: 'blue' }, geometry: { type: 'Point', coordinates: [530000, 180000] } }] }));
    const { options: o, out } = options({ surveyPonds: bad });
    assert.equal(await runGcnAssess(o), 2);
    const printed = JSON.parse(out.join('')) as { error: { code: string; kind: string; detail: { reason: string } } };
    assert.equal(printed.error.code, 'invalid_survey_ponds');
    assert.equal(printed.error.kind, 'input');
    assert.equal(printed.error.detail.reason, 'missing_pans_column');
  });
});
