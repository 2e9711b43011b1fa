// GeoPackage reader on better-sqlite3: the GeoPackage binary header is parsed here and the
// standard WKB after it goes to PostGIS untouched (docs/decisions.md: why not GDAL or WASM).

import Database from 'better-sqlite3';
import type { Attributes, AttributeValue, FeatureSource, SourceFeature } from './types.js';
import { ReaderError } from './types.js';

export interface GpkgHeader {
  srsId: number;
  empty: boolean;
  /** Byte offset where the WKB starts. */
  wkbOffset: number;
}

const ENVELOPE_BYTES: Record<number, number> = { 0: 0, 1: 32, 2: 48, 3: 48, 4: 64 };

/** Parses the GeoPackage binary header (OGC 12-128r18 §2.1.3) in front of the WKB. */
export function parseGpkgHeader(blob: Uint8Array): GpkgHeader {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new ReaderError('not a GeoPackage geometry blob (magic "GP" missing)');
  const flags = blob[3] ?? 0;
  if (flags & 0b100000) throw new ReaderError('GeoPackage extended geometry types are not supported');
  const envelopeCode = (flags >> 1) & 0b111;
  const envelopeBytes = ENVELOPE_BYTES[envelopeCode];
  if (envelopeBytes === undefined) throw new ReaderError(`invalid GeoPackage envelope indicator ${envelopeCode}`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const littleEndian = (flags & 1) === 1;
  return { srsId: view.getInt32(4, littleEndian), empty: (flags & 0b10000) !== 0, wkbOffset: 8 + envelopeBytes };
}

interface LayerInfo {
  table: string;
  geometryColumn: string;
  srsId: number;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Feature layers of a GeoPackage, in gpkg_contents order. */
export function listGpkgLayers(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid`).all() as { table_name: string }[]).map((r) => r.table_name);
  } finally {
    db.close();
  }
}

function attributeValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return JSON.stringify(value) ?? null;
}

/**
 * Opens one feature layer. `preferredLayer` picks a layer by name (case-insensitive); otherwise a
 * single-layer file is used as is and a multi-layer file is an error.
 */
export function openGpkg(path: string, preferredLayer: string | null): FeatureSource {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const layers = db.prepare(`SELECT c.table_name AS "table", g.column_name AS "geometryColumn", g.srs_id AS "srsId"
      FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
      WHERE c.data_type = 'features' ORDER BY c.rowid`).all() as LayerInfo[];
    const wanted = preferredLayer?.toLowerCase();
    const layer = layers.find((l) => l.table.toLowerCase() === wanted) ?? (layers.length === 1 ? layers[0] : undefined);
    if (!layer) throw new ReaderError(`${path}: cannot choose a feature layer (found: ${layers.map((l) => l.table).join(', ') || 'none'})`);
    const srs = db.prepare(`SELECT srs_id AS "srsId", organization, organization_coordsys_id AS "code" FROM gpkg_spatial_ref_sys`).all() as { srsId: number; organization: string; code: number }[];
    const epsgOf = new Map<number, number | null>(srs.map((s) => [s.srsId, s.organization.toUpperCase() === 'EPSG' && s.code > 0 ? s.code : null]));
    const columnsInfo = db.prepare(`PRAGMA table_info(${quoteIdent(layer.table)})`).all() as { name: string; pk: number }[];
    const columns = columnsInfo.filter((c) => c.pk === 0 && c.name !== layer.geometryColumn).map((c) => c.name);
    // Features are named by their primary key (fid) in QC reports, as GIS tools show it.
    const pk = columnsInfo.find((c) => c.pk === 1)?.name ?? null;
    const declaredSrid = epsgOf.get(layer.srsId) ?? null;
    const warnings: string[] = [];
    const { count } = db.prepare(`SELECT count(*) AS count FROM ${quoteIdent(layer.table)}`).get() as { count: number };
    const select = db.prepare(`SELECT ${[layer.geometryColumn, ...columns].map(quoteIdent).join(', ')}, ${pk ? quoteIdent(pk) : 'rowid'} AS "__fid" FROM ${quoteIdent(layer.table)} ORDER BY rowid`);
    const features = function* (): Generator<SourceFeature> {
      let index = 0;
      let skipped = 0;
      for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
        const blob = row[layer.geometryColumn];
        const fid = row.__fid;
        const i = typeof fid === 'number' ? fid : typeof fid === 'bigint' ? Number(fid) : index;
        index += 1;
        if (!(blob instanceof Uint8Array)) {
          skipped += 1;
          continue;
        }
        const header = parseGpkgHeader(blob);
        if (header.empty) {
          skipped += 1;
          continue;
        }
        const attributes: Attributes = {};
        for (const c of columns) attributes[c] = attributeValue(row[c]);
        const srid = header.srsId === layer.srsId ? declaredSrid : (epsgOf.get(header.srsId) ?? null);
        yield { index: i, wkb: Buffer.from(blob.buffer, blob.byteOffset + header.wkbOffset, blob.byteLength - header.wkbOffset), srid, attributes };
      }
      if (skipped > 0) warnings.push(`${skipped} features without geometry skipped`);
    };
    return {
      format: 'gpkg', layer: layer.table, columns, declaredSrid, warnings, count,
      features,
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
