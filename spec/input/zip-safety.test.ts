// Hostile archives and files, part 1 (contracts.md §5.1–5.4): every case is generated here and
// asserts its exact code and key detail fields through the queue entry point, readBoundary.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, deflateRawSync } from 'node:zlib';
import type { InputLimits } from '../../lib/config.js';
import type { ErrorCode } from '../../lib/errors.js';
import { readBoundary } from '../../lib/input/index.js';
import { SPEC_LIMITS, shapefileFiles, shapefileZip, square, zipFiles } from './support/builders.js';
import { useInputSpecContext } from './support/context.js';
import { rejectsWith } from './support/expect.js';
import { buildRawZip, type RawEntry } from './support/raw-zip.js';

const SITE = [square(582800, 328180, 20)];
const MiB = 1024 * 1024;

/** A 1 MB deflate stream that inflates to 1 GiB of zeros (full-flush blocks repeated). */
function gigabyteOfZeros(): Buffer {
  const block = deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array<Buffer>(1024).fill(block), Buffer.from([0x03, 0x00])]);
}

/** A valid shapefile's entries plus `extra` raw entries, as a hand-built archive. */
function rawShapefileZip(extra: RawEntry[], options: { zip64?: boolean } = {}): Buffer {
  const files = shapefileFiles([SITE], [{ id: 1 }]);
  const entries = Object.entries(files).map(([name, data]): RawEntry => ({ name, data: Buffer.from(data) }));
  return buildRawZip([...entries, ...extra], options);
}

const metadataEntries = (n: number): RawEntry[] => Array.from({ length: n }, (_, i) => ({ name: `__MACOSX/._f${i}`, data: Buffer.from('m') }));
const notes = (n: number): RawEntry[] => Array.from({ length: n }, (_, i) => ({ name: `notes${i}.txt`, data: Buffer.from('n') }));

interface Case {
  name: string;
  file: string;
  bytes: () => Buffer | Promise<Buffer>;
  code: ErrorCode;
  detail?: Record<string, unknown>;
  limits?: Partial<InputLimits>;
}

