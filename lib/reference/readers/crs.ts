// CRS declarations of reference files → EPSG codes. PostGIS does the transformation; this only
// names the source CRS. Unknown declarations are refused rather than guessed.

import { ReaderError } from './types.js';

const GEOJSON_CRS = /(?:EPSG:{1,2}|EPSG\/0\/)(\d+)$/i;

/** `crs.properties.name` of a (pre-RFC 7946) GeoJSON: "urn:ogc:def:crs:EPSG::27700", "EPSG:27700", CRS84. */
export function epsgFromGeoJsonCrsName(name: string): number {
  const trimmed = name.trim();
  if (/OGC:(1\.3:)?CRS84$/i.test(trimmed)) return 4326;
  const match = GEOJSON_CRS.exec(trimmed);
  if (!match?.[1]) throw new ReaderError(`unsupported GeoJSON crs "${name}"`);
  return Number(match[1]);
}

/** ESRI/OGC WKT of a `.prj`: an explicit EPSG authority wins, then well-known names. */
export function epsgFromPrj(wkt: string): number {
  const authority = /AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(wkt.trim());
  if (authority?.[1]) return Number(authority[1]);
  const head = /^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS)\s*\[\s*"([^"]*)"/i.exec(wkt);
  const name = (head?.[2] ?? '').toLowerCase();
  if (name.includes('british_national_grid') || name.includes('british national grid') || name.includes('osgb36 / british')) return 27700;
  if (head?.[1]?.toUpperCase().startsWith('GEOG') && (name.includes('wgs_1984') || name.includes('wgs 84') || name === 'gcs_wgs_1984')) return 4326;
  if (name.includes('web_mercator') || name.includes('pseudo-mercator')) return 3857;
  throw new ReaderError(`unsupported .prj coordinate system "${head?.[2] ?? wkt.slice(0, 60)}"`);
}
