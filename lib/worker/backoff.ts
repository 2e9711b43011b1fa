// Full-jitter exponential backoff (operations.md §2.5) and an abortable sleep. The sleep resolves
// early (never rejects) when its signal fires, so a draining worker leaves a backoff at once.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const POLL_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/** Upper bound of the n-th wait (attempt 1 = base): base × 2^(attempt−1), capped. */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 30));
}

/** Full jitter: uniform in [0, ceiling]. `random` is injectable so specs can pin it. */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, policy));
}

/** Waits `ms` or until `signal` aborts, whichever comes first. Resolves true when it slept fully. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
