// A strict structural walk of .shp, .shx and .dbf before decoding. The `shapefile` package is
// forgiving by design (it skips ahead over a corrupt record to resynchronise), which would silently
// drop features; here any inconsistency is `unreadable_geometry_file` (contracts.md §5.4).

import { inputError } from '../errors.js';

const FILE_CODE = 9994;
const VERSION = 1000;
/** Shape types the `shapefile` package decodes (MultiPatch, 31, is not one). */
const SHAPE_TYPES = new Set([0, 1, 3, 5, 8, 11, 13, 15, 18, 21, 23, 25, 28]);
const POINT_TYPES = new Set([1, 11, 21]);
const MULTIPOINT_TYPES = new Set([8, 18, 28]);
const DBF_FIELD_TYPES = new Set(['B', 'C', 'D', 'F', 'L', 'M', 'N']);

export interface ShapefileStructure {
  /** The .shp cut to its declared length (trailing bytes would be parsed as records). */
  shp: Buffer;
  records: number;
  shapeType: number;
}

function corrupt(part: 'shp' | 'shx' | 'dbf', reason: string, extra: Record<string, unknown> = {}): never {
  throw inputError('unreadable_geometry_file', { part: `.${part}`, reason, ...extra });
}

function checkRecordContent(shp: Buffer, at: number, length: number, type: number, record: number): void {
  if (type === 0) return;
  if (POINT_TYPES.has(type)) {
    if (length < 20) corrupt('shp', 'record_too_short', { record });
    return;
  }
  if (MULTIPOINT_TYPES.has(type)) {
    if (length < 40 || 40 + 16 * shp.readInt32LE(at + 36) > length) corrupt('shp', 'record_too_short', { record });
    return;
  }
  // PolyLine / Polygon (+Z/M): box, numParts, numPoints, parts[], points[]
  if (length < 44) corrupt('shp', 'record_too_short', { record });
  const parts = shp.readInt32LE(at + 36);
  const points = shp.readInt32LE(at + 40);
  if (parts < 0 || points < 0 || 44 + 4 * parts + 16 * points > length) corrupt('shp', 'record_counts_exceed_record', { record });
  let previous = 0;
  for (let p = 0; p < parts; p += 1) {
    const start = shp.readInt32LE(at + 44 + 4 * p);
    if ((p === 0 && start !== 0) || start < previous || start > points) corrupt('shp', 'bad_part_index', { record, part: p });
    previous = start;
  }
}

function walkShp(shp: Buffer): ShapefileStructure {
  if (shp.length < 100 || shp.readInt32BE(0) !== FILE_CODE) corrupt('shp', 'not_a_shapefile');
  if (shp.readInt32LE(28) !== VERSION) corrupt('shp', 'unknown_version');
  const shapeType = shp.readInt32LE(32);
  if (!SHAPE_TYPES.has(shapeType)) corrupt('shp', 'unsupported_shape_type', { shapeType });
  const fileLength = shp.readInt32BE(24) * 2;
  if (fileLength < 100 || fileLength > shp.length) corrupt('shp', 'declared_length_mismatch', { declaredBytes: fileLength, actualBytes: shp.length });
  let at = 100;
  let records = 0;
  while (at < fileLength) {
    if (at + 12 > fileLength) corrupt('shp', 'truncated_record_header', { record: records });
    const length = shp.readInt32BE(at + 4) * 2;
    if (length < 4 || at + 8 + length > fileLength) corrupt('shp', 'record_length_out_of_bounds', { record: records });
    const type = shp.readInt32LE(at + 8);
    if (type !== 0 && type !== shapeType) corrupt('shp', 'mixed_shape_types', { record: records, shapeType: type });
    checkRecordContent(shp, at + 8, length, type, records);
    records += 1;
    at += 8 + length;
  }
  return { shp: shp.subarray(0, fileLength), records, shapeType };
}

function checkShx(shx: Buffer, records: number): void {
  if (shx.length < 100 || shx.readInt32BE(0) !== FILE_CODE) corrupt('shx', 'not_a_shape_index');
  const length = shx.readInt32BE(24) * 2;
  if (length > shx.length || (length - 100) / 8 !== records) corrupt('shx', 'index_does_not_match_shp', { shpRecords: records });
}

function checkDbf(dbf: Buffer, records: number): void {
  if (dbf.length < 33) corrupt('dbf', 'too_short');
  const count = dbf.readUInt32LE(4);
  const headerLength = dbf.readUInt16LE(8);
  const recordLength = dbf.readUInt16LE(10);
  if (headerLength < 33 || headerLength > dbf.length) corrupt('dbf', 'bad_header_length');
  let fieldBytes = 0;
  let at = 32;
  for (; at < headerLength && dbf[at] !== 0x0d; at += 32) {
    if (at + 32 > headerLength) corrupt('dbf', 'truncated_field_descriptor');
    const type = String.fromCharCode(dbf[at + 11] ?? 0);
    if (!DBF_FIELD_TYPES.has(type)) corrupt('dbf', 'unsupported_field_type', { fieldType: type });
    fieldBytes += dbf[at + 16] ?? 0;
  }
  if (dbf[at] !== 0x0d) corrupt('dbf', 'field_terminator_missing');
  if (recordLength !== fieldBytes + 1) corrupt('dbf', 'record_length_mismatch');
  if (headerLength + count * recordLength > dbf.length) corrupt('dbf', 'records_truncated');
  if (count !== records) corrupt('dbf', 'record_count_differs_from_shp', { dbfRecords: count, shpRecords: records });
}

export function checkShapefileStructure(shp: Buffer, shx: Buffer, dbf: Buffer): ShapefileStructure {
  const structure = walkShp(shp);
  checkShx(shx, structure.records);
  checkDbf(dbf, structure.records);
  return structure;
}