const CASES: Case[] = [
  { name: '.kml key', file: 'jobs/1/boundary.kml', bytes: () => shapefileZip([SITE], [{}]), code: 'unsupported_file_type', detail: { file: 'input' } },
  { name: '.shp key on the queue', file: 'jobs/1/boundary.shp', bytes: () => shapefileZip([SITE], [{}]), code: 'unsupported_file_type' },
  { name: 'empty object', file: 'input.zip', bytes: () => Buffer.alloc(0), code: 'upload_file_missing', detail: { file: 'input' } },
  { name: 'file over INPUT_MAX_FILE_BYTES', file: 'input.zip', bytes: () => Buffer.alloc(SPEC_LIMITS.maxFileBytes + 1), code: 'file_size_too_large' },
  { name: 'not a zip', file: 'input.zip', bytes: () => Buffer.from('PK this is not a zip file at all'), code: 'invalid_zip', detail: { reason: 'no_end_of_central_directory' } },
  { name: 'central directory cut short', file: 'input.zip', bytes: async () => (await shapefileZip([SITE], [{}])).subarray(0, -40), code: 'invalid_zip' },
  { name: 'encrypted entry flag', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'notes.txt', data: Buffer.from('secret'), flags: 0x0801 }]), code: 'invalid_zip', detail: { reason: 'encrypted_entry', entry: 'notes.txt' } },
  { name: 'CRC mismatch', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'notes.txt', data: Buffer.from('hello'), crc: 1234 }]), code: 'invalid_zip', detail: { reason: 'crc_mismatch' } },
  { name: 'corrupt deflate stream', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'notes.txt', data: Buffer.from('hello world'), compressed: Buffer.from([0xff, 0xff, 0xff]) }]), code: 'invalid_zip', detail: { reason: 'stream_error' } },
  { name: '51 central-directory entries', file: 'input.zip', bytes: () => rawShapefileZip(metadataEntries(47)), code: 'zip_too_many_files', detail: { reason: 'raw_entries', entries: 51 } },
  { name: '11 counted entries', file: 'input.zip', bytes: () => rawShapefileZip(notes(7)), code: 'zip_too_many_files', detail: { reason: 'counted_entries', entries: 11 } },
  { name: 'nested zip', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'inner/other.ZIP', data: Buffer.from('PK') }]), code: 'zip_nested_zip', detail: { entry: 'inner/other.ZIP' } },
  { name: 'nested zip hidden in __MACOSX', file: 'input.zip', bytes: () => rawShapefileZip([{ name: '__MACOSX/._x.zip', data: Buffer.from('m') }]), code: 'zip_nested_zip' },
  { name: 'zip-slip ../', file: 'input.zip', bytes: () => rawShapefileZip([{ name: '../../evil.txt', data: Buffer.from('x') }]), code: 'zip_unsafe_path', detail: { reason: 'parent_segment' } },
  { name: 'absolute path', file: 'input.zip', bytes: () => rawShapefileZip([{ name: '/etc/cron.d/evil', data: Buffer.from('x') }]), code: 'zip_unsafe_path', detail: { reason: 'absolute_path' } },
  { name: 'drive letter', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'C:/Windows/evil.txt', data: Buffer.from('x') }]), code: 'zip_unsafe_path', detail: { reason: 'drive_prefix' } },
  { name: 'backslash traversal', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'site\\..\\..\\evil.txt', data: Buffer.from('x') }]), code: 'zip_unsafe_path', detail: { reason: 'parent_segment' } },
  { name: 'NUL in a name', file: 'input.zip', bytes: () => rawShapefileZip([{ name: Buffer.from('evil.txt\0.shp', 'latin1'), data: Buffer.from('x') }]), code: 'zip_unsafe_path', detail: { reason: 'nul_character' } },
  { name: 'unsafe path in metadata', file: 'input.zip', bytes: () => rawShapefileZip([{ name: '__MACOSX/../../._evil', data: Buffer.from('x') }]), code: 'zip_unsafe_path' },
  { name: 'zip bomb: 1 GiB declared', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'bomb.txt', compressed: gigabyteOfZeros(), declaredSize: 2 ** 30, crc: 0 }]), code: 'zip_entry_too_large', detail: { reason: 'declared_size', declaredBytes: 2 ** 30 } },
  { name: 'ZIP64 entry declaring 5 GiB', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'big.txt', data: Buffer.from('x'), declaredSize: 5 * 2 ** 30 }], { zip64: true }), code: 'zip_entry_too_large', detail: { reason: 'declared_size', declaredBytes: 5 * 2 ** 30 } },
  { name: 'compression ratio over 100', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'zeros.bin', data: Buffer.alloc(5 * MiB) }]), code: 'zip_entry_too_large', detail: { reason: 'compression_ratio', limit: 100 } },
  { name: 'lying central directory (1 KB declared, 1 GiB real)', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'site.txt', compressed: gigabyteOfZeros(), declaredSize: 1000, crc: 0 }]), code: 'zip_entry_too_large', detail: { reason: 'inflated_beyond_declared', declaredBytes: 1000 } },
  { name: 'stored entry longer than declared', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'site.txt', method: 0, data: Buffer.alloc(500, 65), declaredSize: 100 }]), code: 'zip_entry_too_large', detail: { reason: 'inflated_beyond_declared' } },
  { name: 'declared total over the limit, metadata included', file: 'input.zip', bytes: () => rawShapefileZip([{ name: '__MACOSX/._big', data: Buffer.alloc(4000, 1) }]), limits: { zipMaxTotalBytes: 4000 }, code: 'zip_total_too_large', detail: { reason: 'declared_total' } },
  { name: 'unsafe file name', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'notes$1.txt', data: Buffer.from('x') }]), code: 'unsafe_filename', detail: { name: 'notes$1.txt' } },
  { name: 'non-ASCII file name', file: 'input.zip', bytes: () => rawShapefileZip([{ name: 'sité.txt', data: Buffer.from('x') }]), code: 'unsafe_filename' },
  { name: 'zip holding only GeoJSON', file: 'input.zip', bytes: () => zipFiles({ 'site.geojson': '{}' }), code: 'zip_missing_shapefile' },
  { name: 'missing .prj', file: 'input.zip', bytes: () => shapefileZip([SITE], [{}], { omit: ['.prj'] }), code: 'zip_missing_shapefile_parts', detail: { missing: ['.prj'] } },
  { name: 'missing .shx and .dbf', file: 'input.zip', bytes: () => shapefileZip([SITE], [{}], { omit: ['.shx', '.dbf'] }), code: 'zip_missing_shapefile_parts', detail: { missing: ['.shx', '.dbf'] } },
  { name: 'siblings in another folder', file: 'input.zip', bytes: async () => zipFiles({ ...shapefileFiles([SITE], [{}], { folder: 'a', omit: ['.prj'] }), 'b/site.prj': 'x' }), code: 'zip_missing_shapefile_parts', detail: { missing: ['.prj'] } },
];

