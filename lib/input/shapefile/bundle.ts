// Picking the shapefile out of a set of files (contracts.md §5.4): `.shp` found
// case-insensitively at any depth; several ⇒ the path that sorts first case-insensitively, with a
// warning; siblings share the directory and stem, extensions matched case-insensitively.

import type { InputWarning } from '../../geo/types.js';
import { inputError } from '../errors.js';

export interface NamedBytes {
  path: string;
  data: Buffer;
}

export interface ShapefileBundle {
  shpPath: string;
  shp: Buffer;
  shx: Buffer;
  dbf: Buffer;
  prj: Buffer;
  cpg: Buffer | null;
}

const REQUIRED = ['.shx', '.dbf', '.prj'] as const;

function splitExtension(path: string): { stemPath: string; extension: string } {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash) return { stemPath: path, extension: '' }; // no dot in the bare name
  return { stemPath: path.slice(0, dot), extension: path.slice(dot).toLowerCase() };
}

function sortKey(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

export function selectShapefileBundle(files: readonly NamedBytes[], warnings: InputWarning[]): ShapefileBundle {
  const shapefiles = files.filter((f) => splitExtension(f.path).extension === '.shp').sort((a, b) => sortKey(a.path, b.path));
  const chosen = shapefiles[0];
  if (!chosen) throw inputError('zip_missing_shapefile', { entries: files.length });
  if (shapefiles.length > 1) {
    warnings.push({
      code: 'additional_shapefiles_ignored',
      message: `The file holds ${shapefiles.length} shapefiles; only ${chosen.path} was read.`,
      detail: { used: chosen.path, ignored: shapefiles.slice(1).map((f) => f.path) },
    });
  }
  const { stemPath } = splitExtension(chosen.path);
  const sibling = (extension: string): Buffer | null => {
    const match = files.find((f) => {
      const parts = splitExtension(f.path);
      return parts.stemPath === stemPath && parts.extension === extension;
    });
    return match?.data ?? null;
  };
  const missing = REQUIRED.filter((extension) => sibling(extension) === null);
  if (missing.length > 0) throw inputError('zip_missing_shapefile_parts', { shapefile: chosen.path, missing });
  return {
    shpPath: chosen.path,
    shp: chosen.data,
    shx: sibling('.shx') as Buffer,
    dbf: sibling('.dbf') as Buffer,
    prj: sibling('.prj') as Buffer,
    cpg: sibling('.cpg'),
  };
}
