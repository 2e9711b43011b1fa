// GOV.UK Notify personalisation (contracts.md §9.2) and references (§9.3). Every value is a
// string and every placeholder is present: Notify refuses a send that lacks one. Numbers are
// formatted from their exact decimal digits with en-GB grouping, never through float rounding.

import { ERROR_CATALOGUE, type ErrorCode } from '../errors.js';
import { decimalOf } from './decimal-multiple.js';
import type { AssessmentResultsDocument, GcnSummary, NutrientSummary } from './result-document.js';

export type EmailKind = 'completed' | 'rejected' | 'failed';
export type AssessmentTypeLabel = 'Nutrient' | 'Great crested newt' | 'Not known';

export interface CompletedPersonalisation {
  reference: string;
  development_name: string;
  assessment_type: 'Nutrient' | 'Great crested newt';
  site_count: string;
  nitrogen_total: string;
  phosphorus_total: string;
  wwtw: string;
  catchments: string;
  levy: string;
  gcn_summary: string;
  results_link: string;
}

export interface RejectedPersonalisation {
  reference: string;
  development_name: string;
  assessment_type: AssessmentTypeLabel;
  error_code: string;
  error_message: string;
}

export interface FailedPersonalisation {
  job_id: string;
  job_type: 'file' | 'quote' | 'unknown';
  assessment_type: AssessmentTypeLabel;
  error_code: string;
  error_summary: string;
  correlation_id: string;
  message_id: string;
  attempts: string;
  occurred_at: string;
}

export type Personalisation = CompletedPersonalisation | RejectedPersonalisation | FailedPersonalisation;

const NOT_APPLICABLE = 'Not applicable';

export function assessmentTypeLabel(type: string | null | undefined): AssessmentTypeLabel {
  if (type === 'nutrient') return 'Nutrient';
  if (type === 'gcn') return 'Great crested newt';
  return 'Not known';
}

export function developmentNameOrDefault(name: string | null | undefined): string {
  return name && name.trim() !== '' ? name : 'Unnamed development';
}

