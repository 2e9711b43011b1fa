// nutrient.md §12.5: the Broads & Wensum batch (245 RLBs, legacy replay, lenient geometry) under
// both rule sets against an in-process oracle that shares no code with the module.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeNutrientCsv, type NutrientRun } from '../../../lib/assessments/nutrient/index.js';
import { round2 } from '../../../lib/assessments/nutrient/numbers.js';
import { LEGACY_COLUMNS, type NutrientRecord, type NutrientRlbResult } from '../../../lib/assessments/nutrient/types.js';
import type { Site } from '../../../lib/geo/types.js';
import type { TestDatabase } from '../../support/pg.js';
import { needsSharedData, sharedPath } from '../../support/data.js';
import { areaOf, bboxOf, bboxesOverlap, intersect, overlaps, readLayer, readLookupsSqlite, toShape, type OracleFeature, type OverlapCandidate } from './oracle.js';
import { assess, nutrientDb, readSites } from './support.js';

const BATCH = sharedPath('inputs/nutrients/BnW_cleaned_110925/BnW_cleaned_110925.shp');
const FALLBACK_NAME = 'Package Treatment Plant default';

interface OracleRow {
  devAreaHa: number;
  wwtwId: number;
  lpa: string;
  opcat: string | null;
  nnCatchment: string | null;
  entries: { oid: string; name: string }[] | null;
  nnAreaHa: number | null;
  rates: [number | null, number | null];
  imputed: boolean;
  works: ReturnType<typeof readLookupsSqlite>['works'] extends Map<number, infer W> ? W | null : never;
  loads: (number | null)[];
  litres: number | null;
  /** Picks whose top two candidates are too close to call in floating point. */
  nearTies: Set<'wwtw' | 'lpa' | 'opcat'>;
}

function nearTie(c: readonly OverlapCandidate[]): boolean {
  const [a, b] = c;
  return a !== undefined && b !== undefined && Math.abs(a.areaM2 - b.areaM2) <= 1e-6 * Math.max(1, a.areaM2);
}

