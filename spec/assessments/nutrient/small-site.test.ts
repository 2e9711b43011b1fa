// nutrient.md §12.4: the small-site regression from shapefile, zip and GeoJSON, both rule sets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeNutrientCsv } from '../../../lib/assessments/nutrient/index.js';
import { round2 } from '../../../lib/assessments/nutrient/numbers.js';
import type { NutrientRecord } from '../../../lib/assessments/nutrient/types.js';
import type { TestDatabase } from '../../support/pg.js';
import { needsSharedData, sharedPath } from '../../support/data.js';
import { csvRecords } from './csv-parse.js';
import { assess, nutrientDb, readSites, withinTolerance } from './support.js';

const INPUTS = {
  shapefile: sharedPath('inputs/nutrients/BnW_small_under_1_hectare/BnW_small_under_1_hectare.shp'),
  zip: sharedPath('inputs/nutrients/BnW_small_under_1_hectare.zip'),
  geojson: sharedPath('inputs/nutrients/BnW_small_under_1_hectare_geojson/BnW_small_under_1_hectare.geojson'),
};
const TEXT = ['id', 'Name', 'Dwel_Cat', 'Source', 'Dev_SubCatchment', 'Majority_LPA', 'WwTW_name', 'WwTw_SubCatchment', 'NN_Catchment'] as const;
const NUMERIC = [
  'RLB_ID', 'Dwellings', 'Dev_Area_Ha', 'Majority_WwTw_ID', 'Occ_Rate', 'Water_Usage_L_Day', 'Litres_used', 'Nitrogen_2025_2030',
  'Nitrogen_2030_onwards', 'Phosphorus_2025_2030', 'Phosphorus_2030_onwards', 'N_WwTW_Temp', 'P_WwTW_Temp', 'N_WwTW_Perm', 'P_WwTW_Perm',
  'AreaInNNCatchment',
] as const;
const RULESETS = ['v1', 'v2'] as const;

function expectedCsv(): string {
  return readFileSync(sharedPath('expected/nutrients/BnW_small_under_1_hectare.csv'), 'utf8').replace(/\r/g, '');
}

/** §12.4: `Total = round2(B + |B| × 0.2)`, `B = (post ?? 0) + perm_raw`, perm_raw recomputed here. */
function assertTotalIdentity(r: NutrientRecord): void {
  const raw = (c: number | null): number => (r.Occ_Rate === null || r.Water_Usage_L_Day === null || c === null ? 0 : r.Dwellings * (r.Occ_Rate * r.Water_Usage_L_Day) * 365.25 * ((c / 1e6) * 0.9));
  const bN = (r.N_LU_postSuDS ?? 0) + raw(r.Nitrogen_2030_onwards);
  const bP = (r.P_LU_postSuDS ?? 0) + raw(r.Phosphorus_2030_onwards);
  assert.equal(r.N_Total, round2(bN + Math.abs(bN) * 0.2), `N_Total identity, RLB ${r.RLB_ID}`);
  assert.equal(r.P_Total, round2(bP + Math.abs(bP) * 0.2), `P_Total identity, RLB ${r.RLB_ID}`);
}

describe('small-site regression with the `test` layer (§12.4)', needsSharedData(), () => {
  let db: TestDatabase;
  before(async () => {
    db = await nutrientDb('test');
  });
  after(async () => db?.drop());

  for (const [kind, file] of Object.entries(INPUTS)) {
    for (const ruleset of RULESETS) {
      test(`${kind}, ${ruleset}: the 23 coefficient-independent columns and coverage match Natural England`, async () => {
        const run = await assess(db.sql, await readSites(db.sql, file), { ruleset });
        const [expected] = csvRecords(expectedCsv());
        assert.ok(expected);
        assert.equal(run.rlbs.length, 1);
        const record = run.rlbs[0]?.record as NutrientRecord;
        for (const column of TEXT) assert.equal(record[column] ?? '', expected[column], column);
        for (const column of NUMERIC) {
          const e = expected[column] === '' ? null : Number(expected[column]);
          assert.ok(withinTolerance(record[column], e), `${column}: ${record[column]} vs ${e}`);
        }
        assertTotalIdentity(record);
      });
    }
  }
});

describe('small-site regression with the `test-urban` layer (§12.4)', needsSharedData(), () => {
  let db: TestDatabase;
  before(async () => {
    db = await nutrientDb('test-urban');
  });
  after(async () => db?.drop());

  for (const ruleset of RULESETS) {
    test(`${ruleset}: the whole CSV is byte-identical for all three inputs, with identical records`, async () => {
      const records: string[] = [];
      for (const file of Object.values(INPUTS)) {
        const run = await assess(db.sql, await readSites(db.sql, file), { ruleset });
        assert.equal(writeNutrientCsv(run.rlbs), expectedCsv());
        const record = run.rlbs[0]?.record as NutrientRecord;
        assert.deepEqual(record.nn_catchment_entries, [{ oid: '31', name: 'River Wensum SAC' }]);
        assert.equal(record.dwelling_density, 33.333333333333336);
        assert.deepEqual(record.warnings, []);
        records.push(JSON.stringify(record));
      }
      assert.equal(new Set(records).size, 1);
    });
  }
});
