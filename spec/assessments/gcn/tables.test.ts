// Pure parts of the GCN tables: code-point order, CONCATENATE_RZ, MaxZone, FREQUENCY grouping,
// the PSV writers and reader (gcn.md §6.4–6.5, §7.2) and the contracts.md §8.3 summary.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareCodePoints, concatenateZones, frequencyTables, maxZone, pondIntermediate, type ClassifiedPond } from '../../../lib/assessments/gcn/tables.js';
import { gcnPsvFiles, parsePsv, psvField, PSV_FILES } from '../../../lib/assessments/gcn/psv.js';
import { habitatByRlb, toGcnSummary } from '../../../lib/assessments/gcn/summary.js';
import type { GcnPsvTables, GcnResultDocument } from '../../../lib/assessments/gcn/types.js';

const pondOf = (p: Partial<ClassifiedPond>): ClassifiedPond => ({ area: 'RLB', seq: 0, pans: 'P', tmpImp: 'F', zones: ['Red'], edpName: 'E', ...p });

describe('GCN table rules', () => {
  test('code-point order: A < NS < P, Buffer < RLB, Amber < Green < Red, F < T, "" first, astral after BMP', () => {
    const sorted = (xs: string[]): string[] => [...xs].sort(compareCodePoints);
    assert.deepEqual(sorted(['P', 'NS', 'A']), ['A', 'NS', 'P']);
    assert.deepEqual(sorted(['RLB', 'Buffer']), ['Buffer', 'RLB']);
    assert.deepEqual(sorted(['Red', 'Green', 'Amber']), ['Amber', 'Green', 'Red']);
    assert.deepEqual(sorted(['b', 'B', '', 'a']), ['', 'B', 'a', 'b']);
    // U+1F600 sorts after U+FF5E by code point, though its UTF-16 lead unit (0xD83D) is smaller.
    assert.deepEqual(sorted(['\u{1F600}', '\uFF5E']), ['\uFF5E', '\u{1F600}']);
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => Math.sign(compareCodePoints(a, b)) === -Math.sign(compareCodePoints(b, a))));
  });

  test('CONCATENATE_RZ and MaxZone', () => {
    assert.equal(concatenateZones(['Red', 'Green', 'Amber', 'Red']), 'Amber:Green:Red');
    assert.equal(concatenateZones(['Green', 'Amber']), 'Amber:Green');
    assert.equal(concatenateZones([]), null);
    assert.equal(maxZone(['Green', 'Amber']), 'Amber');
    assert.equal(maxZone(['Green', 'Red']), 'Red');
    assert.equal(maxZone(['Green']), 'Green');
    assert.equal(maxZone([]), null);
    assert.deepEqual(pondIntermediate(pondOf({ area: 'Buffer', seq: 3, zones: [], edpName: null })), { Pond_ID: 'BUF_3', PANS: 'P', TmpImp: 'F', Area: 'Buffer', CONCATENATE_RZ: null, MaxZone: null, EDPName: null });
  });

  test('frequency grouping: unmatched ponds are counted apart; split rows sum to unsplit ones', () => {
    const ponds = [
      pondOf({ pans: 'P', zones: ['Red'], edpName: 'B' }),
      pondOf({ pans: 'P', zones: ['Red', 'Amber'], edpName: 'A' }),
      pondOf({ pans: 'A', zones: ['Green'], edpName: null }),
      pondOf({ pans: 'NS', area: 'Buffer', zones: [] }),
    ];
    const t = frequencyTables(ponds);
    assert.deepEqual(t.frequency, [
      { PANS: 'A', Area: 'RLB', MaxZone: 'Green', TmpImp: 'F', FREQUENCY: 1 },
      { PANS: 'P', Area: 'RLB', MaxZone: 'Red', TmpImp: 'F', FREQUENCY: 2 },
    ]);
    assert.deepEqual(t.frequencySplit.map((r) => `${r.PANS}|${r.EDPName}|${r.FREQUENCY}`), ['A||1', 'P|A|1', 'P|B|1']);
    assert.equal(t.withoutRiskZone, 1);
    assert.equal(t.outsideEdp, 1);
  });
});

function tablesFixture(): GcnPsvTables {
  const zone = { Shape_Leng: 16087154.5186, MHW: 'Above MHW', Shape_Length: 205696530.84738356 };
  return {
    uniqueRef: '20251119093430412989',
    rlbFeatures: [{ id: '0', sourceFeature: 0 }, { id: null, sourceFeature: 1 }],
    habitat: [
      { unit: 0, Area: 'RLB', RZ: 'Green', Shape_Area: 84465.2680118475, z: 0, zone },
      { unit: 2, Area: 'Buffer', RZ: 'Red', Shape_Area: 1e-7, z: 2, zone: { Shape_Leng: null, MHW: null, Shape_Length: 6697.623920333152 } },
    ],
    habitatSplit: [
      { unit: 0, Area: 'RLB', RZ: 'Green', Shape_Area: 80000, z: 0, zone, EDPName: 'AreaA', unsplitArea: 84465.2680118475, edge: { Shape_Length: 63404.29058661155, Shape_Area: 235322018.67647797 } },
      { unit: 0, Area: 'RLB', RZ: 'Green', Shape_Area: 4465.2680118475, z: 0, zone, EDPName: '', unsplitArea: 84465.2680118475, edge: null },
    ],
    frequency: [{ PANS: 'A', Area: 'Buffer', MaxZone: 'Amber', TmpImp: 'F', FREQUENCY: 3 }],
    frequencySplit: [{ PANS: 'A', Area: 'Buffer', MaxZone: 'Amber', TmpImp: 'F', EDPName: 'AreaA', FREQUENCY: 3 }],
  };
}

