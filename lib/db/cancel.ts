// Cancellation that reaches PostgreSQL (STYLE.md §1): when the job's AbortSignal fires, the
// running statement gets a cancel request (postgres.js `query.cancel()`), so a long overlay stops
// on the server instead of running on after the job gave up. Every module that runs a query
// under a job's signal goes through `cancellable`.

/** The error an aborted signal stands for: its reason when that is an Error, else an AbortError. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal);
}

/**
 * Awaits a lazy postgres.js query (a tagged template, `sql.unsafe(...)`), cancelling it on the
 * server when the signal fires. A query the signal already stopped is never sent. After an abort
 * the rejection is the signal's reason, not the server's "canceling statement due to user
 * request" (SQLSTATE 57014), so callers see why the job stopped. Without a signal the query
 * simply runs.
 */
export async function cancellable<T>(query: PromiseLike<T> & { cancel(): unknown }, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return query;
  throwIfAborted(signal);
  const onAbort = (): void => void query.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await query;
  } catch (error) {
    if (signal.aborted) throw abortReason(signal);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
