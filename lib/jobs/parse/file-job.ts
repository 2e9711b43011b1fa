// The file-job table (contracts.md §2): snake_case fields, the RLB file in S3.

import type { AssessmentType, JobWarning } from '../types.js';
import { isDeveloperEmail, parseOffsetDateTime } from './formats.js';
import { FieldReader, type JsonObject, type Violation } from './violations.js';
import type { JobFields, PartialIdentity } from './fields.js';

export const FILE_JOB_FIELDS = [
  'job_id', 's3_input_key', 'developer_email', 'submitted_at', 'development_name', 'dwelling_type',
  'number_of_dwellings', 'assessment_type', 's3_survey_ponds_key', 's3_bucket', 'traceId',
] as const;

export const JOB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ASSESSMENT_TYPES = ['nutrient', 'gcn'] as const;

export interface FileJobOptions {
  allowedBuckets: readonly string[];
  inputBucket: string;
}

export interface FieldsResult {
  fields: JobFields | null;
  violations: Violation[];
  identity: PartialIdentity;
  warnings: JobWarning[];
}

export function readFileJob(body: JsonObject, options: FileJobOptions): FieldsResult {
  const violations: Violation[] = [];
  const read = new FieldReader(body, violations);

  const jobId = read.string('job_id', true, { pattern: JOB_ID_PATTERN });
  const inputKey = read.string('s3_input_key', true, { minLength: 1, maxLength: 1024 });
  const developerEmail = read.string('developer_email', true, { maxLength: 254, format: { name: 'email', test: isDeveloperEmail } });
  const submittedText = read.string('submitted_at', true);
  let submittedAt: string | undefined;
  if (submittedText !== undefined) {
    submittedAt = parseOffsetDateTime(submittedText) ?? read.fail('submitted_at', 'format:date-time');
  }
  const developmentName = read.string('development_name', true, { maxLength: 200 });
  const dwellingType = read.string('dwelling_type', true, { minLength: 1, maxLength: 100 });
  const dwellings = read.integer('number_of_dwellings', true, { minimum: 1, maximum: 999_999 });
  const assessmentType = read.string('assessment_type', true, { enum: ASSESSMENT_TYPES }) as AssessmentType | undefined;
  const pondsKey = read.string('s3_survey_ponds_key', false, { minLength: 1, maxLength: 1024 });
  const bucketOverride = read.string('s3_bucket', false);
  if (bucketOverride !== undefined && !options.allowedBuckets.includes(bucketOverride)) read.fail('s3_bucket', 'not_allowed');
  // traceId is only a correlation candidate: an unusable one is skipped with a warning (§4.2).

  const bucketOk = bucketOverride !== undefined ? options.allowedBuckets.includes(bucketOverride) : !read.given('s3_bucket');
  const knownBucket = bucketOk ? bucketOverride ?? options.inputBucket : null;
  const identity: PartialIdentity = {
    jobId: jobId ?? null,
    developerEmail: developerEmail ?? null,
    assessmentType: assessmentType ?? null,
    known: {
      developmentName: developmentName ?? null,
      dwellingType: dwellingType ?? null,
      numberOfDwellings: dwellings ?? null,
      submittedAt: submittedAt ?? null,
      input: knownBucket !== null && inputKey !== undefined ? { bucket: knownBucket, key: inputKey } : null,
      surveyPonds: knownBucket !== null && pondsKey !== undefined && assessmentType === 'gcn' ? { bucket: knownBucket, key: pondsKey } : null,
    },
  };
  const warnings: JobWarning[] = [];
  if (violations.length > 0 || jobId === undefined || inputKey === undefined || developerEmail === undefined || submittedAt === undefined
    || developmentName === undefined || dwellingType === undefined || dwellings === undefined || assessmentType === undefined) {
    return { fields: null, violations, identity, warnings };
  }

  const bucket = bucketOverride ?? options.inputBucket;
  let surveyPonds: JobFields['surveyPonds'] = null;
  if (pondsKey !== undefined) {
    if (assessmentType === 'gcn') surveyPonds = { bucket, key: pondsKey };
    else warnings.push({ code: 'survey_ponds_ignored', message: 'A survey ponds file was given with a nutrient job; it was not read.' });
  }
  return {
    fields: {
      kind: 'file',
      key: `file:${jobId}`,
      id: jobId,
      assessmentType,
      developmentName,
      dwellingCategory: dwellingType,
      dwellings,
      developerEmail,
      submittedAt,
      input: { source: 's3', bucket, key: inputKey },
      surveyPonds,
      quote: null,
    },
    violations,
    identity,
    warnings,
  };
}
