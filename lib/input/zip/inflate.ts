// Inflates one entry without trusting its header: zlib stops the moment the output passes the
// smaller of the declared size and the per-entry cap (`maxOutputLength`), so a lying header can
// never make the worker hold more than the cap. Memory per entry is bounded by that cap (20 MiB);
// inflating synchronously keeps this simple and takes a few milliseconds at that size.

import { crc32, inflateRawSync } from 'node:zlib';
import { inputError } from '../errors.js';
import type { CentralEntry } from './central-directory.js';

const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

function compressedBytes(zip: Buffer, entry: CentralEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) {
    throw inputError('invalid_zip', { reason: 'local_header_missing', entry: entry.name });
  }
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw inputError('invalid_zip', { reason: 'entry_data_out_of_bounds', entry: entry.name });
  return zip.subarray(start, end);
}

function tooLarge(entry: CentralEntry, limit: number): never {
  throw inputError('zip_entry_too_large', {
    entry: entry.name, reason: 'inflated_beyond_declared', declaredBytes: entry.uncompressedSize, limitBytes: limit,
  });
}

function isBufferTooLarge(error: unknown): boolean {
  return error instanceof RangeError && (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

export function inflateEntry(zip: Buffer, entry: CentralEntry, entryCap: number): Buffer {
  const limit = Math.min(entry.uncompressedSize, entryCap);
  const compressed = compressedBytes(zip, entry);
  let data: Buffer;
  if (entry.method === STORED) {
    if (compressed.length > limit) tooLarge(entry, limit);
    data = compressed;
  } else if (entry.method === DEFLATED) {
    try {
      data = inflateRawSync(compressed, { maxOutputLength: Math.max(1, limit) });
    } catch (error) {
      if (isBufferTooLarge(error)) tooLarge(entry, limit);
      throw inputError('invalid_zip', { reason: 'stream_error', entry: entry.name }, error);
    }
  } else {
    throw inputError('invalid_zip', { reason: 'unsupported_compression_method', entry: entry.name, method: entry.method });
  }
  // maxOutputLength is at least 1, so a "0 byte" entry may still yield one byte: that lies too.
  if (data.length > limit) tooLarge(entry, limit);
  if (data.length !== entry.uncompressedSize) {
    throw inputError('invalid_zip', { reason: 'size_mismatch', entry: entry.name, declaredBytes: entry.uncompressedSize, actualBytes: data.length });
  }
  if (crc32(data) !== entry.crc32) throw inputError('invalid_zip', { reason: 'crc_mismatch', entry: entry.name });
  return data;
}
