// resolveLevies, the batch levy of a file job (levy.md §5–§9), against a cloned PostGIS database:
// the same results, errors and logs as pricing the sites one by one with resolveLevy, in a number
// of statements that does not grow with the number of sites.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import type Logger from 'bunyan';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { needsSharedData, sharedPath } from '../../support/data.js';
import { resolveLevies, resolveLevy, type SiteLevy } from '../../../lib/assessments/levy/resolve.js';
import { levyModelFor } from '../../../lib/assessments/levy/registry.js';
import { JobError } from '../../../lib/errors.js';
import type { Sql } from '../../../lib/db/sql.js';
import type { Site } from '../../../lib/geo/types.js';
import { readSites } from '../nutrient/support.js';
import { activate, activeVersion, addCharges, addEdps, addIndices, ensureLevyFixtures, shippedIndices, siteFromGeoJson, squareSite, type ChargeRow } from './fixtures.js';

interface LogLine { level: 'info' | 'error'; fields: Record<string, unknown>; message: string }

function captureLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const push = (level: LogLine['level']) => (fields: Record<string, unknown>, message: string): void => void lines.push({ level, fields, message });
  return { log: { info: push('info'), error: push('error') } as unknown as Logger, lines };
}

/** A second client on the clone that counts the statements it sends (postgres.js `debug` hook). */
async function countingClient(url: string): Promise<{ sql: Sql; count: () => number; reset: () => void }> {
  let statements = 0;
  const sql = postgres(url, { max: 1, onnotice: () => undefined, debug: () => void (statements += 1) });
  await sql`SELECT 1`; // the connection's own start-up queries (array types) are not the levy's
  return { sql, count: () => statements, reset: () => void (statements = 0) };
}

const comparable = (levy: unknown): unknown => (levy instanceof JobError ? { code: levy.code, detail: levy.detail, message: levy.message } : levy);

/** What pricing the sites one after the other gives: per site its levy or its unresolved error; a thrown data error ends it. */
async function oneByOne(sql: Sql, sites: readonly Site[], units: number, calculationDate: string, log?: Logger): Promise<{ out: unknown[]; threw: unknown }> {
  const out: unknown[] = [];
  for (const site of sites) {
    try {
      out.push(await resolveLevy({ sql, site, units, calculationDate, signal: new AbortController().signal, log }));
    } catch (error) {
      if (error instanceof JobError && error.code === 'levy_edp_unresolved') out.push(comparable(error));
      else return { out, threw: comparable(error) };
    }
  }
  return { out, threw: null };
}

async function batch(sql: Sql, sites: readonly Site[], units: number, calculationDate: string, log?: Logger): Promise<{ out: unknown[]; threw: unknown }> {
  try {
    return { out: (await resolveLevies({ sql, sites, units, calculationDate, signal: new AbortController().signal, log })).map(comparable), threw: null };
  } catch (error) {
    return { out: [], threw: comparable(error) };
  }
}

/** The batch equals the one-by-one run: results, the error thrown (if any) and every log line in order. */
async function assertSameAsOneByOne(sql: Sql, sites: readonly Site[], units: number, calculationDate: string): Promise<{ out: unknown[]; threw: unknown; lines: LogLine[] }> {
  const single = captureLog();
  const many = captureLog();
  const expected = await oneByOne(sql, sites, units, calculationDate, single.log);
  const actual = await batch(sql, sites, units, calculationDate, many.log);
  assert.deepEqual(actual.threw, expected.threw);
  if (expected.threw === null) assert.deepEqual(actual.out, expected.out);
  assert.deepEqual(many.lines, single.lines);
  return { ...actual, lines: many.lines };
}

