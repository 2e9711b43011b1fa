// A strict reader of the ZIP end-of-central-directory record and the central directory
// (PKWARE APPNOTE 6.3, incl. ZIP64). It parses structure only: nothing is inflated here, and no
// declared size is trusted later (zip/entries.ts counts the bytes it inflates).
// Any structural fault is `invalid_zip` (contracts.md §5.3 check 1).

import { inputError } from '../errors.js';

export interface CentralEntry {
  /** 0-based position in the central directory. */
  index: number;
  /** The name as stored, decoded (UTF-8 when flagged, else byte-for-byte Latin-1). */
  name: string;
  /** `name` with `\` read as `/` (the path every check and lookup uses). */
  path: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const METHOD_AES = 99;

interface Directory {
  total: number;
  size: number;
  offset: number;
}

function broken(reason: string, extra: Record<string, unknown> = {}): never {
  throw inputError('invalid_zip', { reason, ...extra });
}

function u64(buffer: Buffer, at: number): number {
  const value = buffer.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) broken('zip64_value_too_large');
  return Number(value);
}

function findEocd(buffer: Buffer): number {
  const lowest = Math.max(0, buffer.length - 22 - MAX16);
  for (let at = buffer.length - 22; at >= lowest; at -= 1) {
    if (buffer.readUInt32LE(at) === EOCD && at + 22 + buffer.readUInt16LE(at + 20) <= buffer.length) return at;
  }
  return broken('no_end_of_central_directory');
}

function readDirectory(buffer: Buffer, eocd: number): Directory {
  const disk = buffer.readUInt16LE(eocd + 4);
  const cdDisk = buffer.readUInt16LE(eocd + 6);
  const onDisk = buffer.readUInt16LE(eocd + 8);
  let total = buffer.readUInt16LE(eocd + 10);
  let size = buffer.readUInt32LE(eocd + 12);
  let offset = buffer.readUInt32LE(eocd + 16);
  if (total === MAX16 || size === MAX32 || offset === MAX32) {
    const locator = eocd - 20;
    if (locator < 0 || buffer.readUInt32LE(locator) !== ZIP64_LOCATOR) broken('zip64_locator_missing');
    const record = u64(buffer, locator + 8);
    if (record + 56 > buffer.length || buffer.readUInt32LE(record) !== ZIP64_EOCD) broken('zip64_record_missing');
    if (buffer.readUInt32LE(record + 16) !== 0 || buffer.readUInt32LE(record + 20) !== 0) broken('multi_disk_archive');
    total = u64(buffer, record + 32);
    size = u64(buffer, record + 40);
    offset = u64(buffer, record + 48);
  } else if (disk !== 0 || cdDisk !== 0 || onDisk !== total) {
    broken('multi_disk_archive');
  }
  if (offset + size > buffer.length) broken('central_directory_out_of_bounds');
  return { total, size, offset };
}

/** ZIP64 extended information (0x0001) replaces, in order, each 32-bit field that is 0xFFFFFFFF. */
function applyZip64Extra(extra: Buffer, entry: CentralEntry): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    const body = extra.subarray(at + 4, at + 4 + length);
    if (body.length !== length) broken('extra_field_truncated', { entry: entry.name });
    if (id === 0x0001) {
      let field = 0;
      const next = (): number => {
        if (field + 8 > body.length) broken('zip64_extra_truncated', { entry: entry.name });
        const value = u64(body, field);
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === MAX32) entry.uncompressedSize = next();
      if (entry.compressedSize === MAX32) entry.compressedSize = next();
      if (entry.localHeaderOffset === MAX32) entry.localHeaderOffset = next();
    }
    at += 4 + length;
  }
}

function decodeName(raw: Buffer, flags: number): string {
  return raw.toString((flags & FLAG_UTF8) !== 0 ? 'utf8' : 'latin1');
}

/** Parses the central directory; rejects archives that do not open or hold encrypted entries. */
export function readCentralDirectory(buffer: Buffer): CentralEntry[] {
  if (buffer.length < 22) broken('too_short');
  const directory = readDirectory(buffer, findEocd(buffer));
  const end = directory.offset + directory.size;
  const entries: CentralEntry[] = [];
  let at = directory.offset;
  // Bounded by the directory's bytes (each record is ≥ 46), never by the declared count alone.
  while (entries.length < directory.total) {
    if (at + 46 > end || buffer.readUInt32LE(at) !== CENTRAL) broken('central_directory_truncated', { entriesRead: entries.length });
    const flags = buffer.readUInt16LE(at + 8);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) broken('central_directory_truncated', { entriesRead: entries.length });
    const name = decodeName(buffer.subarray(at + 46, at + 46 + nameLength), flags);
    const entry: CentralEntry = {
      index: entries.length,
      name,
      path: name.replaceAll('\\', '/'),
      flags,
      method: buffer.readUInt16LE(at + 10),
      crc32: buffer.readUInt32LE(at + 16),
      compressedSize: buffer.readUInt32LE(at + 20),
      uncompressedSize: buffer.readUInt32LE(at + 24),
      localHeaderOffset: buffer.readUInt32LE(at + 42),
    };
    applyZip64Extra(buffer.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 || entry.method === METHOD_AES) {
      broken('encrypted_entry', { entry: name });
    }
    entries.push(entry);
    at = next;
  }
  return entries;
}
