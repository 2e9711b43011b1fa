// A hand-rolled ZIP writer for hostile archives: every header field can lie (declared sizes, CRC,
// flags, names as raw bytes). Real archives in the specs come from jszip; this is for the rest.

import { crc32, deflateRawSync } from 'node:zlib';

export interface RawEntry {
  name: string | Buffer;
  data?: Buffer;
  method?: 0 | 8;
  /** Overrides the uncompressed size written in both headers. */
  declaredSize?: number;
  /** Overrides the compressed bytes (e.g. a pre-built deflate stream). */
  compressed?: Buffer;
  crc?: number;
  flags?: number;
}

/** ZIP64 extended information: both sizes and the local header offset as 64-bit values. */
function zip64Extra(size: number, compressed: number, offset: number): Buffer {
  const extra = Buffer.alloc(28);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(24, 2);
  extra.writeBigUInt64LE(BigInt(size), 4);
  extra.writeBigUInt64LE(BigInt(compressed), 12);
  extra.writeBigUInt64LE(BigInt(offset), 20);
  return extra;
}

/** The ZIP64 end record and its locator, which precede the classic end record. */
function zip64End(entries: number, directorySize: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(entries), 24);
  record.writeBigUInt64LE(BigInt(entries), 32);
  record.writeBigUInt64LE(BigInt(directorySize), 40);
  record.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator]);
}

export function buildRawZip(entries: readonly RawEntry[], options: { comment?: string; zip64?: boolean } = {}): Buffer {
  const MAX32 = 0xffffffff;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
    const data = entry.data ?? Buffer.alloc(0);
    const method = entry.method ?? 8;
    const compressed = entry.compressed ?? (method === 8 ? deflateRawSync(data) : data);
    const size = entry.declaredSize ?? data.length;
    const crc = entry.crc ?? crc32(data);
    const flags = entry.flags ?? (typeof entry.name === 'string' ? 0x0800 : 0);

    const extra = options.zip64 ? zip64Extra(size, compressed.length, offset) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(options.zip64 ? MAX32 : compressed.length, 18);
    local.writeUInt32LE(options.zip64 ? MAX32 : size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(options.zip64 ? MAX32 : compressed.length, 20);
    central.writeUInt32LE(options.zip64 ? MAX32 : size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(options.zip64 ? MAX32 : offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + extra.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(options.zip64 ? 0xffff : entries.length, 8);
  eocd.writeUInt16LE(options.zip64 ? 0xffff : entries.length, 10);
  eocd.writeUInt32LE(options.zip64 ? MAX32 : directory.length, 12);
  eocd.writeUInt32LE(options.zip64 ? MAX32 : offset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  const zip64 = options.zip64 ? zip64End(entries.length, directory.length, offset) : Buffer.alloc(0);
  return Buffer.concat([...locals, directory, zip64, eocd, comment]);
}