async function buildOracle(sites: readonly Site[]): Promise<Map<number, OracleRow>> {
  const ref = (name: string): Promise<OracleFeature[]> => readLayer(sharedPath(`reference/${name}.gpkg`));
  const [nn, wwtw, lpa, opcat] = await Promise.all([ref('nn_catchments'), ref('wwtw_catchments'), ref('lpa_boundaries'), ref('subcatchments')]);
  const { works, rates } = readLookupsSqlite(sharedPath('reference/lookups.sqlite'));
  const rows = new Map<number, OracleRow>();
  for (const site of sites) {
    const shape = toShape(site.geometry);
    const bbox = bboxOf(shape);
    const w = overlaps(shape, bbox, wwtw, 'WwTw_ID');
    const l = overlaps(shape, bbox, lpa, 'NAME');
    const o = overlaps(shape, bbox, opcat, 'OPCAT_NAME');
    const nnHits = nn.filter((f) => bboxesOverlap(bbox, f.bbox)).map((f) => ({ f, area: areaOf(intersect(shape, f.shape)) })).filter((x) => x.area > 0);
    const names = [...new Set(nnHits.map((x) => String(x.f.attributes.N2K_Site_N)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const entries = nnHits.map((x) => ({ oid: String(x.f.attributes.OID), name: String(x.f.attributes.N2K_Site_N) }));
    const wwtwId = w[0]?.value !== undefined && w[0].value !== null && /^\d+$/.test(w[0].value) ? Number(w[0].value) : 141;
    const nnCatchment = names.length > 0 ? names.join('; ') : null;
    const rate = nnCatchment === null ? undefined : rates.get(nnCatchment);
    rows.set(site.rlbId, {
      devAreaHa: round2(areaOf(shape) / 10_000),
      wwtwId,
      lpa: l[0]?.value ?? 'UNKNOWN',
      opcat: o[0]?.value ?? null,
      nnCatchment,
      entries: entries.length > 0 ? [...new Map(entries.map((e) => [`${e.oid}|${e.name}`, e])).values()].sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0)) : null,
      nnAreaHa: nnHits.length > 0 ? nnHits.reduce((s, x) => s + x.area, 0) / 10_000 : null,
      rates: rate ? [rate[0], rate[1]] : [null, null],
      imputed: false,
      works: works.get(wwtwId) ?? null,
      loads: [],
      litres: null,
      nearTies: new Set([...(nearTie(w) ? ['wwtw' as const] : []), ...(nearTie(l) ? ['lpa' as const] : []), ...(nearTie(o) ? ['opcat' as const] : [])]),
    });
  }
  imputeByWorks(rows);
  for (const [rlbId, row] of rows) {
    const dwellings = sites.find((s) => s.rlbId === rlbId)?.attributes?.dwellings as number;
    const [occ, water] = row.rates;
    row.litres = occ === null || water === null ? null : dwellings * (occ * water);
    row.loads = (row.works?.conc ?? [null, null, null, null]).map((c) => (c === null || row.litres === null ? null : round2(row.litres * 365.25 * ((c / 1e6) * 0.9))));
  }
  return rows;
}

/** Group-mean imputation by works over the whole job (§7.6.2), in RLB_ID order. */
function imputeByWorks(rows: Map<number, OracleRow>): void {
  const groups = new Map<number, OracleRow[]>();
  for (const id of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(id) as OracleRow;
    groups.set(row.wwtwId, [...(groups.get(row.wwtwId) ?? []), row]);
  }
  for (const group of groups.values()) {
    const means = [0, 1].map((k) => {
      const donors = group.map((r) => r.rates[k]).filter((v): v is number => v !== null && v !== undefined);
      return donors.length === 0 ? null : donors.reduce((s, v) => s + v, 0) / donors.length;
    });
    for (const row of group) {
      if (row.rates[0] === null && means[0] !== null) { row.rates[0] = means[0] ?? null; row.imputed = true; }
      if (row.rates[1] === null && means[1] !== null) { row.rates[1] = means[1] ?? null; row.imputed = true; }
    }
  }
}

const codes = (r: NutrientRlbResult): string[] => r.record.warnings.map((w) => w.code);

describe('Broads & Wensum batch (§12.5)', needsSharedData(), () => {
  let db: TestDatabase;
  let sites: Site[];
  const runs: Partial<Record<'v1' | 'v2', NutrientRun>> = {};
  let oracle: Map<number, OracleRow>;

  before(async () => {
    db = await nutrientDb('test');
    sites = await readSites(db.sql, BATCH, true);
    oracle = await buildOracle(sites);
  });
  after(async () => db?.drop());

  for (const ruleset of ['v1', 'v2'] as const) {
    test(`${ruleset}: 245 RLBs, 217 assessed / 28 out of scope, timed with the 100k layer`, async (t) => {
      const started = performance.now();
      const run = await assess(db.sql, sites, { ruleset });
      const seconds = (performance.now() - started) / 1000;
      t.diagnostic(`${ruleset} batch of 245 RLBs: ${seconds.toFixed(2)} s (spatial ${JSON.stringify(run.timings)})`);
      assert.ok(seconds < 60, 'well under a minute');
      runs[ruleset] = run;
      assert.deepEqual(run.rlbs.map((r) => r.rlbId), Array.from({ length: 245 }, (_, i) => i + 1));
      assert.deepEqual(sites.map((s) => s.sourceFeature), Array.from({ length: 245 }, (_, i) => i));
      const out = run.rlbs.filter((r) => r.status === 'out_of_scope');
      assert.equal(run.rlbs.length - out.length, 217);
      assert.equal(out.length, 28);
      for (const r of out) {
        assert.equal(r.record.AreaInNNCatchment, null);
        const expectedReason = r.record.WwTW_name === null ? 'out_of_scope_unknown_wwtw' : 'out_of_scope_package_plant';
        if (r.record.WwTW_name !== null) assert.equal(r.record.WwTW_name, FALLBACK_NAME);
        assert.equal(r.outOfScopeReason, expectedReason);
        assert.deepEqual(r.record.warnings, []);
      }
    });
  }

  test('v1 and v2 give the same partition and agree outside the rule-set columns', () => {
    const v1 = runs.v1?.rlbs ?? [];
    const v2 = runs.v2?.rlbs ?? [];
    assert.equal(v1.length, 245);
    const ruleColumns = new Set(['N_LU_Uplift', 'P_LU_Uplift', 'N_LU_postSuDS', 'P_LU_postSuDS', 'N_Total', 'P_Total']);
    v1.forEach((a, i) => {
      const b = v2[i] as NutrientRlbResult;
      assert.equal(a.status, b.status, `status of RLB ${a.rlbId}`);
      for (const column of LEGACY_COLUMNS) if (!ruleColumns.has(column)) assert.deepEqual(a.record[column], b.record[column], `${column} of RLB ${a.rlbId}`);
      if (a.record.Dev_Area_Ha < 1.0) {
        assert.deepEqual([a.record.N_LU_Uplift, a.record.P_LU_Uplift], [b.record.N_LU_Uplift, b.record.P_LU_Uplift], `uplift of RLB ${a.rlbId}`);
        if (a.record.Dwellings >= 50) assert.deepEqual([a.record.N_LU_postSuDS, a.record.P_LU_postSuDS], [b.record.N_LU_postSuDS, b.record.P_LU_postSuDS]);
      }
    });
  });

  test('the oracle agrees on majorities, NN catchments, rates, lookup and loads', () => {
    for (const run of [runs.v1, runs.v2]) {
      for (const r of run?.rlbs ?? []) {
        const o = oracle.get(r.rlbId) as OracleRow;
        const rec = r.record;
        const at = `RLB ${r.rlbId}`;
        assert.equal(rec.Dev_Area_Ha, o.devAreaHa, `Dev_Area_Ha ${at}`);
        if (!o.nearTies.has('wwtw')) assert.equal(rec.Majority_WwTw_ID, o.wwtwId, `WwTW ${at}`);
        if (!o.nearTies.has('lpa')) assert.equal(rec.Majority_LPA, o.lpa, `LPA ${at}`);
        if (!o.nearTies.has('opcat')) assert.equal(rec.Dev_SubCatchment, o.opcat, `OPCAT ${at}`);
        assert.equal(rec.NN_Catchment, o.nnCatchment, `NN_Catchment ${at}`);
        assert.deepEqual(rec.nn_catchment_entries, o.entries, `entries ${at}`);
        if (o.nnAreaHa === null) assert.equal(rec.AreaInNNCatchment, null, at);
        else assert.ok(Math.abs((rec.AreaInNNCatchment ?? NaN) - round2(o.nnAreaHa)) <= 0.01 + 1e-9, `AreaInNNCatchment ${at}`);
        assert.equal(rec.WwTW_name, o.works?.name ?? null, `WwTW_name ${at}`);
        const sub = o.works?.sub ?? (o.wwtwId === 141 ? o.opcat : null);
        assert.equal(rec.WwTw_SubCatchment, sub, `WwTw_SubCatchment ${at}`);
        for (const [k, value] of [rec.Occ_Rate, rec.Water_Usage_L_Day].entries()) {
          const expected = o.rates[k] ?? null;
          assert.ok(expected === null ? value === null : value !== null && Math.abs(value - expected) <= 1e-9, `rate ${k} ${at}`);
        }
        assert.ok(o.litres === null ? rec.Litres_used === null : Math.abs((rec.Litres_used ?? NaN) - o.litres) <= 1e-6, `Litres_used ${at}`);
        assert.deepEqual([rec.N_WwTW_Temp, rec.N_WwTW_Perm, rec.P_WwTW_Temp, rec.P_WwTW_Perm], [o.loads[0], o.loads[1], o.loads[2], o.loads[3]], `loads ${at}`);
      }
    }
  });

  test('row invariants and warning rules', () => {
    for (const run of [runs.v1, runs.v2]) {
      for (const r of run?.rlbs ?? []) {
        const rec: NutrientRecord = r.record;
        const perm = (c: number | null): number => (rec.Occ_Rate === null || rec.Water_Usage_L_Day === null || c === null ? 0 : rec.Dwellings * (rec.Occ_Rate * rec.Water_Usage_L_Day) * 365.25 * ((c / 1e6) * 0.9));
        const bN = (rec.N_LU_postSuDS ?? 0) + perm(rec.Nitrogen_2030_onwards);
        const bP = (rec.P_LU_postSuDS ?? 0) + perm(rec.Phosphorus_2030_onwards);
        assert.equal(rec.N_Total, round2(bN + Math.abs(bN) * 0.2), `N_Total RLB ${r.rlbId}`);
        assert.equal(rec.P_Total, round2(bP + Math.abs(bP) * 0.2), `P_Total RLB ${r.rlbId}`);
        if (r.status !== 'assessed') continue;
        const c = codes(r);
        if (rec.Occ_Rate === null) assert.ok(c.includes('wastewater_rates_missing'), `rates_missing RLB ${r.rlbId}`);
        if (rec.NN_Catchment?.includes('; ')) assert.ok(c.includes('multiple_nn_catchments'), `multiple RLB ${r.rlbId}`);
        if (rec.AreaInNNCatchment === null) assert.ok(c.includes('outside_nn_catchments'), `outside RLB ${r.rlbId}`);
        if (oracle.get(r.rlbId)?.imputed) assert.ok(c.includes('wastewater_rates_imputed'), `imputed RLB ${r.rlbId}`);
      }
    }
  });

  test('two runs give byte-identical CSVs', async () => {
    const again = await assess(db.sql, sites, { ruleset: 'v1' });
    assert.equal(writeNutrientCsv(again.rlbs), writeNutrientCsv(runs.v1?.rlbs ?? []));
    assert.equal(writeNutrientCsv(again.rlbs, { extended: true }), writeNutrientCsv(runs.v1?.rlbs ?? [], { extended: true }));
    assert.equal(JSON.stringify(again.rlbs.map((r) => r.record)), JSON.stringify(runs.v1?.rlbs.map((r) => r.record)));
  });
});
