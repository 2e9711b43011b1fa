// Declared CRS names (GeoJSON `crs.properties.name`, the quote geometry's `crs`), contracts.md §5.6.

import { inputError } from '../errors.js';

export type SupportedCrs = 27700 | 4326;

const EPSG_FORMS = [
  /^epsg::?(\d+)$/,
  /^urn:ogc:def:crs:epsg:[^:]*:(\d+)$/,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/0\/(\d+)$/,
];
const CRS84_FORMS = new Set([
  'ogc:crs84', 'crs84', 'urn:ogc:def:crs:ogc:1.3:crs84', 'urn:ogc:def:crs:ogc::crs84',
  'http://www.opengis.net/def/crs/ogc/1.3/crs84', 'https://www.opengis.net/def/crs/ogc/1.3/crs84',
]);

/** A CRS name → 27700 | 4326, else `unsupported_crs` (unknown codes and unparseable names alike). */
export function resolveCrsName(name: string): SupportedCrs {
  const lower = name.trim().toLowerCase();
  if (CRS84_FORMS.has(lower)) return 4326;
  for (const form of EPSG_FORMS) {
    const code = form.exec(lower)?.[1];
    if (code === undefined) continue;
    if (Number(code) === 27700) return 27700;
    if (Number(code) === 4326) return 4326;
    throw inputError('unsupported_crs', { crsName: name, reason: 'unsupported_code' });
  }
  throw inputError('unsupported_crs', { crsName: name, reason: 'unrecognised_name' });
}

/**
 * A GeoJSON-2008 style `crs` member (`{type: "name", properties: {name}}`). `undefined` and
 * `null` mean "no crs member" and return null: the caller applies its default.
 */
export function resolveCrsMember(crs: unknown): SupportedCrs | null {
  if (crs === undefined || crs === null) return null;
  if (typeof crs !== 'object' || Array.isArray(crs)) throw inputError('unsupported_crs', { reason: 'crs_not_an_object' });
  const { type, properties } = crs as { type?: unknown; properties?: unknown };
  if (type !== 'name') throw inputError('unsupported_crs', { reason: 'crs_type_not_name', crsType: typeof type === 'string' ? type : null });
  const name = typeof properties === 'object' && properties !== null ? (properties as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') throw inputError('unsupported_crs', { reason: 'crs_name_not_a_string' });
  return resolveCrsName(name);
}