describe('ZIP safety and file checks (hostile corpus, part 1)', () => {
  const ctx = useInputSpecContext();

  for (const c of CASES) {
    test(`${c.code}: ${c.name}`, async () => {
      const bytes = await c.bytes();
      await rejectsWith(readBoundary({ name: c.file, bytes }, ctx.options({ limits: { ...SPEC_LIMITS, ...c.limits } })), c.code, c.detail);
    });
  }

  test('a well-formed zipped shapefile passes, with a folder, upper-case key and macOS metadata (12 entries)', async () => {
    const files = shapefileFiles([SITE], [{ id: 1 }], { folder: 'site' });
    const metadata = Object.fromEntries(Object.keys(files).map((name) => [`__MACOSX/site/._${name.slice(5)}`, Buffer.alloc(163, 1)]));
    const bytes = await zipFiles({ ...files, ...metadata, '__MACOSX/._site': Buffer.alloc(163, 1), 'site/.DS_Store': 'x', 'Thumbs.db': 'x' });
    const result = await readBoundary({ name: 'jobs/1/INPUT.ZIP', bytes }, ctx.options());
    assert.equal(result.sites.length, 1);
    assert.equal(result.info.format, 'shapefile-zip');
  });

  test('a ZIP64 archive (64-bit sizes, offsets and end record) is read', async () => {
    const result = await readBoundary({ name: 'input.zip', bytes: rawShapefileZip([], { zip64: true }) }, ctx.options());
    assert.equal(result.sites.length, 1);
  });

  test('several shapefiles: the first path case-insensitively is read, the rest are named in a warning', async () => {
    const bytes = await zipFiles({
      ...shapefileFiles([[square(500000, 200000, 10)]], [{}], { stem: 'b_site' }),
      ...shapefileFiles([[square(500000, 200000, 30)], [square(500100, 200000, 30)]], [{}, {}], { stem: 'A_site' }),
    });
    const result = await readBoundary({ name: 'input.zip', bytes }, ctx.options());
    assert.equal(result.sites.length, 2);
    assert.deepEqual(result.warnings.map((w) => [w.code, w.detail?.ignored]), [['additional_shapefiles_ignored', ['b_site.shp']]]);
  });

  test('zip bombs never inflate past the cap: peak memory stays under 150 MB', async () => {
    const bomb = rawShapefileZip([{ name: 'site.txt', compressed: gigabyteOfZeros(), declaredSize: SPEC_LIMITS.zipMaxEntryBytes - 4096, crc: 0 }]);
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage();
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    await rejectsWith(readBoundary({ name: 'input.zip', bytes: bomb }, ctx.options()), 'zip_entry_too_large', { reason: 'inflated_beyond_declared' });
    const after = process.memoryUsage();
    const peakAfter = process.resourceUsage().maxRSS * 1024;
    const growth = Math.max(after.rss - before.rss, peakAfter - Math.max(peakBefore, before.rss), after.arrayBuffers - before.arrayBuffers);
    const mb = (n: number): string => (n / MiB).toFixed(1);
    process.stdout.write(`zip bomb (1 GiB real, ~20 MiB declared): rss ${mb(before.rss)} → ${mb(after.rss)} MB, peak rss of the whole test process ${mb(peakAfter)} MB, growth ≤ ${mb(growth)} MB\n`);
    assert.ok(growth < 150 * MiB, `memory grew by ${mb(growth)} MB`);
  });
});
