// Shapefile `.prj` → EPSG code (contracts.md §5.6, second table). Only British National Grid and
// WGS 84 geographic are supported; every other parseable CRS is `unsupported_crs`, and an empty
// or unparseable `.prj` is `missing_crs` (the file does not tell us its coordinate system).

import { inputError } from '../errors.js';
import { child, children, nameOf, parseWkt, squash, WktSyntaxError, type WktNode, type WktValue } from './wkt.js';
import type { SupportedCrs } from './names.js';

const PROJECTED = ['PROJCS', 'PROJCRS', 'PROJECTEDCRS'];
const GEOGRAPHIC = ['GEOGCS', 'GEOGCRS', 'GEOGRAPHICCRS', 'GEODCRS', 'GEODETICCRS'];
const COMPOUND = ['COMPD_CS', 'COMPOUNDCRS'];
const BNG_NAMES = new Set(['britishnationalgrid', 'osgb1936britishnationalgrid', 'osgb36britishnationalgrid']);
const WGS84_NAMES = new Set(['gcswgs1984', 'wgs84', 'wgs1984', 'dwgs1984', 'worldgeodeticsystem1984']);
const OSGB_DATUMS = new Set(['osgb1936', 'dosgb1936', 'osgb36', 'ordnancesurveyofgreatbritain1936']);

/** BNG's Transverse Mercator, keyed by squashed WKT 1 and WKT 2 parameter names. */
const BNG_PARAMETERS: { names: string[]; value: number; tolerance: number }[] = [
  { names: ['latitudeoforigin', 'latitudeofnaturalorigin'], value: 49, tolerance: 1e-9 },
  { names: ['centralmeridian', 'longitudeofnaturalorigin', 'longitudeofcenter'], value: -2, tolerance: 1e-9 },
  { names: ['scalefactor', 'scalefactoratnaturalorigin'], value: 0.9996012717, tolerance: 1e-10 },
  { names: ['falseeasting'], value: 400000, tolerance: 1e-6 },
  { names: ['falsenorthing'], value: -100000, tolerance: 1e-6 },
];

function authorityCode(node: WktNode): { authority: string; code: string } | null {
  const id = child(node, 'AUTHORITY', 'ID');
  const [authority, code] = id?.args ?? [];
  if (typeof authority !== 'string' || (typeof code !== 'string' && typeof code !== 'number')) return null;
  return { authority: authority.toUpperCase(), code: String(code).trim() };
}

function datumName(geographic: WktNode | undefined): string {
  const datum = geographic && (child(geographic, 'DATUM', 'GEODETICDATUM', 'TRF') ?? child(geographic, 'ENSEMBLE', 'DATUMENSEMBLE'));
  return squash(nameOf(datum) ?? '');
}

function isWgs84Datum(name: string): boolean {
  return WGS84_NAMES.has(name) || name.startsWith('worldgeodeticsystem1984');
}

function numberArg(value: WktValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}

function isBngTransverseMercator(projected: WktNode): boolean {
  const method = child(projected, 'PROJECTION', 'METHOD');
  if (squash(nameOf(method) ?? '') !== 'transversemercator') return false;
  const base = child(projected, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS', 'GEOGCRS');
  if (!OSGB_DATUMS.has(datumName(base))) return false;
  const conversion = child(projected, 'CONVERSION') ?? projected;
  const parameters = new Map<string, number | null>();
  for (const p of children(conversion, 'PARAMETER')) parameters.set(squash(nameOf(p) ?? ''), numberArg(p.args[1]));
  const ok = BNG_PARAMETERS.every(({ names, value, tolerance }) => {
    const found = names.map((n) => parameters.get(n)).find((v) => v !== undefined);
    return typeof found === 'number' && Math.abs(found - value) <= tolerance;
  });
  // A renamed BNG must still be in metres (a foot-based twin would put every site elsewhere).
  const unit = children(projected, 'UNIT', 'LENGTHUNIT').at(-1);
  const metres = unit === undefined || numberArg(unit.args[1]) === 1;
  return ok && metres;
}

function classify(root: WktNode): SupportedCrs | null {
  if (COMPOUND.includes(root.keyword)) {
    const horizontal = root.args.find((a): a is WktNode => typeof a === 'object' && 'keyword' in a && [...PROJECTED, ...GEOGRAPHIC].includes(a.keyword));
    return horizontal ? classify(horizontal) : null;
  }
  const id = authorityCode(root);
  if (id?.authority === 'EPSG' && id.code === '27700') return 27700;
  if (id?.authority === 'EPSG' && id.code === '4326') return 4326;
  if (PROJECTED.includes(root.keyword)) {
    if (BNG_NAMES.has(squash(nameOf(root) ?? ''))) return 27700;
    return isBngTransverseMercator(root) ? 27700 : null;
  }
  if (GEOGRAPHIC.includes(root.keyword)) {
    return WGS84_NAMES.has(squash(nameOf(root) ?? '')) || isWgs84Datum(datumName(root)) ? 4326 : null;
  }
  return null;
}

/** Resolves a `.prj` (bytes); BOM and surrounding whitespace are ignored. */
export function resolvePrj(bytes: Buffer): SupportedCrs {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').trim();
  if (text === '') throw inputError('missing_crs', { reason: 'empty_prj' });
  let root: WktNode;
  try {
    root = parseWkt(text);
  } catch (error) {
    if (error instanceof WktSyntaxError) throw inputError('missing_crs', { reason: 'unparseable_prj' }, error);
    throw error;
  }
  const crs = classify(root);
  if (crs === null) {
    const id = authorityCode(root);
    throw inputError('unsupported_crs', { crsName: nameOf(root), ...(id ? { authority: `${id.authority}:${id.code}` } : {}) });
  }
  return crs;
}
