// contracts.md §3: every field of the quote-job table, aliases, defaults and the normalised Job.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectInvalid, expectJob, parse, POLYGON, quoteBody, SENT, snsEnvelope } from './parse-helpers.js';

const boundary = (overrides: Record<string, unknown>): Record<string, unknown> => ({ boundaryGeometryOriginal: POLYGON, ...overrides });
const geometry = (overrides: Record<string, unknown>): Record<string, unknown> => ({ boundaryGeojson: boundary({ boundaryGeometryOriginal: { ...POLYGON, ...overrides } }) });

describe('quote job table (§3): every field and reason', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['reference pattern', { reference: 'ABC-000123' }, 'reference', 'pattern'],
    ['reference too short', { reference: 'NRL-12345' }, 'reference', 'pattern'],
    ['reference type', { reference: 123456 }, 'reference', 'type:string'],
    ['reference null', { reference: null }, 'reference', 'required'],
    ['boundaryGeojson missing', { boundaryGeojson: undefined }, 'boundaryGeojson', 'required'],
    ['boundaryGeojson type', { boundaryGeojson: 'POLYGON((…))' }, 'boundaryGeojson', 'type:object'],
    ['boundaryGeojson array', { boundaryGeojson: [] }, 'boundaryGeojson', 'type:object'],
    ['geometry missing', { boundaryGeojson: { intersectingEdps: [] } }, 'boundaryGeojson.boundaryGeometryOriginal', 'required'],
    ['geometry type', { boundaryGeojson: boundary({ boundaryGeometryOriginal: 'x' }) }, 'boundaryGeojson.boundaryGeometryOriginal', 'type:object'],
    ['geometry is a Feature', { boundaryGeojson: boundary({ boundaryGeometryOriginal: { type: 'Feature', geometry: POLYGON, properties: {} } }) }, 'boundaryGeojson.boundaryGeometryOriginal', 'not_a_geometry'],
    ['geometry is a FeatureCollection', { boundaryGeojson: boundary({ boundaryGeometryOriginal: { type: 'FeatureCollection', features: [] } }) }, 'boundaryGeojson.boundaryGeometryOriginal', 'not_a_geometry'],
    ['geometry type missing', geometry({ type: undefined }), 'boundaryGeojson.boundaryGeometryOriginal.type', 'required'],
    ['geometry type not string', geometry({ type: 7 }), 'boundaryGeojson.boundaryGeometryOriginal.type', 'type:string'],
    ['coordinates missing', geometry({ coordinates: undefined }), 'boundaryGeojson.boundaryGeometryOriginal.coordinates', 'required'],
    ['coordinates not array', geometry({ coordinates: '1 2' }), 'boundaryGeojson.boundaryGeometryOriginal.coordinates', 'type:array'],
    ['intersectingEdps type', { boundaryGeojson: boundary({ intersectingEdps: { label: 'x' } }) }, 'boundaryGeojson.intersectingEdps', 'type:array'],
    ['intersectingEdps item', { boundaryGeojson: boundary({ intersectingEdps: ['Broads'] }) }, 'boundaryGeojson.intersectingEdps[0]', 'type:object'],
    ['intersectingEdps label', { boundaryGeojson: boundary({ intersectingEdps: [{ label: null }, { label: 3 }] }) }, 'boundaryGeojson.intersectingEdps[1].label', 'type:string'],
    ['developmentTypes type', { developmentTypes: 'housing' }, 'developmentTypes', 'type:array'],
    ['developmentTypes item', { developmentTypes: ['housing', 4] }, 'developmentTypes[1]', 'type:string'],
    ['housingUnits missing', { housingUnits: undefined }, 'housingUnits', 'required'],
    ['housingUnits null', { housingUnits: null }, 'housingUnits', 'required'],
    ['housingUnits string', { housingUnits: '19' }, 'housingUnits', 'type:integer'],
    ['housingUnits fraction', { housingUnits: 1.5 }, 'housingUnits', 'type:integer'],
    ['housingUnits zero', { housingUnits: 0 }, 'housingUnits', 'minimum:1'],
    ['housingUnits too many', { housingUnits: 1_000_000 }, 'housingUnits', 'maximum:999999'],
    ['alias invalid', { housingUnits: undefined, residentialBuildingCount: 0 }, 'residentialBuildingCount', 'minimum:1'],
    ['alias conflict', { housingUnits: 19, residentialBuildingCount: 20 }, 'housingUnits', 'alias_conflict'],
    ['peopleCount type', { peopleCount: '46' }, 'peopleCount', 'type:integer'],
    ['peopleCount zero', { peopleCount: 0 }, 'peopleCount', 'minimum:1'],
    ['wasteWaterTreatmentWorksId type', { wasteWaterTreatmentWorksId: 938 }, 'wasteWaterTreatmentWorksId', 'type:string'],
  ];
  for (const [name, overrides, field, reason] of cases) {
    test(`${name} → ${field}/${reason}`, () => {
      const error = expectInvalid(parse(quoteBody(overrides)), field, reason);
      assert.equal((error.detail.violations as unknown[]).length, 1, JSON.stringify(error.detail.violations));
    });
  }

  test('all violations collected, first in table order named', () => {
    const error = expectInvalid(parse(quoteBody({ housingUnits: undefined, peopleCount: 0, reference: 'bad', developmentTypes: 3 })), 'reference', 'pattern');
    assert.deepEqual(error.detail.violations, [
      { field: 'reference', reason: 'pattern' },
      { field: 'developmentTypes', reason: 'type:array' },
      { field: 'housingUnits', reason: 'required' },
      { field: 'peopleCount', reason: 'minimum:1' },
    ]);
  });

  test('the reference pattern comes from the options (QUOTE_REFERENCE_PATTERN)', () => {
    expectJob(parse(quoteBody({ reference: 'Q-1' }), {}, { quoteReferencePattern: /^Q-\d$/ }));
    expectInvalid(parse(quoteBody(), {}, { quoteReferencePattern: /^Q-\d$/ }), 'reference', 'pattern');
  });

  test('partial identity: a valid reference keys the ledger; kind quote, no e-mail', () => {
    const result = parse(quoteBody({ housingUnits: undefined }));
    assert.deepEqual([result.partial?.jobKey, result.partial?.jobKind, result.partial?.jobId, result.partial?.developerEmail, result.partial?.assessmentType],
      ['quote:NRL-000123', 'quote', 'NRL-000123', null, 'nutrient']);
  });
});

