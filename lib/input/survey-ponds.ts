// Survey ponds files (contracts.md §5.10, gcn.md §3.2): the same retrieval, format, ZIP, bundle,
// CRS and range rules as a boundary, then the pond rules. Every permanent failure is
// `invalid_survey_ponds` with `detail.file = "survey_ponds"` and a reason; offenders (≤ 10) are
// named as `{feature_index, column, value}`. An empty file is valid: the GCN module warns.

import type { Geometry } from 'geojson';
import type { InputFileInfo, InputWarning, SurveyPond } from '../geo/types.js';
import { decodeFile, decodePath, type DecodeOptions, type InputFile } from './decode.js';
import { asFileRole, inputError } from './errors.js';
import type { FeatureRecord } from './features.js';
import { toBritishNationalGrid } from './geometry/project.js';

export type SurveyPondsOptions = Omit<DecodeOptions, 'lenient'>;

export interface SurveyPondsResult {
  ponds: SurveyPond[];
  warnings: InputWarning[];
  info: InputFileInfo;
}

interface Offender {
  feature_index: number;
  column: string | null;
  value: unknown;
}

const MAX_OFFENDERS = 10;
const POND_TYPES = new Set(['Point', 'MultiPoint', 'Polygon', 'MultiPolygon']);
const PANS_VALUES = new Set(['P', 'A', 'NS']);
const TMPIMP_VALUES = new Set(['T', 'F']);

function fail(reason: string, offenders: Offender[] = [], extra: Record<string, unknown> = {}): never {
  throw inputError('invalid_survey_ponds', { reason, ...extra, ...(offenders.length > 0 ? { offenders: offenders.slice(0, MAX_OFFENDERS), offenderCount: offenders.length } : {}) });
}

function isEmpty(geometry: Geometry): boolean {
  return geometry.type !== 'GeometryCollection' && geometry.coordinates.length === 0;
}

function checkGeometries(features: readonly FeatureRecord[]): void {
  const nulls = features.filter((f) => f.geometry === null || isEmpty(f.geometry));
  if (nulls.length > 0) fail('null_geometry', nulls.map((f) => ({ feature_index: f.index, column: null, value: null })));
  const others = features.filter((f) => !POND_TYPES.has((f.geometry as Geometry).type));
  if (others.length > 0) fail('unsupported_geometry_type', others.map((f) => ({ feature_index: f.index, column: null, value: (f.geometry as Geometry).type })));
}

/** Columns whose name matches `wanted` case-insensitively, across all features. */
function candidateColumns(features: readonly FeatureRecord[], wanted: string): string[] {
  const names = new Set<string>();
  for (const f of features) for (const key of Object.keys(f.properties ?? {})) if (key.toLowerCase() === wanted.toLowerCase()) names.add(key);
  return [...names].sort();
}

function single(columns: string[]): string | null {
  if (columns.length > 1) fail('ambiguous_column', [], { columns });
  return columns[0] ?? null;
}

function readCodes(features: readonly FeatureRecord[], column: string, allowed: Set<string>, reason: string): string[] {
  const offenders: Offender[] = [];
  const values = features.map((f) => {
    const raw = f.properties?.[column];
    const value = typeof raw === 'string' ? raw.trim() : null;
    if (value === null || !allowed.has(value)) offenders.push({ feature_index: f.index, column, value: raw ?? null });
    return value ?? '';
  });
  if (offenders.length > 0) fail(reason, offenders);
  return values;
}

function toPonds(decoded: { features: FeatureRecord[] }, warnings: InputWarning[]): SurveyPond[] {
  const { features } = decoded;
  if (features.length === 0) return []; // valid: gcn_no_ponds is the GCN module's warning
  checkGeometries(features);
  const pansCandidates = candidateColumns(features, 'PANS');
  if (pansCandidates.length === 0) fail('missing_pans_column');
  const pansColumn = single(pansCandidates) as string;
  const tmpImpColumn = single(candidateColumns(features, 'TmpImp'));
  const pans = readCodes(features, pansColumn, PANS_VALUES, 'invalid_pans_value');
  const tmpImp = tmpImpColumn === null ? null : readCodes(features, tmpImpColumn, TMPIMP_VALUES, 'invalid_tmpimp_value');
  if (tmpImp === null) {
    warnings.push({ code: 'gcn_tmpimp_defaulted', message: 'The survey ponds file has no TmpImp column; every pond was given F.' });
  }
  return features.map((f, i) => ({
    featureIndex: f.index,
    geometry: f.geometry as SurveyPond['geometry'],
    pans: pans[i] as SurveyPond['pans'],
    tmpImp: (tmpImp?.[i] ?? 'F') as SurveyPond['tmpImp'],
  }));
}

async function read(decode: () => ReturnType<typeof decodeFile>): Promise<SurveyPondsResult> {
  return asFileRole('survey_ponds', async () => {
    const decoded = await decode();
    const features = toBritishNationalGrid(decoded.layer.features, decoded.layer.crs);
    const warnings = [...decoded.warnings];
    const ponds = toPonds({ features }, warnings);
    return { ponds, warnings, info: decoded.info };
  });
}

/** A survey-ponds file (queue: name + bytes) or path (CLI `--survey-ponds`). */
export function readSurveyPonds(source: InputFile | string, options: SurveyPondsOptions): Promise<SurveyPondsResult> {
  // Ponds may have holes, so an open hole is reported as an open ring (the lenient reading).
  const decodeOptions = { ...options, lenient: true };
  return read(() => (typeof source === 'string' ? decodePath(source, decodeOptions) : decodeFile(source, decodeOptions)));
}