describe('GCN PSV files (gcn.md §7.2)', () => {
  test('layouts, identity columns and number form', () => {
    const files = gcnPsvFiles(tablesFixture());
    assert.deepEqual(Object.keys(files).sort(), Object.values(PSV_FILES).sort());
    const habitat = files[PSV_FILES.habitat].split('\n');
    assert.equal(habitat[0], 'FID_RLB_Merge_with_Buffer|Id|UniqueRef|UniqueSite|ORIG_FID|Area|UniqueBufferSite|FID_RZs_Clipped_PairwiseClip|Shape_Leng|MHW|RZ|Shape_Length|Shape_Area');
    assert.equal(habitat[1], '0|0|20251119093430412989|20251119093430412989_Site00001|0|RLB||0|16087154.5186|Above MHW|Green|205696530.84738356|84465.2680118475');
    assert.equal(habitat[2], '2||20251119093430412989|20251119093430412989_Buffer00001|0|Buffer|20251119093430412989_Buffer00001|2|||Red|6697.623920333152|1e-7');
    assert.equal(habitat[3], '', 'every line ends with LF');
    const split = files[PSV_FILES.habitatSplit].split('\n');
    assert.equal(split[0]?.split('|').length, 17);
    assert.deepEqual(split[0]?.split('|').slice(11), ['Shape_Length_1', 'Shape_Area_1', 'EDPName', 'Shape_Length_2', 'Shape_Area_2', 'Shape_Area']);
    assert.deepEqual(split[1]?.split('|').slice(11), ['205696530.84738356', '84465.2680118475', 'AreaA', '63404.29058661155', '235322018.67647797', '80000']);
    assert.deepEqual(split[2]?.split('|').slice(11), ['205696530.84738356', '84465.2680118475', '', '', '', '4465.2680118475']);
    assert.equal(files[PSV_FILES.frequency], 'PANS|Area|MaxZone|TmpImp|FREQUENCY\nA|Buffer|Amber|F|3\n');
    assert.equal(files[PSV_FILES.frequencySplit], 'PANS|Area|MaxZone|TmpImp|EDPName|FREQUENCY\nA|Buffer|Amber|F|AreaA|3\n');
    for (const text of Object.values(files)) {
      assert.ok(!text.startsWith('\uFEFF') && !text.includes('\r'));
    }
  });

  test('a separator or line break inside a value cannot break the layout', () => {
    assert.equal(psvField('a|b\r\nc'), 'a b  c');
    assert.equal(psvField(null), '');
    assert.equal(psvField(1e21), '1e+21');
  });

  test('the reader accepts BOM, CRLF, exponent numbers and the legacy column order', () => {
    const legacy = '\uFEFFFREQUENCY|PANS|Area|MaxZone|TmpImp\r\n3|A|Buffer|Amber|F\r\n';
    const parsed = parsePsv(legacy);
    assert.deepEqual(parsed.columns, ['FREQUENCY', 'PANS', 'Area', 'MaxZone', 'TmpImp']);
    assert.deepEqual(parsed.rows, [{ FREQUENCY: '3', PANS: 'A', Area: 'Buffer', MaxZone: 'Amber', TmpImp: 'F' }]);
    const ours = parsePsv(gcnPsvFiles(tablesFixture())[PSV_FILES.habitat]);
    assert.equal(Number(ours.rows[1]?.Shape_Area), 1e-7);
    assert.throws(() => parsePsv('a|b\n1\n'), /fields/);
  });
});

describe('GCN summary (contracts.md §8.3)', () => {
  test('sums habitat rows per area and zone, counts ponds that count', () => {
    const doc = {
      summary: { rlb_features: 2 },
      habitat_impact: [
        { unit: 0, Area: 'RLB', RZ: 'Red', Shape_Area: 1.004 },
        { unit: 1, Area: 'RLB', RZ: 'Red', Shape_Area: 2.003 },
        { unit: 1, Area: 'RLB', RZ: 'Green', Shape_Area: 5 },
        { unit: 2, Area: 'Buffer', RZ: 'Amber', Shape_Area: 7.5 },
      ],
      pond_frequency: [{ FREQUENCY: 3 }, { FREQUENCY: 4 }],
    } as unknown as GcnResultDocument;
    assert.deepEqual(toGcnSummary(doc), { siteCount: 2, habitatM2: { RLB: { Red: 3.01, Amber: 0, Green: 5 }, Buffer: { Red: 0, Amber: 7.5, Green: 0 } }, pondCount: 7 });
    assert.deepEqual(habitatByRlb(doc), [{ Red: 1.004, Amber: 0, Green: 0 }, { Red: 2.003, Amber: 0, Green: 5 }]);
  });
});
