// ZIP safety (contracts.md §5.3): the nine checks in their normative order, each run across all
// entries before the next, so the reported code never depends on entry order. Only counted
// entries (not directories, not platform metadata) are inflated, and only in memory: nothing is
// ever written to disk under an archive name.

import type { InputLimits } from '../../config.js';
import type { InputBudget } from '../budget.js';
import { inputError } from '../errors.js';
import { readCentralDirectory, type CentralEntry } from './central-directory.js';
import { inflateEntry } from './inflate.js';

export type ZipLimits = Pick<InputLimits, 'zipMaxEntries' | 'zipMaxRawEntries' | 'zipMaxEntryBytes' | 'zipMaxTotalBytes' | 'zipMaxCompressionRatio'>;

export interface ZipFile {
  /** Archive path with `/` separators. */
  path: string;
  /** Last path segment. */
  bareName: string;
  data: Buffer;
}

export interface ZipWalkOptions {
  limits: ZipLimits;
  signal: AbortSignal;
  budget?: InputBudget;
}

const METADATA_NAMES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini']);
const SAFE_BARE_NAME = /^[A-Za-z0-9 ._()-]+$/;

function bareNameOf(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  return segments[segments.length - 1] ?? '';
}

export function isDirectory(entry: CentralEntry): boolean {
  return entry.path.endsWith('/');
}

/** `__MACOSX/` subtrees, AppleDouble `._*` files, `.DS_Store`, `Thumbs.db`, `desktop.ini`. */
export function isPlatformMetadata(entry: CentralEntry): boolean {
  if (entry.path.split('/').includes('__MACOSX')) return true;
  const bare = bareNameOf(entry.path);
  return bare.startsWith('._') || METADATA_NAMES.has(bare.toLowerCase());
}

/** Why a path is unsafe (check 5), or null. */
export function unsafePathReason(path: string): string | null {
  if (path === '') return 'empty_name';
  if (path.includes('\0')) return 'nul_character';
  if (path.startsWith('/')) return 'absolute_path';
  if (/^[A-Za-z]:/.test(path)) return 'drive_prefix';
  const segments = path.split('/');
  if (segments.includes('..')) return 'parent_segment';
  // Belt and braces: resolving `.` and empty segments must not climb out of the root either.
  let depth = 0;
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    depth += 1;
  }
  return depth === 0 ? 'empty_path' : null;
}

function ratioOf(entry: CentralEntry): number {
  if (entry.uncompressedSize === 0) return 0;
  return entry.compressedSize === 0 ? Number.POSITIVE_INFINITY : entry.uncompressedSize / entry.compressedSize;
}

/** Checks 2–7: everything the central directory alone can decide. */
function checkDirectory(entries: CentralEntry[], counted: CentralEntry[], limits: ZipLimits): void {
  if (entries.length > limits.zipMaxRawEntries) {
    throw inputError('zip_too_many_files', { reason: 'raw_entries', entries: entries.length, limit: limits.zipMaxRawEntries });
  }
  if (counted.length > limits.zipMaxEntries) {
    throw inputError('zip_too_many_files', { reason: 'counted_entries', entries: counted.length, limit: limits.zipMaxEntries });
  }
  const nested = entries.find((e) => e.path.toLowerCase().endsWith('.zip'));
  if (nested) throw inputError('zip_nested_zip', { entry: nested.name });
  for (const entry of entries) {
    const reason = unsafePathReason(entry.path);
    if (reason) throw inputError('zip_unsafe_path', { entry: entry.name, reason });
  }
  for (const entry of counted) {
    if (entry.uncompressedSize > limits.zipMaxEntryBytes) {
      throw inputError('zip_entry_too_large', { entry: entry.name, reason: 'declared_size', declaredBytes: entry.uncompressedSize, limitBytes: limits.zipMaxEntryBytes });
    }
    const ratio = ratioOf(entry);
    if (ratio > limits.zipMaxCompressionRatio) {
      throw inputError('zip_entry_too_large', {
        entry: entry.name, reason: 'compression_ratio', declaredBytes: entry.uncompressedSize,
        compressedBytes: entry.compressedSize, ratio: Number.isFinite(ratio) ? Math.round(ratio) : null, limit: limits.zipMaxCompressionRatio,
      });
    }
  }
  const declaredTotal = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (declaredTotal > limits.zipMaxTotalBytes) {
    throw inputError('zip_total_too_large', { reason: 'declared_total', declaredBytes: declaredTotal, limitBytes: limits.zipMaxTotalBytes });
  }
}

/**
 * Opens a ZIP held in memory and returns its counted entries, inflated, after every §5.3 check
 * has passed. Throws the first failing check's JobError.
 */
export function readSafeZip(bytes: Buffer, options: ZipWalkOptions): ZipFile[] {
  const { limits, signal, budget } = options;
  const entries = readCentralDirectory(bytes); // check 1 (structure, encryption)
  const counted = entries.filter((e) => !isDirectory(e) && !isPlatformMetadata(e));
  checkDirectory(entries, counted, limits); // checks 2–7
  const files: ZipFile[] = [];
  let inflatedTotal = 0;
  for (const entry of counted) { // check 8 (and check 1's CRC / stream errors)
    signal.throwIfAborted();
    const data = inflateEntry(bytes, entry, limits.zipMaxEntryBytes);
    inflatedTotal += data.length;
    if (inflatedTotal > limits.zipMaxTotalBytes) {
      throw inputError('zip_total_too_large', { reason: 'inflated_total', inflatedBytes: inflatedTotal, limitBytes: limits.zipMaxTotalBytes });
    }
    budget?.charge(data.length, 'inflate');
    files.push({ path: entry.path, bareName: bareNameOf(entry.path), data });
  }
  const unsafe = files.find((f) => !SAFE_BARE_NAME.test(f.bareName)); // check 9
  if (unsafe) throw inputError('unsafe_filename', { entry: unsafe.path, name: unsafe.bareName });
  return files;
}
