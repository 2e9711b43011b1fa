// The quote-job table (contracts.md §3): camelCase fields from nrf-backend, inline BNG geometry,
// always the nutrient assessment on one polygon.

import type { JobWarning } from '../types.js';
import type { FieldsResult } from './file-job.js';
import { checkInteger, checkString, FieldReader, isJsonObject, type JsonObject, type Violation } from './violations.js';

export const QUOTE_JOB_FIELDS = [
  'reference', 'boundaryGeojson', 'developmentTypes', 'housingUnits', 'residentialBuildingCount',
  'peopleCount', 'wasteWaterTreatmentWorksId', 'traceId',
] as const;
const BOUNDARY_FIELDS = ['boundaryGeometryOriginal', 'intersectingEdps'] as const;
const UNITS = { minimum: 1, maximum: 999_999 };

export interface QuoteJobOptions {
  quoteReferencePattern: RegExp;
  /** SQS SentTimestamp as ISO 8601 (the quote's submittedAt). */
  submittedAt: string;
}

export function readQuoteJob(body: JsonObject, options: QuoteJobOptions): FieldsResult {
  const violations: Violation[] = [];
  const read = new FieldReader(body, violations);

  const reference = read.string('reference', true, { pattern: options.quoteReferencePattern });
  const boundary = read.object('boundaryGeojson', true);
  let geometry: JsonObject | undefined;
  let edpLabels: (string | null)[] | undefined = [];
  if (boundary) {
    const inner = new FieldReader(boundary, violations, 'boundaryGeojson');
    geometry = readGeometry(inner);
    edpLabels = readEdpLabels(inner, violations);
  }
  const developmentTypes = readDevelopmentTypes(read, violations);
  const housingUnits = readHousingUnits(read, violations);
  const peopleCount = read.integer('peopleCount', false, { minimum: 1 });
  const worksId = read.string('wasteWaterTreatmentWorksId', false);

  const identity = { jobId: reference ?? null, developerEmail: null, assessmentType: 'nutrient' as const, known: null };
  const warnings: JobWarning[] = [];
  if (violations.length > 0 || reference === undefined || geometry === undefined || edpLabels === undefined
    || developmentTypes === undefined || housingUnits === undefined) {
    return { fields: null, violations, identity, warnings };
  }
  return {
    fields: {
      kind: 'quote',
      key: `quote:${reference}`,
      id: reference,
      assessmentType: 'nutrient',
      developmentName: reference,
      dwellingCategory: developmentTypes[0] ?? 'housing',
      dwellings: housingUnits,
      developerEmail: null,
      submittedAt: options.submittedAt,
      input: { source: 'inline', geometry, declaredCrs: Object.hasOwn(geometry, 'crs') ? geometry.crs : null },
      surveyPonds: null,
      quote: {
        intersectingEdpLabels: edpLabels,
        developmentTypes,
        peopleCount: peopleCount ?? null,
        wasteWaterTreatmentWorksId: worksId ?? null,
      },
    },
    violations,
    identity,
    warnings,
  };
}

/** Unknown keys inside boundaryGeojson, as dotted paths (items of intersectingEdps are free-form). */
export function unknownBoundaryKeys(body: JsonObject): string[] {
  const boundary = body.boundaryGeojson;
  if (!isJsonObject(boundary)) return [];
  return Object.keys(boundary)
    .filter((key) => !(BOUNDARY_FIELDS as readonly string[]).includes(key))
    .map((key) => `boundaryGeojson.${key}`);
}

/** §5.9 step 1 at the edge: a bare geometry object with a string `type` and an array `coordinates`. */
function readGeometry(read: FieldReader): JsonObject | undefined {
  const geometry = read.object('boundaryGeometryOriginal', true);
  if (!geometry) return undefined;
  if (geometry.type === 'Feature' || geometry.type === 'FeatureCollection') {
    return read.fail(read.path('boundaryGeometryOriginal'), 'not_a_geometry');
  }
  const inner = read.child('boundaryGeometryOriginal', geometry);
  const type = inner.string('type', true);
  const coordinates = inner.array('coordinates', true);
  return type !== undefined && coordinates !== undefined ? geometry : undefined;
}

function readEdpLabels(read: FieldReader, violations: Violation[]): (string | null)[] | undefined {
  if (!read.given('intersectingEdps')) return [];
  const items = read.array('intersectingEdps', false);
  if (items === undefined) return undefined;
  const labels: (string | null)[] = [];
  items.forEach((item, index) => {
    const field = `${read.path('intersectingEdps')}[${index}]`;
    if (!isJsonObject(item)) {
      violations.push({ field, reason: 'type:object' });
      return;
    }
    // The label is a cross-check only (edp_label_mismatch); an absent label counts as null.
    if (item.label === undefined || item.label === null) labels.push(null);
    else if (typeof item.label === 'string') labels.push(item.label);
    else violations.push({ field: `${field}.label`, reason: 'type:string' });
  });
  return labels.length === items.length ? labels : undefined;
}

function readDevelopmentTypes(read: FieldReader, violations: Violation[]): string[] | undefined {
  if (!read.given('developmentTypes')) return ['housing'];
  const items = read.array('developmentTypes', false);
  if (items === undefined) return undefined;
  const types: string[] = [];
  items.forEach((item, index) => {
    const value = checkString(item, `developmentTypes[${index}]`, {}, violations);
    if (value !== undefined) types.push(value);
  });
  return types.length === items.length ? types : undefined;
}

/** housingUnits, or its alias residentialBuildingCount; both present must agree. No default. */
function readHousingUnits(read: FieldReader, violations: Violation[]): number | undefined {
  const has = (name: string): boolean => read.given(name);
  const units = has('housingUnits') ? checkInteger(read.raw('housingUnits'), 'housingUnits', UNITS, violations) : undefined;
  const alias = has('residentialBuildingCount') ? checkInteger(read.raw('residentialBuildingCount'), 'residentialBuildingCount', UNITS, violations) : undefined;
  if (!has('housingUnits') && !has('residentialBuildingCount')) return read.fail('housingUnits', 'required');
  if (units !== undefined && alias !== undefined && units !== alias) return read.fail('housingUnits', 'alias_conflict');
  return units ?? alias;
}
