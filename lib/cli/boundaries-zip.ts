// `{basename}_boundaries.zip` of contracts.md §10: the RLBs with headline results as a zipped
// shapefile written by @mapbox/shp-write, in EPSG:27700 with the British National Grid .prj.
// Shared by the nutrient and GCN CLI paths (each fills the fields that apply to it).

import shpwrite from '@mapbox/shp-write';
import JSZip from 'jszip';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

/** ESRI WKT of EPSG:27700 (the library's default .prj is WGS 84). */
export const BNG_WKT =
  'PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",400000.0],' +
  'PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],PARAMETER["Scale_Factor",0.9996012717],' +
  'PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]';

/** The §10 attribute table; names fit the 10-character DBF limit. */
export interface BoundaryAttributes {
  RLB_ID: number;
  JOB_ID: string;
  NAME: string | null;
  AREA_HA: number;
  STATUS: string;
  N_TOTAL: number | null;
  P_TOTAL: number | null;
  WWTW_ID: number | null;
  WWTW_NAME: string | null;
  NN_CATCH: string | null;
  EDP_ID: number | null;
  LEVY_GBP: number | null;
  RED_M2: number | null;
  AMBER_M2: number | null;
  GREEN_M2: number | null;
}

export interface BoundaryFeature {
  geometry: Polygon | MultiPolygon;
  attributes: BoundaryAttributes;
}

const MAX_TEXT_BYTES = 254;

/** `{basename}`: the input file name without extension, reduced to `[A-Za-z0-9_-]`. */
export function artefactBasename(inputPath: string): string {
  const file = inputPath.split(/[\\/]/).pop() ?? '';
  const stem = file.includes('.') ? file.slice(0, file.lastIndexOf('.')) : file;
  const reduced = stem.replace(/[^A-Za-z0-9_-]/g, '');
  return reduced === '' ? 'boundary' : reduced;
}

function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i += 1) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    sum += (a[0] as number) * (b[1] as number) - (b[0] as number) * (a[1] as number);
  }
  return sum / 2;
}

/** Shapefile winding: exterior rings clockwise (negative signed area), holes anticlockwise. */
function orient(ring: readonly Position[], clockwise: boolean): Position[] {
  const isClockwise = signedArea(ring) < 0;
  return isClockwise === clockwise ? ring.map((p) => [...p]) : [...ring].reverse().map((p) => [...p]);
}

/**
 * Every feature becomes a MultiPolygon: shp-write writes Polygon and MultiPolygon features as two
 * layers under the same file name, so a mixed batch would lose one of them.
 */
function toShapefileGeometry(geometry: Polygon | MultiPolygon): MultiPolygon {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return {
    type: 'MultiPolygon',
    coordinates: polygons.map((rings) => rings.map((ring, index) => orient(ring, index === 0))),
  };
}

/**
 * DBF text is written one byte per UTF-16 unit by the library, so UTF-8 bytes are handed over as
 * a binary string (cut at 254 bytes on a character boundary) and a `.cpg` says UTF-8.
 */
function dbfText(value: string | null): string | null {
  if (value === null) return null;
  let text = value;
  while (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) text = text.slice(0, -1);
  return Buffer.from(text, 'utf8').toString('latin1');
}

function dbfRow(a: BoundaryAttributes): Record<string, string | number | null> {
  return {
    RLB_ID: a.RLB_ID, JOB_ID: dbfText(a.JOB_ID), NAME: dbfText(a.NAME), AREA_HA: a.AREA_HA, STATUS: dbfText(a.STATUS),
    N_TOTAL: a.N_TOTAL, P_TOTAL: a.P_TOTAL, WWTW_ID: a.WWTW_ID, WWTW_NAME: dbfText(a.WWTW_NAME), NN_CATCH: dbfText(a.NN_CATCH),
    EDP_ID: a.EDP_ID, LEVY_GBP: a.LEVY_GBP, RED_M2: a.RED_M2, AMBER_M2: a.AMBER_M2, GREEN_M2: a.GREEN_M2,
  };
}

export async function writeBoundariesZip(features: readonly BoundaryFeature[], basename: string): Promise<Buffer> {
  const collection: FeatureCollection<MultiPolygon> = {
    type: 'FeatureCollection',
    features: features.map((f): Feature<MultiPolygon> => ({ type: 'Feature', geometry: toShapefileGeometry(f.geometry), properties: dbfRow(f.attributes) })),
  };
  const zipped = await shpwrite.zip<'nodebuffer'>(collection, {
    folder: basename,
    filename: basename,
    outputType: 'nodebuffer',
    compression: 'DEFLATE',
    types: { polygon: 'boundaries' },
    prj: BNG_WKT,
  });
  const zip = await JSZip.loadAsync(zipped);
  zip.file(`${basename}/boundaries.cpg`, 'UTF-8');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