function group(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A number with exactly two decimals and en-GB grouping ("50,825.00", "-1,234.50"); half-up beyond 2 dp. */
export function formatTwoDecimals(value: number): string {
  const d = decimalOf(value);
  const negative = d.digits < 0n;
  const abs = negative ? -d.digits : d.digits;
  let pence: bigint;
  if (d.scale <= 2) pence = abs * 10n ** BigInt(2 - d.scale);
  else {
    const divisor = 10n ** BigInt(d.scale - 2);
    pence = (2n * abs + divisor) / (2n * divisor);
  }
  const text = `${group(String(pence / 100n))}.${String(pence % 100n).padStart(2, '0')}`;
  return negative && pence !== 0n ? `-${text}` : text;
}

export const formatKgYr = (value: number): string => `${formatTwoDecimals(value)} kg/yr`;
export const formatGbp = (value: number): string => {
  if (value < 0) throw new RangeError('money is never negative');
  return `£${formatTwoDecimals(value)}`;
};
/** Whole square metres with en-GB grouping ("12,346"). */
export const formatWholeM2 = (value: number): string => group(String(Math.round(value)));

export function resultsLink(resultsBaseUrl: string | null, jobId: string): string {
  if (!resultsBaseUrl) return 'Not available';
  return `${resultsBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(jobId)}`;
}

function distinctJoined(values: readonly string[], none: string): string {
  const distinct = [...new Set(values.filter((v) => v.trim() !== ''))];
  return distinct.length > 0 ? distinct.join('; ') : none;
}

export function gcnSummarySentence(summary: GcnSummary): string {
  const rlb = summary.habitatM2.RLB;
  return `Within the site: Red ${formatWholeM2(rlb.Red)} m², Amber ${formatWholeM2(rlb.Amber)} m², Green ${formatWholeM2(rlb.Green)} m². Ponds counted: ${summary.pondCount}.`;
}

/** COMPLETED (developer): built from the §8.3 result document that was just delivered. */
export function buildCompletedPersonalisation(doc: AssessmentResultsDocument, options: { resultsBaseUrl: string | null }): CompletedPersonalisation {
  if (doc.status !== 'completed' || doc.summary === null) throw new Error('COMPLETED e-mail needs a completed result document with a summary');
  const common = {
    reference: doc.jobId,
    development_name: developmentNameOrDefault(doc.job.developmentName),
    site_count: String(doc.summary.siteCount),
  };
  const link = resultsLink(options.resultsBaseUrl, doc.jobId);
  if (doc.assessmentType === 'gcn') {
    if (!('habitatM2' in doc.summary)) throw new Error('GCN document without a GCN summary');
    return {
      ...common, assessment_type: 'Great crested newt',
      nitrogen_total: NOT_APPLICABLE, phosphorus_total: NOT_APPLICABLE, wwtw: NOT_APPLICABLE, catchments: NOT_APPLICABLE, levy: NOT_APPLICABLE,
      gcn_summary: gcnSummarySentence(doc.summary), results_link: link,
    };
  }
  if (doc.assessmentType !== 'nutrient' || 'habitatM2' in doc.summary) throw new Error('nutrient document without a nutrient summary');
  const s: NutrientSummary = doc.summary;
  return {
    reference: common.reference,
    development_name: common.development_name,
    assessment_type: 'Nutrient',
    site_count: common.site_count,
    nitrogen_total: formatKgYr(s.nitrogenTotalKgYr),
    phosphorus_total: formatKgYr(s.phosphorusTotalKgYr),
    wwtw: distinctJoined(s.wwtwNames, 'None identified'),
    catchments: distinctJoined(s.catchmentLabels, 'None'),
    levy: s.levyGbpTotal === null ? 'Not calculated' : formatGbp(s.levyGbpTotal),
    gcn_summary: NOT_APPLICABLE,
    results_link: link,
  };
}

/** REJECTED (developer): the §6.1 user message of the code. */
export function buildRejectedPersonalisation(input: {
  jobId: string;
  developmentName: string | null;
  assessmentType: string | null;
  error: { code: string; message: string };
}): RejectedPersonalisation {
  return {
    reference: input.jobId,
    development_name: developmentNameOrDefault(input.developmentName),
    assessment_type: assessmentTypeLabel(input.assessmentType),
    error_code: input.error.code,
    error_message: input.error.message,
  };
}

/** The class name of whatever was thrown, reduced to identifier characters (never a message). */
export function exceptionClassOf(error: unknown): string {
  const root = error instanceof Error && error.name === 'JobError' && error.cause instanceof Error ? error.cause : error;
  const name = root instanceof Error ? root.name || root.constructor.name : typeof root;
  return name.replace(/[^A-Za-z0-9_$.]/g, '').slice(0, 60) || 'Error';
}

/**
 * One line of at most 300 characters from the code and the exception class plus the catalogue's
 * fixed text for the code. It cannot carry addresses, names, keys, coordinates or bodies, because
 * none of its parts comes from the job's data.
 */
export function errorSummary(code: ErrorCode, exceptionClass: string): string {
  const entry = ERROR_CATALOGUE[code];
  const cls = exceptionClass.replace(/[^A-Za-z0-9_$.]/g, '').slice(0, 60) || 'Error';
  const text = entry.message.replace('{exceptionClass}', cls).replace(/\{[A-Za-z]+\}/g, 'N');
  const line = `${code} [${entry.kind}] (${cls}): ${text}`.replace(/[\r\n@]+/g, ' ');
  return line.length <= 300 ? line : `${line.slice(0, 299)}…`;
}

/** FAILED (support): the job id is the only identifying value. */
export function buildFailedPersonalisation(input: {
  jobId: string | null;
  jobType: 'file' | 'quote' | 'unknown';
  assessmentType: string | null;
  code: ErrorCode;
  exceptionClass: string;
  correlationId: string | null;
  messageId: string | null;
  attempts: number | null;
  occurredAt: Date;
}): FailedPersonalisation {
  return {
    job_id: input.jobId ?? 'unknown',
    job_type: input.jobType,
    assessment_type: assessmentTypeLabel(input.assessmentType),
    error_code: input.code,
    error_summary: errorSummary(input.code, input.exceptionClass),
    correlation_id: input.correlationId ?? 'unknown',
    message_id: input.messageId ?? 'unknown',
    attempts: input.attempts === null ? 'unknown' : String(input.attempts),
    occurred_at: input.occurredAt.toISOString(),
  };
}

/** Notify `reference` (§9.3): `{jobId}:{kind}`, or `msg-{messageId}:{kind}` when only a message id is known. */
export function notifyReference(kind: EmailKind, ids: { jobId?: string | null; messageId?: string | null }): string {
  if (ids.jobId) return `${ids.jobId}:${kind}`;
  if (ids.messageId) return `msg-${ids.messageId}:${kind}`;
  throw new Error('a Notify reference needs a job id or a message id');
}
