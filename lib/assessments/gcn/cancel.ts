// Cancellation that reaches the database: an aborted job sends a cancel request for the running
// statement (postgres.js `query.cancel()`), so a long overlay stops on the server instead of
// running on after the job gave up.

import type postgres from 'postgres';

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal);
}

/**
 * Awaits a lazy postgres.js query, cancelling it on the server when the signal fires. A query the
 * signal already stopped is never sent. After an abort the rejection is the signal's reason, not
 * the server's "canceling statement due to user request".
 */
export async function cancellable<R extends readonly postgres.MaybeRow[]>(query: postgres.PendingQuery<R>, signal: AbortSignal): Promise<postgres.RowList<R>> {
  throwIfAborted(signal);
  const onAbort = (): void => query.cancel();
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
