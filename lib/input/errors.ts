// Coded input failures (contracts.md §5, §6.1). Readers throw JobErrors without `detail.file`;
// the entry points stamp the file role on the way out so every rejection names its file.

import { ERROR_CATALOGUE, JobError, type ErrorCode, type ErrorDetail } from '../errors.js';

export type FileRole = 'input' | 'survey_ponds' | 'message';

export function inputError(code: ErrorCode, detail: ErrorDetail = {}, cause?: unknown): JobError {
  return new JobError(code, { detail, cause });
}

/** `file_size_too_large` with the catalogue's `{limitMb}` filled in. */
export function fileTooLarge(limitBytes: number, detail: ErrorDetail = {}): JobError {
  const limitMb = String(Number((limitBytes / 1_048_576).toFixed(2)));
  return new JobError('file_size_too_large', {
    detail: { limitBytes, ...detail },
    message: ERROR_CATALOGUE.file_size_too_large.message.replace('{limitMb}', limitMb),
  });
}

/** Adds `detail.file` to input-kind JobErrors that do not carry one yet. */
export function withFileRole(error: unknown, file: FileRole): unknown {
  if (!(error instanceof JobError) || error.kind !== 'input' || 'file' in error.detail) return error;
  return new JobError(error.code, { detail: { file, ...error.detail }, message: error.message, cause: error.cause });
}

/** §6.1 codes whose survey-ponds reason is a gcn.md §3.2 name rather than the code itself. */
const POND_REASONS: Partial<Record<ErrorCode, string>> = {
  unreadable_geometry_file: 'unreadable_file',
  invalid_geometry: 'null_geometry',
};

/**
 * contracts.md §5.10: every permanent failure of the survey-ponds file is `invalid_survey_ponds`
 * with `detail.file = "survey_ponds"` and a reason; transient faults (S3) pass through unchanged.
 */
export function toSurveyPondsError(error: unknown): unknown {
  if (!(error instanceof JobError) || error.kind !== 'input') return error;
  if (error.code === 'invalid_survey_ponds') return withFileRole(error, 'survey_ponds');
  const { file: _file, reason: sourceReason, ...rest } = error.detail;
  const reason = POND_REASONS[error.code] ?? error.code;
  const detail = { file: 'survey_ponds', reason, ...(sourceReason === undefined ? {} : { sourceReason }), ...rest };
  return new JobError('invalid_survey_ponds', { detail, cause: error });
}

/** Runs `work`, stamping the file role (and the ponds mapping) on any input failure. */
export async function asFileRole<T>(file: FileRole, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw file === 'survey_ponds' ? toSurveyPondsError(error) : withFileRole(error, file);
  }
}
