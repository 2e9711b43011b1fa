// Why a job's signal fired (operations.md §1.6, §2.3). The worker aborts the job controller with
// one of these errors; the job pipeline reads the reason with `jobAbortReason(signal)` to settle
// as `retry`/`deadline_exceeded` (timeout) or `abandoned` (shutdown).

export type JobAbortReasonName = 'timeout' | 'shutdown';

export class JobAbortError extends Error {
  constructor(readonly reason: JobAbortReasonName) {
    super(reason === 'timeout' ? 'Job deadline exceeded (JOB_TIMEOUT_SECONDS)' : 'Worker shutting down: job abandoned');
    // AbortError is the name fetch, the AWS SDK and our own helpers recognise as cancellation.
    this.name = 'AbortError';
  }
}

/** The reason a job signal fired, or null when it has not fired (or fired for another reason). */
export function jobAbortReason(signal: AbortSignal): JobAbortReasonName | null {
  if (!signal.aborted) return null;
  const reason: unknown = signal.reason;
  return reason instanceof JobAbortError ? reason.reason : null;
}
