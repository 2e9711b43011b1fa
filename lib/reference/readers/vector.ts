// Shapefile (.shp + .dbf, optional .prj/.cpg) and GeoJSON readers for reference layers. Both turn
// GeoJSON-shaped geometry into WKB (wkx) so every source reaches PostGIS the same way.

import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as shapefile from 'shapefile';
import wkx from 'wkx';
import type { Geometry } from 'geojson';
import type { Attributes, FeatureSource, SourceFeature } from './types.js';
import { ReaderError } from './types.js';
import { epsgFromGeoJsonCrsName, epsgFromPrj } from './crs.js';

function toWkb(geometry: Geometry): Buffer {
  return wkx.Geometry.parseGeoJSON(geometry).toWkb();
}

function attributesOf(properties: Record<string, unknown> | null | undefined): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    out[key] = value === null || value === undefined ? null
      : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value
        : value instanceof Date ? value.toISOString().slice(0, 10) : JSON.stringify(value);
  }
  return out;
}

function sibling(path: string, ext: string): string | null {
  const base = path.replace(/\.[^./]+$/, '');
  for (const candidate of [`${base}.${ext}`, `${base}.${ext.toUpperCase()}`]) if (existsSync(candidate)) return candidate;
  return null;
}

export async function openShapefile(path: string, layer: string): Promise<FeatureSource> {
  const dbf = sibling(path, 'dbf');
  if (!dbf) throw new ReaderError(`${path}: the .dbf beside the .shp is missing`);
  const prj = sibling(path, 'prj');
  const cpg = sibling(path, 'cpg');
  const encoding = cpg ? (await readFile(cpg, 'utf8')).trim() || 'utf-8' : 'utf-8';
  const declaredSrid = prj ? epsgFromPrj(await readFile(prj, 'utf8')) : null;
  // Column names come from the first record (the dbf header is not exposed by `shapefile`).
  const probe = await shapefile.openDbf(dbf, { encoding });
  const first = await probe.read();
  await probe.cancel();
  const columns = first.done ? [] : Object.keys(first.value ?? {});
  const features = async function* (): AsyncGenerator<SourceFeature> {
    const source = await shapefile.open(path, dbf, { encoding });
    let index = 0;
    for (;;) {
      const next = await source.read();
      if (next.done) break;
      const i = index;
      index += 1;
      if (!next.value.geometry) continue;
      yield { index: i, wkb: toWkb(next.value.geometry), srid: declaredSrid, attributes: attributesOf(next.value.properties) };
    }
  };
  return { format: 'shapefile', layer, columns, declaredSrid, warnings: [], count: null, features, close: () => undefined };
}

interface GeoJsonFeatureLike {
  type?: unknown;
  geometry?: Geometry | null;
  properties?: Record<string, unknown> | null;
}

/** True when every coordinate could be longitude/latitude (RFC 7946 default CRS). */
function looksGeographic(features: GeoJsonFeatureLike[]): boolean {
  let any = false;
  const visit = (c: unknown): boolean => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      any = true;
      return Math.abs(c[0]) <= 180 && Math.abs(c[1] as number) <= 90;
    }
    return Array.isArray(c) ? c.every(visit) : true;
  };
  const geometryOk = (g: Geometry | null | undefined): boolean =>
    !g || (g.type === 'GeometryCollection' ? g.geometries.every(geometryOk) : visit(g.coordinates));
  return features.every((f) => geometryOk(f.geometry)) && any;
}

export async function openGeoJson(path: string, layer: string): Promise<FeatureSource> {
  let doc: { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  try {
    doc = JSON.parse(await readFile(path, 'utf8')) as typeof doc;
  } catch (error) {
    throw new ReaderError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const list: GeoJsonFeatureLike[] = doc.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features as GeoJsonFeatureLike[]
    : doc.type === 'Feature' ? [doc] : [];
  if (list.length === 0 && doc.type !== 'FeatureCollection') throw new ReaderError(`${path}: expected a GeoJSON Feature or FeatureCollection`);
  const warnings: string[] = [];
  const crsName = doc.crs?.properties?.name;
  let declaredSrid: number | null = typeof crsName === 'string' ? epsgFromGeoJsonCrsName(crsName) : null;
  if (declaredSrid === null && list.length > 0 && looksGeographic(list)) {
    declaredSrid = 4326;
    warnings.push('no crs member and every coordinate is a longitude/latitude: read as EPSG:4326 (RFC 7946)');
  }
  const columns = [...new Set(list.flatMap((f) => Object.keys(f.properties ?? {})))];
  const features = async function* (): AsyncGenerator<SourceFeature> {
    await Promise.resolve();
    for (const [index, feature] of list.entries()) {
      if (!feature.geometry) continue;
      yield { index, wkb: toWkb(feature.geometry), srid: declaredSrid, attributes: attributesOf(feature.properties) };
    }
  };
  return { format: 'geojson', layer, columns, declaredSrid, warnings, count: list.length, features, close: () => undefined };
}