describe('resolveLevies with the shipped fixtures', needsSharedData(), () => {
  let db: TestDatabase;
  let sites: Site[];

  before(async () => {
    db = await cloneTemplate();
    await ensureLevyFixtures(db.sql);
    const named = [
      await siteFromGeoJson(db.sql, 'inputs', 'nutrients', 'BnW_small_under_1_hectare_geojson', 'BnW_small_under_1_hectare.geojson'),
      await siteFromGeoJson(db.sql, 'inputs', 'nutrients', 'no_edp_intersection.geojson'),
      await siteFromGeoJson(db.sql, 'inputs', 'nutrients', 'intersects_bure_broads.geojson'),
    ];
    const batchSites = await readSites(db.sql, sharedPath('inputs/nutrients/BnW_cleaned_110925/BnW_cleaned_110925.shp'), true);
    sites = [...named, ...batchSites].map((site, i) => ({ ...site, rlbId: i + 1, attributes: null }));
  });
  after(async () => db?.drop());

  test('the 245-site Broads & Wensum batch and three named sites: the same as one by one, resolved and unresolved', async () => {
    const { out, lines } = await assertSameAsOneByOne(db.sql, sites, 10, '2026-06-01');
    assert.equal(out.length, sites.length);
    const unresolved = out.filter((r) => (r as { code?: string }).code === 'levy_edp_unresolved');
    assert.ok(unresolved.length > 0 && unresolved.length < sites.length, `${unresolved.length} unresolved of ${sites.length}`);
    assert.deepEqual(out[1], { code: 'levy_edp_unresolved', detail: { reason: 'no_edp' }, message: new JobError('levy_edp_unresolved').message });
    assert.equal((out[0] as { edpId: number }).edpId, 1);
    assert.equal(lines.filter((l) => l.fields.event && (l.fields.event as { action: string }).action === 'levy.calculated').length, sites.length - unresolved.length);
  });

  test('another year with its index, and without it: the same as one by one', async () => {
    const indices = await activeVersion(db.sql, 'levy_inflation_index');
    try {
      const { threw } = await assertSameAsOneByOne(db.sql, sites, 3, '2027-03-01');
      assert.equal((threw as { detail: { reason: string } }).detail.reason, 'no_index');
      await addIndices(db.sql, [...shippedIndices(), [2027, '410']]);
      const { out } = await assertSameAsOneByOne(db.sql, sites, 3, '2027-03-01');
      assert.equal((out[0] as { record: { inflation_adjusted_amount: string } }).record.inflation_adjusted_amount, '8225.63'); // 8025 × 410 / 400 = 8225.625
    } finally {
      await activate(db.sql, 'levy_inflation_index', indices!);
    }
  });

  test('dwellings per site (the legacy CLI): each site priced with its own units, as one by one', async () => {
    const unitsOf = (site: Site): number => (site.rlbId % 7) + 1;
    const many = await resolveLevies({ sql: db.sql, sites, units: unitsOf, calculationDate: '2026-06-01', signal: new AbortController().signal });
    let priced = 0;
    for (const [i, site] of sites.entries()) {
      const got = many[i];
      if (got instanceof JobError) continue;
      const alone = await resolveLevy({ sql: db.sql, site, units: unitsOf(site), calculationDate: '2026-06-01', signal: new AbortController().signal });
      assert.deepEqual(got, alone, `RLB ${site.rlbId}`);
      assert.equal(got?.record.units, unitsOf(site));
      priced += 1;
    }
    assert.ok(priced > 100, `${priced} sites priced`);
  });

  test('three statements for one site or 248 (same year); the quote path uses three as well', async () => {
    const counter = await countingClient(db.url);
    try {
      for (const n of [1, 3, sites.length]) {
        counter.reset();
        await resolveLevies({ sql: counter.sql, sites: sites.slice(0, n), units: 1, calculationDate: '2026-06-01', signal: new AbortController().signal });
        assert.equal(counter.count(), 3, `${n} sites`);
      }
      counter.reset();
      await resolveLevy({ sql: counter.sql, site: sites[0]!, units: 1, calculationDate: '2026-06-01', signal: new AbortController().signal });
      assert.equal(counter.count(), 3);
    } finally {
      await counter.sql.end();
    }
  });
});

