// Error kinds and the one error class every job failure travels as (contracts.md §6).
// Boundaries (S3, SQS, Postgres, HTTP) wrap their failures in JobError; anything that reaches the
// job runner unclassified becomes `internal_error` (kind `bug`) through coerceError/toJobError.

import { ERROR_CATALOGUE, isErrorCode, type ErrorCode, type ErrorKind } from './errors/catalogue.js';

export { ERROR_CATALOGUE, isErrorCode, type ErrorCode, type ErrorKind };

export type ErrorDetail = Record<string, unknown>;

/** The wire envelope: ledger, logs, result document, CLI output. */
export interface ErrorEnvelope {
  code: ErrorCode;
  kind: ErrorKind;
  message: string;
  detail: ErrorDetail;
}

export interface JobErrorOptions {
  detail?: ErrorDetail;
  cause?: unknown;
  /** Overrides the catalogue message (e.g. interpolated limits). */
  message?: string;
}

export class JobError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly detail: ErrorDetail;

  constructor(code: ErrorCode, options: JobErrorOptions = {}) {
    super(options.message ?? ERROR_CATALOGUE[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JobError';
    this.code = code;
    this.kind = ERROR_CATALOGUE[code].kind;
    this.detail = options.detail ?? {};
  }

  get permanent(): boolean {
    return this.kind === 'input' || this.kind === 'data' || this.kind === 'callback';
  }

  toEnvelope(): ErrorEnvelope {
    return { code: this.code, kind: this.kind, message: this.message, detail: this.detail };
  }
}

export function jobError(code: ErrorCode, detail?: ErrorDetail, cause?: unknown): JobError {
  return new JobError(code, { detail, cause });
}

/** Strict-mode `catch (e: unknown)` helper: always hands back an Error. */
export function coerceError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return new Error(`Non-error thrown: ${text}`);
}

/** Classifies anything thrown inside a job; unclassified exceptions are bugs (`internal_error`). */
export function toJobError(value: unknown): JobError {
  if (value instanceof JobError) return value;
  const error = coerceError(value);
  return new JobError('internal_error', {
    cause: error,
    message: ERROR_CATALOGUE.internal_error.message.replace('{exceptionClass}', error.name || 'Error'),
    detail: { exceptionClass: error.name || 'Error' },
  });
}

export function isAbortError(value: unknown): boolean {
  return value instanceof Error && (value.name === 'AbortError' || (value as { code?: unknown }).code === 'ABORT_ERR');
}

/** Walks `cause` chains (bounded) so logs can show the root failure. */
export function errorChain(error: Error, max = 5): Error[] {
  const chain: Error[] = [error];
  let current: unknown = error.cause;
  while (current instanceof Error && chain.length < max) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}
