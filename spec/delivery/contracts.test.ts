// Contract tests (contracts.md §8.4): payloads built from fixtures by the real builders validate
// against the shipped schemas, golden files pin both callback bodies byte-for-byte, and negative
// fixtures prove the quote PATCH schema is never looser than nrf-backend's.
// UPDATE_GOLDENS=1 rewrites the golden files (review the diff before committing).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/data.js';
import { buildQuotePatch, bandFor } from '../../lib/delivery/quote-patch.js';
import { buildAssessmentResults } from '../../lib/delivery/result-document.js';
import { validatePayload, type SchemaId } from '../../lib/delivery/schemas.js';
import { compilePayloadValidator } from '../../lib/delivery/schema-compiler.js';
import { COMPLETED_NUTRIENT_DOCUMENT, QUOTE_PATCH_INPUT, REJECTED_GCN_DOCUMENT } from '../fixtures/contracts/examples.js';

const DIR = path.join(REPO_ROOT, 'spec/fixtures/contracts');
const pretty = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function golden(name: string, value: unknown): void {
  const file = path.join(DIR, name);
  if (process.env.UPDATE_GOLDENS === '1') writeFileSync(file, pretty(value));
  assert.equal(pretty(value), readFileSync(file, 'utf8'), `${name} differs from the golden file`);
}

function assertValid(schemaId: SchemaId, body: unknown): void {
  const result = validatePayload(schemaId, body);
  assert.ok(result.valid, `${schemaId}: ${JSON.stringify(result.valid ? [] : result.violations)}`);
}

describe('golden callback bodies', () => {
  test('quote PATCH: built from figures, valid, keys in §8.2 order, byte-for-byte', () => {
    const body = buildQuotePatch(QUOTE_PATCH_INPUT);
    assertValid('callbacks/quote-patch', body);
    golden('quote-patch.golden.json', body);
    assert.deepEqual(Object.keys(body.edps[0]), ['edpId', 'edpName', 'edpType', 'impact', 'catchments', 'levyGbp']);
    assert.deepEqual(Object.keys(body.edps[0].levyGbp), ['amountExcludingVat', 'amountInflationAdjusted', 'baseAmount', 'modelVersion']);
    assert.deepEqual(body.edps[0].impact.nitrogenTotal, { amount: 38.53, unit: 'mg/I TP', band: { min: 4, max: 4 } });
    assert.deepEqual(body.edps[0].impact.phosphorusTotal.band, { min: 3, max: 3 });
  });

  test('completed nutrient results document: builder restores §8.3 order; valid; byte-for-byte', () => {
    const doc = buildAssessmentResults(COMPLETED_NUTRIENT_DOCUMENT);
    assertValid('callbacks/assessment-results', doc);
    golden('assessment-results.completed.golden.json', doc);
    assert.deepEqual(Object.keys(doc).slice(0, 4), ['schemaVersion', 'jobId', 'status', 'assessmentType']);
    assert.deepEqual(Object.keys(doc.rlbs[0]?.nutrient?.levyGbp ?? {}), ['amountExcludingVat', 'amountInflationAdjusted', 'baseAmount', 'modelVersion']);
  });

  test('rejected GCN results document: valid and byte-for-byte', () => {
    const doc = buildAssessmentResults(REJECTED_GCN_DOCUMENT);
    assertValid('callbacks/assessment-results', doc);
    golden('assessment-results.rejected.golden.json', doc);
  });

  test('a golden file is what goes on the wire once compacted', () => {
    const text = readFileSync(path.join(DIR, 'quote-patch.golden.json'), 'utf8');
    assert.equal(JSON.stringify(JSON.parse(text)), JSON.stringify(buildQuotePatch(QUOTE_PATCH_INPUT)));
  });
});

type MutableEdp = Record<string, unknown> & { impact: { nitrogenTotal: Record<string, unknown> }; levyGbp: Record<string, unknown> };

describe('quote PATCH negative fixtures (never looser than nrf-backend)', () => {
  const cases: Record<string, { mutate: (edp: MutableEdp) => void; path: string; keyword: string }> = {
    'unknown-key': { mutate: (e) => void (e.note = 'extra'), path: '/edps/0', keyword: 'additionalProperties' },
    'three-dp-amount': { mutate: (e) => void (e.levyGbp.amountInflationAdjusted = 50825.125), path: '/edps/0/levyGbp/amountInflationAdjusted', keyword: 'multipleOf' },
    'band-5': { mutate: (e) => void (e.impact.nitrogenTotal.band = { min: 5, max: 5 }), path: '/edps/0/impact/nitrogenTotal/band/min', keyword: 'maximum' },
    'edptype-gcn': { mutate: (e) => void (e.edpType = 'GCN'), path: '/edps/0/edpType', keyword: 'const' },
    'string-edpid': { mutate: (e) => void (e.edpId = '1'), path: '/edps/0/edpId', keyword: 'type' },
    'missing-modelversion': { mutate: (e) => void delete e.levyGbp.modelVersion, path: '/edps/0/levyGbp', keyword: 'required' },
  };

  for (const [name, c] of Object.entries(cases)) {
    test(`${name} is rejected at ${c.path} (${c.keyword})`, () => {
      const file = path.join(DIR, 'negative', `quote-patch.${name}.json`);
      if (process.env.UPDATE_GOLDENS === '1') {
        const body = JSON.parse(JSON.stringify(buildQuotePatch(QUOTE_PATCH_INPUT))) as { edps: MutableEdp[] };
        c.mutate(body.edps[0]!);
        writeFileSync(file, pretty(body));
      }
      const result = validatePayload('callbacks/quote-patch', JSON.parse(readFileSync(file, 'utf8')));
      assert.equal(result.valid, false);
      assert.ok(!result.valid && result.violations.some((v) => v.path === c.path && v.keyword === c.keyword), JSON.stringify(result));
    });
  }

  test('every negative fixture on disk is covered above', () => {
    const names = readdirSync(path.join(DIR, 'negative')).map((f) => f.replace(/^quote-patch\.|\.json$/g, '')).sort();
    assert.deepEqual(names, Object.keys(cases).sort());
  });
});

