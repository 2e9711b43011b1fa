// The input stage (contracts.md §5): a file job's boundary (and GCN survey ponds) from S3, or a
// quote's inline polygon. What is learned about each file is kept in `facts` as it is learned, so
// a rejected document can still report the bytes and hash of a file that failed validation.

import { fetchS3Object, InputBudget, readBoundary, readSurveyPonds, validateQuoteBoundary } from '../../../input/index.js';
import type { InputWarning, Site, SurveyPond } from '../../../geo/types.js';
import type { ResultFileInfo } from '../../../delivery/result-document.js';
import type { Job } from '../../types.js';
import type { PipelineDeps } from '../deps.js';
import type { StageClock } from '../stages.js';

export interface InputFacts {
  input: ResultFileInfo | null;
  surveyPonds: ResultFileInfo | null;
}

export interface FileInput {
  sites: Site[];
  warnings: InputWarning[];
  /** null on the national GCN route and for nutrient jobs. */
  ponds: { ponds: SurveyPond[]; warnings: InputWarning[] } | null;
}

/** The result document's `format` from the key's suffix (§5.2); null when unsupported. */
export function formatOfKey(key: string): ResultFileInfo['format'] {
  const lower = key.toLowerCase();
  if (lower.endsWith('.zip')) return 'shapefile-zip';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  return null;
}

export function locationFacts(location: { bucket: string; key: string } | null): ResultFileInfo | null {
  return location && { bucket: location.bucket, key: location.key, format: formatOfKey(location.key), bytes: null, sha256: null };
}

export async function readFileJobInput(job: Job, deps: PipelineDeps, clock: StageClock, facts: InputFacts, signal: AbortSignal): Promise<FileInput> {
  if (job.input.source !== 's3') throw new TypeError('file job without an S3 input');
  const { config, sql, s3 } = deps;
  const limits = config.input;
  const budget = new InputBudget(limits.maxInputBytes);
  const location = { bucket: job.input.bucket, key: job.input.key };
  facts.input = locationFacts(location);

  const fetched = await clock.run('download', () => fetchS3Object(s3, location, { signal, maxBytes: limits.maxFileBytes, budget, file: 'input' }));
  facts.input = { ...location, format: formatOfKey(location.key), bytes: fetched.size, sha256: fetched.sha256 };
  const boundary = await clock.run('validate', () => readBoundary({ name: location.key, bytes: fetched.bytes }, { signal, limits, budget, sql }));
  facts.input = { ...location, format: boundary.info.format === 'inline' ? null : boundary.info.format, bytes: fetched.size, sha256: fetched.sha256 };

  let ponds: FileInput['ponds'] = null;
  if (job.surveyPonds) {
    const pondsLocation = job.surveyPonds;
    facts.surveyPonds = locationFacts(pondsLocation);
    const pondsFile = await clock.run('download', () => fetchS3Object(s3, pondsLocation, { signal, maxBytes: limits.maxFileBytes, budget, file: 'survey_ponds' }));
    facts.surveyPonds = { ...pondsLocation, format: formatOfKey(pondsLocation.key), bytes: pondsFile.size, sha256: pondsFile.sha256 };
    const read = await clock.run('validate', () => readSurveyPonds({ name: pondsLocation.key, bytes: pondsFile.bytes }, { signal, limits, budget }));
    ponds = { ponds: read.ponds, warnings: read.warnings };
  }
  return { sites: boundary.sites, warnings: boundary.warnings, ponds };
}

/** §5.9: exactly one validated Polygon in EPSG:27700. */
export async function readQuoteInput(job: Job, deps: PipelineDeps, clock: StageClock, signal: AbortSignal): Promise<Site[]> {
  if (job.input.source !== 'inline') throw new TypeError('quote job without an inline geometry');
  const geometry = job.input.geometry;
  return clock.run('validate', () => validateQuoteBoundary(geometry, { sql: deps.sql, signal }));
}
