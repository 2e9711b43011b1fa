import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calculateNutrient } from '../../../lib/assessments/nutrient/calculate.js';
import { csvField, writeNutrientCsv } from '../../../lib/assessments/nutrient/csv.js';
import { LEGACY_COLUMNS } from '../../../lib/assessments/nutrient/types.js';
import { needsSharedData, sharedPath } from '../../support/data.js';
import { WENSUM_31, lookups, params, piece, rlb } from './fixtures.js';

function smallSite() {
  const input = rlb({ dwellings: 1, areaM2: 259.3920144687098, wwtw: '1065', opcat: 'Wensum', lpa: "King's Lynn and West Norfolk District (B)", pieces: [piece(0.02593920144687098, [12.3, 12.3], [1.3, 1.3], WENSUM_31)] });
  input.attributes = { ...input.attributes, id: '24/00119/F', name: 'Old White Horse Station Road East Rudham', dwellingCategory: 'in-system', source: 'RHK_West Norfolk_System' };
  return input;
}

describe('legacy CSV writer (§8.3)', () => {
  test('header is the 31 columns of §8.1; LF; final newline; no BOM', () => {
    const csv = writeNutrientCsv([]);
    assert.equal(csv, `${LEGACY_COLUMNS.join(',')}\n`);
    assert.equal(LEGACY_COLUMNS.length, 31);
  });

  test('the small site written from the worked example equals Natural England\'s file byte for byte', needsSharedData(), () => {
    const expected = readFileSync(sharedPath('expected/nutrients/BnW_small_under_1_hectare.csv'), 'utf8').replace(/\r/g, '');
    const header = readFileSync(sharedPath('expected/nutrients/RLB_ID.txt'), 'utf8').replace(/\r/g, '').trim().split('\n');
    assert.deepEqual([...LEGACY_COLUMNS], header);
    for (const ruleset of ['v1', 'v2'] as const) {
      assert.equal(writeNutrientCsv(calculateNutrient([smallSite()], lookups(), params({ ruleset }))), expected);
    }
  });

  test('minimal RFC 4180 quoting, verbatim text', () => {
    assert.equal(csvField('plain text '), 'plain text ');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  });

  test('out-of-scope rows are left out (RLB_ID gaps) and nulls are empty fields', () => {
    const rows = calculateNutrient([
      rlb({ rlbId: 1, dwellings: 2, areaM2: 4000, wwtw: '938' }),
      rlb({ rlbId: 2, dwellings: 2, areaM2: 4000, wwtw: null }),
      rlb({ rlbId: 3, dwellings: 2, areaM2: 4000, wwtw: '1184', pieces: [piece(0.4, [1, 2], [0.1, 0.2])] }),
    ], lookups(), params());
    const lines = writeNutrientCsv(rows).trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1] ?? '', /^1,site-1,,,,2,0\.4,,,Yare,Broadland District,938,Whitlingham Water Recycling Centre,Yare,,,,,,,,27\.0,10\.0,1\.0,0\.25,,,,,0\.0,0\.0$/);
    assert.match(lines[2] ?? '', /^3,site-3,/);
  });

  test('extended variant appends entries, density and warning codes', () => {
    const csv = writeNutrientCsv(calculateNutrient([rlb({ rlbId: 1, dwellings: 2, areaM2: 4000, wwtw: '938' })], lookups(), params()), { extended: true });
    const [header, row] = csv.trimEnd().split('\n');
    assert.ok(header?.endsWith(',P_Total,nn_catchment_entries,dwelling_density,warnings'));
    assert.ok(row?.endsWith(',,5.0,outside_nn_catchments;wastewater_rates_missing'));
    const small = writeNutrientCsv(calculateNutrient([smallSite()], lookups(), params()), { extended: true });
    assert.ok(small.trimEnd().endsWith(',31:River Wensum SAC,33.333333333333336,'));
  });
});
