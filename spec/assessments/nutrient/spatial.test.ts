// The PostGIS steps on hand-made layers: version guard (§5.5), cancellation and the statement
// timeout, majority rules E15/E16, coverage gap/overlap E17/E18, WGS84 RLBs, quote catchments.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Polygon } from 'geojson';
import wkx from 'wkx';
import postgres from 'postgres';
import { JobError } from '../../../lib/errors.js';
import { runNutrientAssessment, toQuoteCatchments } from '../../../lib/assessments/nutrient/index.js';
import { runSpatialSteps } from '../../../lib/assessments/nutrient/spatial.js';
import type { Site } from '../../../lib/geo/types.js';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { needsSharedData } from '../../support/data.js';
import { params } from './fixtures.js';

const square = (x: number, y: number, w: number, h = w): Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] });
const X = 500_000;
const Y = 200_000;

async function installLayer(db: TestDatabase, table: string, features: { geometry: Polygon; attributes: Record<string, unknown> }[]): Promise<number> {
  const next = await db.sql<{ v: number }[]>`SELECT coalesce(max(version), 0) + 1 AS v FROM ${db.sql(table)}`;
  const v = next[0]?.v ?? 1;
  for (const f of features) {
    const hex = wkx.Geometry.parseGeoJSON(f.geometry).toWkb().toString('hex');
    await db.sql`INSERT INTO ${db.sql(table)} (version, geometry, attributes) VALUES (${v}, ST_Multi(ST_SetSRID(ST_GeomFromWKB(decode(${hex}, 'hex')), 27700)), ${db.sql.json(f.attributes as postgres.JSONValue)})`;
  }
  await activate(db, table, v);
  return v;
}

async function installParcels(db: TestDatabase, parcels: { id: string; geometry: Polygon; curr: number; resi: number }[]): Promise<void> {
  const next = await db.sql<{ v: number }[]>`SELECT coalesce(max(version), 0) + 1 AS v FROM coefficient_layer`;
  const v = next[0]?.v ?? 1;
  for (const p of parcels) {
    const hex = wkx.Geometry.parseGeoJSON(p.geometry).toWkb().toString('hex');
    await db.sql`INSERT INTO coefficient_layer (version, crome_id, land_use_cat, nn_catchment, subcatchment, lu_curr_n_coeff, lu_curr_p_coeff, n_resi_coeff, p_resi_coeff, geometry)
      VALUES (${v}, ${p.id}, 'Arable', 'x', 'x', ${p.curr}, ${p.curr / 10}, ${p.resi}, ${p.resi / 10}, ST_Multi(ST_SetSRID(ST_GeomFromWKB(decode(${hex}, 'hex')), 27700)))`;
  }
  await activate(db, 'coefficient_layer', v);
}

async function activate(db: TestDatabase, table: string, version: number): Promise<void> {
  await db.sql`INSERT INTO data_active_version (table_name, active_version) VALUES (${table}, ${version})
    ON CONFLICT (table_name) DO UPDATE SET active_version = EXCLUDED.active_version, updated_at = now()`;
}

const site = (rlbId: number, geometry: Polygon): Site => ({ rlbId, sourceFeature: rlbId - 1, geometry, attributes: null });

