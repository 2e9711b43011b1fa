// Red line boundary files → Sites (contracts.md §5.1–5.8): decode, range-check and reproject to
// EPSG:27700, run the geometry checks, number the sites. Every feature is one site.

import type { Sql } from '../db/sql.js';
import type { InputFileInfo, InputWarning, Site } from '../geo/types.js';
import type { SupportedCrs } from './crs/names.js';
import { decodeFile, decodePath, type DecodeOptions, type DecodedFile, type InputFile } from './decode.js';
import { asFileRole } from './errors.js';
import { checkBoundaryGeometry } from './geometry/checks.js';
import { toBritishNationalGrid } from './geometry/project.js';
import { pickLegacyAttributes } from './legacy-attributes.js';

export interface BoundaryOptions extends DecodeOptions {
  /** PostGIS decides OGC validity (§5.8 check 3). */
  sql: Sql;
  /** CLI only (§10): holes accepted, repeated consecutive vertices removed. */
  lenient?: boolean;
  /** CLI only (nutrient.md §4.2): keep the legacy IAT attributes; the queue path discards them. */
  keepAttributes?: boolean;
}

export interface BoundaryResult {
  sites: Site[];
  info: InputFileInfo;
  warnings: InputWarning[];
  /** The CRS the file declared (input is always returned in EPSG:27700). */
  sourceCrs: SupportedCrs;
}

async function toSites(decoded: DecodedFile, options: BoundaryOptions): Promise<BoundaryResult> {
  const { layer } = decoded;
  const projected = toBritishNationalGrid(layer.features, layer.crs);
  const checked = await checkBoundaryGeometry(projected, { sql: options.sql, signal: options.signal, lenient: options.lenient });
  const sites = checked.map(({ record, geometry }, i): Site => ({
    rlbId: i + 1,
    sourceFeature: record.index,
    geometry,
    attributes: options.keepAttributes ? pickLegacyAttributes(record.properties) : null,
  }));
  return { sites, info: decoded.info, warnings: decoded.warnings, sourceCrs: layer.crs };
}

/** Queue path: the object fetched from S3, format chosen by the key's suffix. */
export function readBoundary(file: InputFile, options: BoundaryOptions): Promise<BoundaryResult> {
  return asFileRole('input', async () => toSites(await decodeFile(file, options), options));
}

/** CLI path: `.zip`, `.geojson`, `.json`, or a bare `.shp` with its siblings. */
export function readBoundaryFromPath(file: string, options: BoundaryOptions): Promise<BoundaryResult> {
  return asFileRole('input', async () => toSites(await decodePath(file, options), options));
}
