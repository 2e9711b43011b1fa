// COPY … FROM STDIN in text format through postgres.js: the fastest way to stream reference rows
// (measured in docs/reference-data.md). Geometry travels as hex (E)WKB, which PostGIS parses
// directly from text; rows are buffered into ~256 KB chunks and backpressure is honoured.

import type { Writable } from 'node:stream';
import type { Tx } from './versions.js';

export type CopyValue = string | number | boolean | null;

/** One field in COPY text format: `\N` for null, backslash escapes for the four special bytes. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : value;
}

/** bytea as COPY text: the `\x` hex form with its backslash escaped. */
export function copyBytea(bytes: Uint8Array): string {
  return `\\\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

export function copyLine(values: readonly CopyValue[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}

const CHUNK_BYTES = 256 * 1024;

/** The server ended the COPY (postgres.js destroys the stream with the ErrorResponse). */
function closedError(stream: Writable): Error {
  return stream.errored ?? new Error('COPY stream closed by the server');
}

function waitDrain(stream: Writable, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) {
      reject(closedError(stream));
      return;
    }
    const done = (): void => { cleanup(); resolve(); };
    const fail = (error: unknown): void => { cleanup(); reject(error instanceof Error ? error : new Error(String(error))); };
    const onClose = (): void => fail(closedError(stream));
    const onAbort = (): void => fail(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    const cleanup = (): void => {
      stream.off('drain', done);
      stream.off('error', fail);
      stream.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    stream.once('drain', done);
    stream.once('error', fail);
    stream.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// postgres.js 3.4.9 never settles the writable when the server rejects the COPY after CopyDone
// (porsager/postgres#1173, fix pending in #1183): the error is swallowed and `finish` never comes.
// Everything the server still has to process after our last drained write takes seconds, so a
// COPY that has not finished a minute after end() is treated as failed; the surrounding
// transaction then rolls back on a connection that is idle again.
const FINISH_TIMEOUT_MS = 60_000;

async function settleAfterEnd(finished: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`COPY did not complete within ${timeoutMs / 1000} s of its last row: the server most likely rejected a row (postgres.js does not report it, porsager/postgres#1173)`)), timeoutMs);
  });
  try {
    await Promise.race([finished, watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

export interface CopyOptions {
  /** Test hook: how long to wait for the server's completion after the last row. */
  finishTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called with the running row count after each flushed chunk. */
  onProgress?: (rows: number) => void;
}

/**
 * Streams pre-encoded COPY lines (each ending in "\n") into `target`, e.g.
 * `coefficient_layer (version, crome_id, geometry)`. `target` is trusted SQL (our own constants).
 * Returns the number of rows written.
 */
export async function copyInto(sql: Tx, target: string, lines: AsyncIterable<string> | Iterable<string>, options: CopyOptions = {}): Promise<number> {
  const { signal } = options;
  signal?.throwIfAborted();
  const stream = await sql.unsafe(`COPY ${target} FROM STDIN`).writable();
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  // Keep the rejection observed even if we fail before awaiting it.
  finished.catch(() => undefined);
  const onAbort = (): void => void stream.destroy(signal?.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
  signal?.addEventListener('abort', onAbort, { once: true });
  let rows = 0;
  let chunk: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    if (stream.destroyed) throw closedError(stream);
    const ok = stream.write(chunk.join(''));
    chunk = [];
    size = 0;
    options.onProgress?.(rows);
    if (!ok) await waitDrain(stream, signal);
  };
  try {
    for await (const line of lines) {
      chunk.push(line);
      size += line.length;
      rows += 1;
      if (size >= CHUNK_BYTES) await flush();
    }
    await flush();
    signal?.throwIfAborted();
    stream.end();
    await settleAfterEnd(finished, options.finishTimeoutMs ?? FINISH_TIMEOUT_MS);
    return rows;
  } catch (error) {
    if (!stream.destroyed) stream.destroy(error instanceof Error ? error : new Error(String(error)));
    await finished.catch(() => undefined);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
