// The retry table for transient Postgres failures (operations.md §6.4). Whole units of work are
// retried with full jitter; everything else fails fast and is classified by the job.

import { JobError, isAbortError } from '../errors.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
const RETRYABLE_SQLSTATE = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '53300']);

export type RetryKey = 'connection' | '57P01' | '57P02' | '57P03' | '40001' | '40P01' | '53300';

/** The retry-table key of an error, or null when it must not be retried. */
export function retryKeyOf(error: unknown): RetryKey | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  if (CONNECTION_CODES.has(code)) return 'connection';
  if (RETRYABLE_SQLSTATE.has(code)) return code as RetryKey;
  return null;
}

export interface RetryOptions {
  signal?: AbortSignal;
  attempts?: number;
  onRetry?: (key: RetryKey, attempt: number, delayMs: number, error: Error) => void;
  random?: () => number;
}

export function retryDelayMs(key: RetryKey, attempt: number, random: () => number = Math.random): number {
  const base = key === '53300' ? 1000 : 100;
  return Math.floor(random() * Math.min(5000, base * 2 ** attempt));
}

/**
 * Runs fn, retrying retryable database failures up to `attempts` times in all. Exhausted retries
 * become the transient `db_unavailable`.
 */
export async function withDbRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (isAbortError(error) || options.signal?.aborted) throw error;
      const key = retryKeyOf(error);
      if (!key) throw error;
      if (attempt >= attempts) throw new JobError('db_unavailable', { cause: error, detail: { retryKey: key, attempts } });
      const delay = retryDelayMs(key, attempt, options.random);
      options.onRetry?.(key, attempt, delay, error as Error);
      await sleep(delay, options.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
