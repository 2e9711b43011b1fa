// Input fixtures generated in the specs: shapefiles written by @mapbox/shp-write, zipped by jszip,
// GeoJSON as text. Exterior rings are written clockwise (the shapefile convention readers use
// to tell shells from holes).

import shpwrite from '@mapbox/shp-write';
import JSZip from 'jszip';
import type { InputLimits } from '../../../lib/config.js';

export type Ring = [number, number][];

/** contracts.md §11 defaults. */
export const SPEC_LIMITS: InputLimits = Object.freeze({
  maxFileBytes: 2_097_152,
  maxInputBytes: 52_428_800,
  zipMaxEntries: 10,
  zipMaxRawEntries: 50,
  zipMaxEntryBytes: 20_971_520,
  zipMaxTotalBytes: 20_971_520,
  zipMaxCompressionRatio: 100,
});

export const BNG_WKT =
  'PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",400000.0],' +
  'PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],PARAMETER["Scale_Factor",0.9996012717],' +
  'PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]';

export const WGS84_WKT = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]';

export const WEB_MERCATOR_WKT =
  'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],' +
  'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],' +
  'PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0],AUTHORITY["EPSG",3857]]';

/** A clockwise square (x east, y north) starting at its south-west corner. */
export function square(x: number, y: number, size: number): Ring {
  return [[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]];
}

/** An anticlockwise square: a hole in shapefile terms. */
export function holeSquare(x: number, y: number, size: number): Ring {
  return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
}

export interface ShapefileParts {
  shp: Buffer;
  shx: Buffer;
  dbf: Buffer;
}

type ShpType = 'POLYGON' | 'POINT' | 'POLYLINE';

/**
 * One shapefile: `geometries[i]` is feature i's coordinates (POLYGON: rings, or a list of
 * polygons for a multipart feature; POINT: a position; POLYLINE: a list of lines).
 */
export function writeShapefile(geometries: unknown[], rows: Record<string, unknown>[], type: ShpType = 'POLYGON'): ShapefileParts {
  let parts: ShapefileParts | null = null;
  shpwrite.write(rows, type, geometries as object[], (error: unknown, files: { shp: DataView; shx: DataView; dbf: DataView }) => {
    if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
    const copy = (view: DataView): Buffer => Buffer.from(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    parts = { shp: copy(files.shp), shx: copy(files.shx), dbf: copy(files.dbf) };
  });
  if (!parts) throw new Error('shp-write did not call back synchronously');
  return parts;
}

/** Zips `files` (path → content) with DEFLATE. */
export async function zipFiles(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content, { createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export interface ShapefileZipOptions {
  stem?: string;
  folder?: string;
  prj?: string | null;
  cpg?: string;
  omit?: ('.shx' | '.dbf' | '.prj')[];
  extra?: Record<string, Buffer | string>;
  type?: ShpType;
}

/** The files of a shapefile bundle, keyed by archive path. */
export function shapefileFiles(geometries: unknown[], rows: Record<string, unknown>[], options: ShapefileZipOptions = {}): Record<string, Buffer | string> {
  const parts = writeShapefile(geometries, rows, options.type);
  const base = `${options.folder ? `${options.folder}/` : ''}${options.stem ?? 'site'}`;
  const files: Record<string, Buffer | string> = { [`${base}.shp`]: parts.shp };
  const omit = new Set(options.omit ?? []);
  if (!omit.has('.shx')) files[`${base}.shx`] = parts.shx;
  if (!omit.has('.dbf')) files[`${base}.dbf`] = parts.dbf;
  if (!omit.has('.prj') && options.prj !== null) files[`${base}.prj`] = options.prj ?? BNG_WKT;
  if (options.cpg !== undefined) files[`${base}.cpg`] = options.cpg;
  return { ...files, ...options.extra };
}

export function shapefileZip(geometries: unknown[], rows: Record<string, unknown>[], options: ShapefileZipOptions = {}): Promise<Buffer> {
  return zipFiles(shapefileFiles(geometries, rows, options));
}

/** A FeatureCollection as bytes; `crs` is written as the legacy named-CRS member when given. */
export function geojsonBytes(geometries: unknown[], options: { crs?: string; properties?: Record<string, unknown>[] } = {}): Buffer {
  const document: Record<string, unknown> = {
    type: 'FeatureCollection',
    features: geometries.map((geometry, i) => ({ type: 'Feature', properties: options.properties?.[i] ?? {}, geometry })),
  };
  if (options.crs) document.crs = { type: 'name', properties: { name: options.crs } };
  return Buffer.from(JSON.stringify(document));
}

export const polygon = (...rings: Ring[]): { type: 'Polygon'; coordinates: Ring[] } => ({ type: 'Polygon', coordinates: rings });