describe('schema rules beyond the negatives', () => {
  const base = (): { edps: Record<string, unknown>[] } => JSON.parse(JSON.stringify(buildQuotePatch(QUOTE_PATCH_INPUT))) as { edps: Record<string, unknown>[] };

  test('exactly one EDP; catchments required; negative money and > 100 % refused', () => {
    const two = base();
    two.edps.push(two.edps[0]!);
    assert.equal(validatePayload('callbacks/quote-patch', two).valid, false);
    const noCatchments = base();
    delete noCatchments.edps[0]!.catchments;
    assert.equal(validatePayload('callbacks/quote-patch', noCatchments).valid, false);
    const negative = base();
    (negative.edps[0]!.levyGbp as Record<string, number>).baseAmount = -1;
    assert.equal(validatePayload('callbacks/quote-patch', negative).valid, false);
    const over = base();
    (over.edps[0]!.catchments as Record<string, number>[])[0]!.catchmentOverlapPercentage = 100.01;
    assert.equal(validatePayload('callbacks/quote-patch', over).valid, false);
  });

  test('2 dp amounts pass despite binary floating point (multipleOfPrecision 9)', () => {
    for (const amount of [0.07, 0.29, 1.13, 4748.13, 27418.75, 1234567.89, 0.1 + 0.2]) {
      const rounded = Math.round(amount * 100) / 100;
      assertValid('callbacks/quote-patch', buildQuotePatch({ ...QUOTE_PATCH_INPUT, levyGbp: { ...QUOTE_PATCH_INPUT.levyGbp, amountInflationAdjusted: rounded } }));
    }
  });

  test('a null levy or the old 999 placeholder cannot be sent', () => {
    for (const levyGbp of [null, { amountExcludingVat: 999, amountInflationAdjusted: 999, baseAmount: 999 }, { min: 999, max: 999 }]) {
      const body = base();
      body.edps[0]!.levyGbp = levyGbp;
      assert.equal(validatePayload('callbacks/quote-patch', body).valid, false);
    }
  });

  test('band function: ≤0.25→1, ≤2.0→2, ≤5.0→3, else 4, negative→1', () => {
    const table: [number, number][] = [[-3, 1], [0, 1], [0.25, 1], [0.26, 2], [2, 2], [2.01, 3], [5, 3], [5.01, 4], [38.53, 4]];
    for (const [amount, band] of table) assert.equal(bandFor(amount), band, String(amount));
  });

  test('results document rules: rejected has an error and no RLBs; completed has no error', () => {
    const rejected = buildAssessmentResults(REJECTED_GCN_DOCUMENT);
    assert.equal(validatePayload('callbacks/assessment-results', { ...rejected, error: null }).valid, false);
    assert.equal(validatePayload('callbacks/assessment-results', { ...rejected, rlbs: COMPLETED_NUTRIENT_DOCUMENT.rlbs }).valid, false);
    const completed = buildAssessmentResults(COMPLETED_NUTRIENT_DOCUMENT);
    assert.equal(validatePayload('callbacks/assessment-results', { ...completed, error: rejected.error }).valid, false);
    assert.equal(validatePayload('callbacks/assessment-results', { ...completed, surprise: 1 }).valid, false);
  });

  test('message schemas accept the contracts.md §2/§3 examples', () => {
    assertValid('messages/file-job', {
      job_id: '6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20', s3_input_key: 'jobs/6f1d2c9e-3b7a-4e41-9a55-0c2f7d8b1e20/input.zip',
      developer_email: 'developer@example.com', submitted_at: '2026-07-30T09:12:44Z', development_name: 'Land east of Station Road',
      dwelling_type: 'house', number_of_dwellings: 19, assessment_type: 'nutrient',
    });
    assertValid('messages/quote-job', {
      reference: 'NRL-000123',
      boundaryGeojson: {
        boundaryGeometryOriginal: { type: 'Polygon', coordinates: [[[582815, 328189], [582809, 328204], [582825, 328210], [582830, 328197], [582815, 328189]]], crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } } },
        intersectingEdps: [{ label: 'Broads SAC (Yare & Bure) & Wensum SAC', catchments: [{ label: 'Bure Broads and Marshes', catchmentOverlapPercentage: 100 }] }],
      },
      developmentTypes: ['housing'], housingUnits: 19, peopleCount: 46, wasteWaterTreatmentWorksId: '938', traceId: '3c8a1f0e6b2d4e59a7c1d0f28b6e4a13',
    });
    assert.equal(validatePayload('messages/quote-job', { reference: 'NRL-000123', boundaryGeojson: { boundaryGeometryOriginal: { type: 'Polygon', coordinates: [] } } }).valid, false, 'housingUnits is required');
    assert.equal(validatePayload('messages/file-job', { job_id: 'x', number_of_dwellings: '19' }).valid, false);
  });

  test('every shipped schema compiles under Ajv strict mode', () => {
    assert.doesNotThrow(() => compilePayloadValidator());
  });
});
