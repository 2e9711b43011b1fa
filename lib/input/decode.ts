// From a file (queue: name + bytes; CLI: a path) to decoded features with their CRS: format by
// suffix (§5.2), ZIP safety (§5.3), bundle (§5.4), shapefile or GeoJSON reader (§5.5, §5.6).
// Shared by boundaries and survey ponds; nothing here knows which of the two it is reading.

import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { InputLimits } from '../config.js';
import type { InputFileInfo, InputWarning } from '../geo/types.js';
import { InputBudget } from './budget.js';
import { fileTooLarge, inputError } from './errors.js';
import type { DecodedLayer } from './features.js';
import { decodeGeoJson } from './geojson.js';
import { assertRingsClosed } from './geometry/closure.js';
import { selectShapefileBundle, type NamedBytes } from './shapefile/bundle.js';
import { decodeShapefile } from './shapefile/read.js';
import { readSafeZip } from './zip/safety.js';

export interface InputFile {
  /** The S3 key or file name; only its suffix matters. */
  name: string;
  bytes: Buffer;
}

export interface DecodeOptions {
  signal: AbortSignal;
  limits: InputLimits;
  /** The job's byte budget; a fresh one of `limits.maxInputBytes` when absent. */
  budget?: InputBudget;
  /** CLI lenient geometry (only changes how an open hole is reported). */
  lenient?: boolean;
}

export interface DecodedFile {
  layer: DecodedLayer;
  info: InputFileInfo;
  warnings: InputWarning[];
}

type Format = 'zip' | 'geojson';

/** §5.2: the key's suffix, case-insensitively. */
export function formatOf(name: string): Format {
  const lower = name.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  throw inputError('unsupported_file_type', { name: path.posix.basename(name.replaceAll('\\', '/')) });
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function budgetOf(options: DecodeOptions): InputBudget {
  return options.budget ?? new InputBudget(options.limits.maxInputBytes);
}

function assertSize(bytes: number, limit: number): void {
  if (bytes === 0) throw inputError('upload_file_missing', { bytes });
  if (bytes > limit) throw fileTooLarge(limit, { bytes });
}

/** Queue path: the bytes fetched from S3 (already charged to the budget by the fetch). */
export async function decodeFile(file: InputFile, options: DecodeOptions): Promise<DecodedFile> {
  const format = formatOf(file.name);
  assertSize(file.bytes.length, options.limits.maxFileBytes);
  const warnings: InputWarning[] = [];
  const info = (f: InputFileInfo['format']): InputFileInfo => ({ format: f, bytes: file.bytes.length, sha256: sha256(file.bytes) });
  if (format === 'geojson') return { layer: decodeGeoJson(file.bytes, options), info: info('geojson'), warnings };
  const files = readSafeZip(file.bytes, { limits: options.limits, signal: options.signal, budget: budgetOf(options) });
  const layer = await decodeShapefile(selectShapefileBundle(files, warnings), options.signal);
  assertRingsClosed(layer.features, options);
  return { layer, info: info('shapefile-zip'), warnings };
}

async function readLocal(file: string, limit: number, options: DecodeOptions, budget: InputBudget): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw inputError('unreadable_geometry_file', { reason: 'file_not_found', name: path.basename(file) }, error);
  }
  assertSize(size, limit);
  const bytes = await readFile(file, { signal: options.signal });
  budget.charge(bytes.length, 'download');
  return bytes;
}

/** A bare `.shp` on disk: siblings from the same folder under the §5.4 rules (contracts.md §10). */
async function readLocalBundle(shpPath: string, options: DecodeOptions, budget: InputBudget): Promise<NamedBytes[]> {
  try {
    await stat(shpPath);
  } catch (error) {
    throw inputError('unreadable_geometry_file', { reason: 'file_not_found', name: path.basename(shpPath) }, error);
  }
  const dir = path.dirname(shpPath);
  const stem = path.basename(shpPath).replace(/\.shp$/i, '');
  const wanted = new Set(['.shp', '.shx', '.dbf', '.prj', '.cpg']);
  const names = (await readdir(dir)).filter((n) => {
    const ext = path.extname(n).toLowerCase();
    return wanted.has(ext) && n.slice(0, -ext.length) === stem && (ext !== '.shp' || n === path.basename(shpPath));
  });
  const files: NamedBytes[] = [];
  for (const name of names.sort()) {
    files.push({ path: name, data: await readLocal(path.join(dir, name), options.limits.zipMaxEntryBytes, options, budget) });
  }
  return files;
}

/** CLI path: `.zip`, `.geojson`, `.json`, or a bare `.shp` with its siblings. */
export async function decodePath(file: string, options: DecodeOptions): Promise<DecodedFile> {
  const budget = budgetOf(options);
  if (!file.toLowerCase().endsWith('.shp')) {
    formatOf(file);
    const bytes = await readLocal(file, options.limits.maxFileBytes, options, budget);
    return decodeFile({ name: file, bytes }, { ...options, budget });
  }
  const files = await readLocalBundle(file, options, budget);
  const warnings: InputWarning[] = [];
  const bundle = selectShapefileBundle(files, warnings);
  const layer = await decodeShapefile(bundle, options.signal);
  assertRingsClosed(layer.features, options);
  const bytes = files.reduce((sum, f) => sum + f.data.length, 0);
  return { layer, info: { format: 'shapefile', bytes, sha256: sha256(bundle.shp) }, warnings };
}
