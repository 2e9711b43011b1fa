// The input stage (contracts.md §5): S3 fetch → ZIP safety → shapefile / GeoJSON readers → CRS →
// EPSG:27700 → geometry checks → Sites. Pipeline order, codes and choices: docs/input.md.

export { fetchS3Object, classifyS3Error, type FetchOptions, type FetchedObject, type S3ObjectLocation } from './s3-fetch.js';
export { InputBudget, type BudgetUse } from './budget.js';
export { readBoundary, readBoundaryFromPath, type BoundaryOptions, type BoundaryResult } from './boundary.js';
export { validateQuoteBoundary, type QuoteBoundaryOptions } from './quote.js';
export { readSurveyPonds, type SurveyPondsOptions, type SurveyPondsResult } from './survey-ponds.js';
export { formatOf, type InputFile, type DecodeOptions } from './decode.js';
export { toSurveyPondsError, withFileRole, type FileRole } from './errors.js';
export type { SupportedCrs } from './crs/names.js';
