// Runs one statement of the job's transaction so that the job's AbortSignal reaches PostgreSQL:
// an abort sends a cancel request for the running query (postgres.js `query.cancel()`), the
// transaction rolls back, and the caller sees the signal's reason rather than SQLSTATE 57014.

import type postgres from 'postgres';

export type Tx = postgres.TransactionSql;

export async function runCancellable<Row extends postgres.MaybeRow>(
  query: postgres.PendingQuery<Row[]>,
  signal: AbortSignal,
): Promise<postgres.RowList<Row[]>> {
  signal.throwIfAborted();
  const onAbort = (): void => void query.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await query;
  } catch (error) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError');
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