describe('resolveLevies (synthetic boundaries)', () => {
  let db: TestDatabase;
  const signal = new AbortController().signal;
  // Alpha (name key) and Beta (name key) share the edge x = 601000; Seven (EDP_Id 7) stands apart.
  const ALPHA: [number, number, number] = [599000, 299000, 2000];
  const BETA: [number, number, number] = [601000, 299000, 2000];
  const SEVEN: [number, number, number] = [610000, 299000, 1000];
  const CHARGES: ChargeRow[] = [
    { edp_id: 1, edp_name: '  Alpha EDP ', edp_start_date: '2026-01-01', charge_valid_from: '2026-01-01', charge_valid_to: '2027-12-31', base_charge_per_unit: '1000.00', model_version: 1 },
    { edp_id: 2, edp_name: 'Beta EDP', edp_start_date: '2026-01-01', charge_valid_from: '2026-01-01', charge_valid_to: '2027-12-31', base_charge_per_unit: '500.00', model_version: 1 },
    { edp_id: 7, edp_name: 'Seven (by id)', edp_start_date: '2025-01-01', charge_valid_from: '2025-01-01', charge_valid_to: '2027-12-31', base_charge_per_unit: '700.00', model_version: 3 },
  ];
  const site = {
    alpha: squareSite(600000, 300000, 100, 1),
    betaTouchingAlpha: squareSite(601000, 300000, 100, 2), // inside Beta, shares Alpha's east edge
    straddling: squareSite(600950, 300000, 100, 3), // 50 m in Alpha, 50 m in Beta
    nowhere: squareSite(605000, 300000, 100, 4),
    edgeOfSeven: squareSite(611000, 299500, 100, 5), // touches Seven along its east edge only
    cornerOfSeven: squareSite(609950, 298950, 100, 6), // overlaps Seven's south-west corner (50 m × 50 m), not covered
    pointOfSeven: squareSite(611000, 300000, 50, 7), // touches Seven's north-east corner only
    seven: squareSite(610100, 299100, 100, 8),
  };
  const withRlb = (s: Site, rlbId: number): Site => ({ ...s, rlbId, sourceFeature: rlbId - 1 });

  before(async () => {
    db = await cloneTemplate();
    await addEdps(db.sql, [
      { square: ALPHA, attributes: { EDP_Name: 'Alpha EDP' } },
      { square: BETA, attributes: { EDP_Name: 'Beta EDP' } },
      { square: SEVEN, attributes: { EDP_Name: 'Seven North', EDP_Id: 7 } },
    ]);
    await addCharges(db.sql, CHARGES);
    await addIndices(db.sql, [[2025, '391'], [2026, '400']]);
  });
  after(async () => db?.drop());

  const run = (sites: readonly Site[], calculationDate = '2026-05-05', log?: Logger): Promise<SiteLevy[]> =>
    resolveLevies({ sql: db.sql, sites, units: 2, calculationDate, signal, log });

  test('every kind of site in one call: the same as one by one; touching along an edge or at a point is no EDP', async () => {
    const sites = Object.values(site);
    const { out } = await assertSameAsOneByOne(db.sql, sites, 2, '2026-05-05');
    const summary = out.map((r) => ('code' in (r as object) ? (r as { detail: unknown }).detail : [(r as { edpId: number }).edpId, (r as { edpName: string }).edpName]));
    assert.deepEqual(summary, [
      [1, 'Alpha EDP'],
      [2, 'Beta EDP'],
      { reason: 'multiple_edps', edps: ['Alpha EDP', 'Beta EDP'] },
      { reason: 'no_edp' },
      { reason: 'no_edp' },
      [7, 'Seven North'],
      { reason: 'no_edp' },
      [7, 'Seven North'],
    ]);
    // Seven starts in 2025: its sites apply the 391 → 400 index, the others do not.
    const seven = out[7] as { levyGbp: { amountInflationAdjusted: number }; record: { start_year_cil_index: string | null } };
    assert.deepEqual([seven.levyGbp.amountInflationAdjusted, seven.record.start_year_cil_index], [1432.23, '391.0000']); // 1400 × 400 / 391
  });

  test('the results come back in input order, unresolved sites as their errors (through the registry)', async () => {
    const sites = [withRlb(site.nowhere, 1), withRlb(site.seven, 2), withRlb(site.alpha, 3), withRlb(site.straddling, 4)];
    const out = await levyModelFor('nutrient')!.resolveMany({ sql: db.sql, sites, units: 2, calculationDate: '2026-05-05', signal });
    assert.equal(out.length, 4);
    assert.ok(out[0] instanceof JobError && out[0].code === 'levy_edp_unresolved');
    assert.deepEqual(out.map((r) => (r instanceof JobError ? r.detail.reason : r.edpId)), ['no_edp', 7, 1, 'multiple_edps']);
    assert.deepEqual(await run([]), []);
  });

  test('precedence: a site that reaches a data error throws it even after an unresolved site; later sites do not matter', async () => {
    const charges = await activeVersion(db.sql, 'levy_charges');
    try {
      const withoutBeta = await addCharges(db.sql, CHARGES.filter((c) => c.edp_id !== 2)); // Beta has no charge row
      const captured = captureLog();
      await assert.rejects(run([site.nowhere, site.betaTouchingAlpha, site.seven], '2026-05-05', captured.log), (error: unknown) => {
        assert.ok(error instanceof JobError);
        assert.equal(error.code, 'levy_data_missing');
        assert.deepEqual(error.detail, { reason: 'no_charge', table: 'levy_charges', activeVersion: withoutBeta, edp: 'Beta EDP', date: '2026-05-05' });
        return true;
      });
      assert.deepEqual(captured.lines.map((l) => [l.level, (l.fields.event as { action: string }).action]), [['error', 'levy.data_error']]);
      // The sites before it are priced and logged first, exactly as one by one.
      const { threw, lines } = await assertSameAsOneByOne(db.sql, [site.alpha, site.nowhere, site.betaTouchingAlpha, site.seven], 2, '2026-05-05');
      assert.equal((threw as { detail: { reason: string } }).detail.reason, 'no_charge');
      assert.deepEqual(lines.map((l) => (l.fields.event as { action: string }).action), ['levy.calculated', 'levy.data_error']);
      // A data error no site reaches is not thrown: Beta's site is unresolved or absent.
      assert.deepEqual((await run([site.nowhere, site.straddling, site.alpha])).map((r) => (r instanceof JobError ? r.detail.reason : r.edpId)), ['no_edp', 'multiple_edps', 1]);
    } finally {
      await activate(db.sql, 'levy_charges', charges!);
    }
  });

  test('the first data error in site order wins; an index error only for a site that needs the index', async () => {
    const indices = await activeVersion(db.sql, 'levy_inflation_index');
    const charges = await activeVersion(db.sql, 'levy_charges');
    try {
      await addIndices(db.sql, [[2026, '400']]); // no 2025: Seven (start 2025) cannot be indexed
      assert.deepEqual((await run([site.alpha, site.betaTouchingAlpha])).map((r) => (r instanceof JobError ? r.code : r.edpId)), [1, 2]);
      const noIndex = await assertSameAsOneByOne(db.sql, [site.alpha, site.nowhere, site.seven, site.betaTouchingAlpha], 2, '2026-05-05');
      assert.deepEqual((noIndex.threw as { detail: unknown }).detail, { reason: 'no_index', table: 'levy_inflation_index', activeVersion: await activeVersion(db.sql, 'levy_inflation_index'), startYear: 2025, calculationYear: 2026, missingYears: [2025] });
      await addCharges(db.sql, [...CHARGES.filter((c) => c.edp_id !== 2), { ...CHARGES[1]!, base_charge_per_unit: '12.50' }]); // Beta fractional
      const betaFirst = await assertSameAsOneByOne(db.sql, [site.betaTouchingAlpha, site.seven], 2, '2026-05-05');
      assert.equal((betaFirst.threw as { detail: { reason: string } }).detail.reason, 'fractional_base_charge');
      const sevenFirst = await assertSameAsOneByOne(db.sql, [site.seven, site.betaTouchingAlpha], 2, '2026-05-05');
      assert.equal((sevenFirst.threw as { detail: { reason: string } }).detail.reason, 'no_index');
      await addIndices(db.sql, []); // an empty active index: only sites that need an index reach it
      assert.equal((await run([site.nowhere, site.alpha])).length, 2);
      const empty = await assertSameAsOneByOne(db.sql, [site.nowhere, site.alpha, site.seven], 2, '2026-05-05');
      assert.deepEqual([(empty.threw as { detail: { reason: string; table: string } }).detail.reason, (empty.threw as { detail: { table: string } }).detail.table], ['no_levy_tables', 'levy_inflation_index']);
    } finally {
      await activate(db.sql, 'levy_inflation_index', indices!);
      await activate(db.sql, 'levy_charges', charges!);
    }
  });

  test('overlapping charge windows are reported for the site that reaches them', async () => {
    const charges = await activeVersion(db.sql, 'levy_charges');
    try {
      await addCharges(db.sql, [...CHARGES, { ...CHARGES[0]!, charge_valid_from: '2026-03-01', base_charge_per_unit: '1100.00' }]);
      assert.deepEqual((await run([site.nowhere, site.betaTouchingAlpha])).map((r) => (r instanceof JobError ? r.detail.reason : r.edpId)), ['no_edp', 2]);
      const { threw } = await assertSameAsOneByOne(db.sql, [site.betaTouchingAlpha, site.alpha], 2, '2026-05-05');
      assert.deepEqual((threw as { code: string; detail: { reason: string; edp: unknown } }).detail.edp, 'Alpha EDP');
      assert.equal((threw as { code: string }).code, 'levy_data_invalid');
    } finally {
      await activate(db.sql, 'levy_charges', charges!);
    }
  });

  test('the statement count does not grow with the sites: 3 in the start year, 4 when an index is read', async () => {
    const counter = await countingClient(db.url);
    const many = Array.from({ length: 60 }, (_, i) => squareSite(599100 + (i % 10) * 150, 299100 + Math.floor(i / 10) * 150, 100, i + 1));
    try {
      for (const [sites, expected] of [[[site.alpha], 3], [many, 3], [[...many, site.nowhere, site.straddling], 3], [[site.seven], 4], [[...many, site.seven, site.seven], 4], [[site.nowhere], 2]] as const) {
        counter.reset();
        await resolveLevies({ sql: counter.sql, sites, units: 1, calculationDate: '2026-05-05', signal });
        assert.equal(counter.count(), expected, `${sites.length} sites`);
      }
    } finally {
      await counter.sql.end();
    }
  });

  test('an aborted signal cancels the batch', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutdown'));
    await assert.rejects(resolveLevies({ sql: db.sql, sites: [site.alpha, site.seven], units: 1, calculationDate: '2026-05-05', signal: controller.signal }), /shutdown/);
  });
});