describe('nutrient spatial statements on hand-made layers', () => {
  let db: TestDatabase;
  before(async () => {
    db = await cloneTemplate();
    // A 1 km world: two NN polygons sharing a Label and overlapping, one with a blank Label; two
    // WwTW features with equal areas over the west half; parcels covering only the north half,
    // two of them overlapping.
    await installLayer(db, 'nn_catchments', [
      { geometry: square(X, Y, 600, 1000), attributes: { N2K_Site_N: 'The Broads SAC', OID: 40, Label: 'Bure Broads and Marshes' } },
      { geometry: square(X + 400, Y, 600, 1000), attributes: { N2K_Site_N: 'The Broads SAC', OID: 33, Label: 'Bure Broads and Marshes' } },
      { geometry: square(X, Y + 1000, 1000, 100), attributes: { N2K_Site_N: 'The Broads SAC', OID: 50, Label: ' ' } },
    ]);
    await installLayer(db, 'wwtw_catchments', [
      { geometry: square(X, Y, 500, 500), attributes: { WwTw_ID: 9 } },
      { geometry: square(X, Y + 500, 500, 500), attributes: { WwTw_ID: 10 } },
      { geometry: square(X + 500, Y, 500, 1000), attributes: { WwTw_ID: 938 } },
    ]);
    await installLayer(db, 'lpa_boundaries', [{ geometry: square(X, Y, 1000, 1000), attributes: { NAME: 'Testshire' } }]);
    await installLayer(db, 'subcatchments', [{ geometry: square(X - 1000, Y, 1000, 1000), attributes: { OPCAT_NAME: 'Touching' } }]);
    await installParcels(db, [
      { id: 'P-A', geometry: square(X, Y + 500, 1000, 500), curr: 10, resi: 12 },
      { id: 'P-B', geometry: square(X, Y + 500, 200, 200), curr: 10, resi: 12 },
    ]);
  });
  after(async () => db?.drop());

  test('E16: an exact tie goes to the smaller value as text, counted for majority_tie; E15: a touch is no candidate', async () => {
    const result = await runSpatialSteps({ sql: db.sql, rlbs: [site(1, square(X, Y + 400, 200, 200))], sqlTimeoutMs: 60_000, signal: AbortSignal.timeout(60_000) });
    const s = result.spatial.get(1);
    assert.deepEqual(s?.wwtw, { value: '10', areaM2: 20_000, ties: 2 });
    assert.equal(s?.subcatchment, null, 'the sub-catchment only touches the RLB');
    assert.deepEqual(s?.lpa, { value: 'Testshire', areaM2: 40_000, ties: 1 });
    const run = await runNutrientAssessment({ sql: db.sql, sites: [site(1, square(X, Y + 400, 200, 200))], dwellings: 5, params: params(), signal: AbortSignal.timeout(60_000) });
    const codes = run.rlbs[0]?.record.warnings.map((w) => w.code);
    assert.ok(codes?.includes('majority_tie') && codes.includes('subcatchment_unknown') && codes.includes('wwtw_not_in_lookup'));
  });

  // Works 938 must be in the active wwtw_lookup (the public look-ups) for the uncovered RLB to stay
  // in scope and carry its coverage warning; the synthetic world has no such row.
  test('E17/E18: coverage gap and overlapping parcels', needsSharedData(), async () => {
    const run = await runNutrientAssessment({ sql: db.sql, sites: [site(1, square(X + 50, Y + 550, 100, 100)), site(2, square(X + 600, Y + 100, 100, 100))], dwellings: 5, params: params(), signal: AbortSignal.timeout(60_000) });
    const [doubled, south] = run.rlbs;
    // RLB 1 (1 ha) lies under both P-A and P-B: 2 ha of pieces on 1 ha of NN land.
    assert.equal(doubled?.record.AreaInNNCatchment, 2.0);
    assert.ok(doubled?.record.warnings.some((w) => w.code === 'coefficient_overlap'));
    assert.equal(south?.record.AreaInNNCatchment, null);
    assert.ok(south?.record.warnings.some((w) => w.code === 'coefficient_coverage_gap'));
    assert.ok(south?.record.warnings.some((w) => w.code === 'outside_nn_catchments'));
  });

  test('quote catchments: dissolved per Label, blank labels dropped, smallest OID, % of the RLB', async () => {
    const run = await runNutrientAssessment({ sql: db.sql, sites: [site(1, square(X + 300, Y + 900, 400, 200))], dwellings: 1, params: params(), signal: AbortSignal.timeout(60_000) });
    const r = run.rlbs[0];
    assert.ok(r);
    assert.deepEqual(toQuoteCatchments(r), [{ label: 'Bure Broads and Marshes', catchmentId: '33', catchmentOverlapPercentage: 50 }]);
  });

  test('WGS84 RLBs are transformed in PostGIS', async () => {
    const lonLat: Polygon = { type: 'Polygon', coordinates: [[[1.2640, 52.7879], [1.2669, 52.7879], [1.2669, 52.7885], [1.2640, 52.7885], [1.2640, 52.7879]]] };
    const result = await runSpatialSteps({ sql: db.sql, rlbs: [{ rlbId: 1, geometry: lonLat, srid: 4326 }], sqlTimeoutMs: 60_000, signal: AbortSignal.timeout(60_000) });
    const area = result.spatial.get(1)?.shapeAreaM2 ?? 0;
    assert.ok(Math.abs(area - 13_069) < 150, `≈ 1.31 ha, got ${area}`);
  });

  test('a blocked statement is cancelled on the server when the job aborts, and times out at NUTRIENT_SQL_TIMEOUT_MS', async () => {
    const blocker = postgres(db.url, { max: 1, onnotice: () => undefined });
    const locked = new Promise<void>((resolveLocked) => {
      void blocker.begin(async (tx) => {
        await tx`LOCK TABLE lpa_boundaries IN ACCESS EXCLUSIVE MODE`;
        resolveLocked();
        await tx`SELECT pg_sleep(3)`;
      });
    });
    try {
      await locked;
      const controller = new AbortController();
      const started = performance.now();
      const pending = runSpatialSteps({ sql: db.sql, rlbs: [site(1, square(X, Y, 10))], sqlTimeoutMs: 60_000, signal: controller.signal });
      setTimeout(() => controller.abort(new DOMException('job deadline', 'AbortError')), 300);
      await assert.rejects(pending, (e: unknown) => e instanceof DOMException && e.name === 'AbortError');
      assert.ok(performance.now() - started < 2_500, 'returned before the lock was released');
      const active = await db.sql`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      assert.equal(active.length, 0, 'nothing of ours still runs on the server');
      await assert.rejects(
        runSpatialSteps({ sql: db.sql, rlbs: [site(1, square(X, Y, 10))], sqlTimeoutMs: 200, signal: AbortSignal.timeout(60_000) }),
        (e: unknown) => (e as { code?: string }).code === '57014',
      );
    } finally {
      await blocker.end({ timeout: 10 });
    }
  });

  test('reference_data_empty names the table with no pointer or no rows', async () => {
    const saved = await db.sql<{ active_version: number }[]>`SELECT active_version FROM data_active_version WHERE table_name = 'rates_lookup'`;
    try {
      await db.sql`UPDATE data_active_version SET active_version = 999 WHERE table_name = 'rates_lookup'`;
      await assert.rejects(runSpatialSteps({ sql: db.sql, rlbs: [site(1, square(X, Y, 10))], sqlTimeoutMs: 60_000, signal: AbortSignal.timeout(60_000) }),
        (e: unknown) => e instanceof JobError && e.code === 'reference_data_empty' && e.kind === 'data' && e.detail.table === 'rates_lookup' && e.detail.reason === 'no_rows');
      await db.sql`DELETE FROM data_active_version WHERE table_name = 'rates_lookup'`;
      await assert.rejects(runSpatialSteps({ sql: db.sql, rlbs: [site(1, square(X, Y, 10))], sqlTimeoutMs: 60_000, signal: AbortSignal.timeout(60_000) }),
        (e: unknown) => e instanceof JobError && e.detail.table === 'rates_lookup' && e.detail.reason === 'no_active_version');
    } finally {
      await activate(db, 'rates_lookup', saved[0]?.active_version ?? 1);
    }
  });
});
