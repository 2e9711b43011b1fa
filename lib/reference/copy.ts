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

function waitDrain(stream: Writable, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => { cleanup(); resolve(); };
    const fail = (error: unknown): void => { cleanup(); reject(error instanceof Error ? error : new Error(String(error))); };
    const onAbort = (): void => fail(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    const cleanup = (): void => {
      stream.off('drain', done);
      stream.off('error', fail);
      signal?.removeEventListener('abort', onAbort);
    };
    stream.once('drain', done);
    stream.once('error', fail);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface CopyOptions {
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
    await finished;
    return rows;
  } catch (error) {
    if (!stream.destroyed) stream.destroy(error instanceof Error ? error : new Error(String(error)));
    await finished.catch(() => undefined);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