describe('quote job defaults, aliases and normalisation (§3, §4.1)', () => {
  test('the example body becomes the documented Job', () => {
    const job = expectJob(parse(quoteBody()));
    assert.equal(job.kind, 'quote');
    assert.equal(job.key, 'quote:NRL-000123');
    assert.equal(job.id, 'NRL-000123');
    assert.equal(job.assessmentType, 'nutrient');
    assert.equal(job.developmentName, 'NRL-000123');
    assert.equal(job.dwellingCategory, 'housing');
    assert.equal(job.dwellings, 19);
    assert.equal(job.developerEmail, null);
    assert.equal(job.submittedAt, new Date(SENT).toISOString());
    assert.deepEqual(job.input, { source: 'inline', geometry: POLYGON, declaredCrs: POLYGON.crs });
    assert.equal(job.surveyPonds, null);
    assert.deepEqual(job.quote, {
      intersectingEdpLabels: ['Broads SAC (Yare & Bure) & Wensum SAC'],
      developmentTypes: ['housing'],
      peopleCount: 46,
      wasteWaterTreatmentWorksId: '938',
    });
    assert.deepEqual([job.correlationId, job.correlationSource], ['3c8a1f0e6b2d4e59a7c1d0f28b6e4a13', 'body']);
  });

  test('defaults: developmentTypes ["housing"], intersectingEdps [], no crs → declaredCrs null', () => {
    const { crs: _crs, ...bare } = POLYGON;
    const job = expectJob(parse(quoteBody({ developmentTypes: undefined, peopleCount: undefined, wasteWaterTreatmentWorksId: undefined, boundaryGeojson: { boundaryGeometryOriginal: bare } })));
    assert.deepEqual(job.quote, { intersectingEdpLabels: [], developmentTypes: ['housing'], peopleCount: null, wasteWaterTreatmentWorksId: null });
    assert.equal(job.dwellingCategory, 'housing');
    assert.deepEqual(job.input, { source: 'inline', geometry: bare, declaredCrs: null });
  });

  test('the first development type becomes the category; unknown values are kept', () => {
    const job = expectJob(parse(quoteBody({ developmentTypes: ['care-home', 'housing'] })));
    assert.equal(job.dwellingCategory, 'care-home');
    assert.deepEqual(job.quote?.developmentTypes, ['care-home', 'housing']);
    assert.equal(expectJob(parse(quoteBody({ developmentTypes: [] }))).dwellingCategory, 'housing');
  });

  test('residentialBuildingCount is an alias; equal values are fine', () => {
    assert.equal(expectJob(parse(quoteBody({ housingUnits: undefined, residentialBuildingCount: 7 }))).dwellings, 7);
    assert.equal(expectJob(parse(quoteBody({ housingUnits: 7, residentialBuildingCount: 7 }))).dwellings, 7);
  });

  test('edp items keep only their label; a missing label is null', () => {
    const job = expectJob(parse(quoteBody({ boundaryGeojson: boundary({ intersectingEdps: [{ catchments: [] }, { label: 'A', overlapAreaHa: 2 }] }) })));
    assert.deepEqual(job.quote?.intersectingEdpLabels, [null, 'A']);
  });

  test('submittedAt falls back to the clock without SentTimestamp', () => {
    const job = expectJob(parse(quoteBody(), { sentTimestamp: null }, { now: () => new Date('2026-01-02T03:04:05.006Z') }));
    assert.equal(job.submittedAt, '2026-01-02T03:04:05.006Z');
  });

  test('unknown keys at the top and inside boundaryGeojson are named', () => {
    const result = parse(snsEnvelope(quoteBody({ quoteId: 5, boundaryGeojson: boundary({ boundaryGeometryWgs84: {} }) })));
    expectJob(result);
    assert.deepEqual(result.unknownFields, ['quoteId', 'boundaryGeojson.boundaryGeometryWgs84']);
  });

  test('the same quote republished later hashes differently (submittedAt is SentTimestamp)', () => {
    const a = expectJob(parse(quoteBody()));
    const b = expectJob(parse(quoteBody(), { sentTimestamp: SENT + 1000 }));
    assert.notEqual(a.payloadSha256, b.payloadSha256);
  });
});
