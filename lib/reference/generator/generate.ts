// The synthetic CROME-like coefficient layer (nutrient.md §11): options → extent and coverage →
// exact row selection → rows in ascending (j, i), each a pure function of (seed, i, j). The
// manifest hash covers the attribute lines, so equal hashes mean equal layers.

import { createHash } from 'node:crypto';
import path from 'node:path';
import wkx from 'wkx';
import type { Sql } from '../../db/sql.js';
import { openGpkg } from '../readers/gpkg.js';
import { formatPythonFloat } from '../../assessments/nutrient/numbers.js';
import { latticeFor, cromeId, type Lattice } from './hexagon.js';
import { attributeGenerator, effectiveShares, type LandUseCategory } from './attributes.js';
import { bboxOfPolygons, coverageCount, coverageForBbox, coverageWithinPolygons, type Bbox, type Coverage, type FlatPolygon } from './coverage.js';
import { coverageWithinTable } from './coverage-db.js';
import { selectCells } from './selection.js';

export const GENERATOR_VERSION = 'nrf-synthetic-coefficients/1';
export const DEFAULT_SEED = 27700;

export type PresetName = 'test' | 'test-urban' | 'bench-1m' | 'bench-national';

/** §11.4 presets. Their extent is the NN catchments: pass `within` (file or table; default the active table). */
export const PRESETS: Readonly<Record<PresetName, { parcels: number; seed: number; urbanShare?: number }>> = {
  'test': { parcels: 100_000, seed: DEFAULT_SEED },
  'test-urban': { parcels: 100_000, seed: DEFAULT_SEED, urbanShare: 1 },
  'bench-1m': { parcels: 1_000_000, seed: DEFAULT_SEED },
  'bench-national': { parcels: 5_459_418, seed: DEFAULT_SEED },
};

export interface GeneratorOptions {
  preset?: PresetName;
  /** Exact row count (required unless a preset gives it). */
  parcels?: number;
  seed?: number;
  /** A polygon table name (active version, via PostGIS) or a GeoPackage file of polygons. */
  within?: string;
  bbox?: Bbox;
  cellAreaHa?: number;
  allowPartial?: boolean;
  urbanShare?: number;
  nullShare?: number;
  /** Needed for `within` a table. */
  sql?: Sql;
  signal?: AbortSignal;
}

export interface CoefficientRow {
  i: number;
  j: number;
  cromeid: string;
  landUseCat: LandUseCategory;
  luCurrN: number | null;
  luCurrP: number | null;
  nResi: number | null;
  pResi: number | null;
}

export interface Extent {
  kind: 'bbox' | 'within';
  /** Table name (with version) or file base name for `within`. */
  source: string | null;
  bbox: Bbox;
  centreMm: { x: number; y: number };
}

export interface GenerationPlan {
  seed: number;
  cellAreaHa: number;
  lattice: Lattice;
  extent: Extent;
  rows: number;
  coverageRows: number;
  shares: Record<LandUseCategory, number>;
  nullShare: number;
  /** Rows in ascending (j, i); a fresh iterator on each call. */
  generate(): Generator<CoefficientRow>;
}

export interface Manifest {
  generator: string;
  seed: number;
  cellAreaHa: number;
  s_mm: number;
  a_mm: number;
  extent: Extent;
  rows: number;
  coverageRows: number;
  shares: Record<LandUseCategory, number>;
  nullShare: number;
  sha256: string;
}

/** Polygons of a GeoPackage layer as flat rings in metres (Z dropped). */
export async function readPolygonsFromGpkg(file: string): Promise<FlatPolygon[]> {
  const source = openGpkg(file, null);
  const polygons: FlatPolygon[] = [];
  try {
    for await (const feature of source.features()) {
      const geojson = wkx.Geometry.parse(feature.wkb).toGeoJSON() as { type: string; coordinates: number[][][] | number[][][][] };
      const list = geojson.type === 'Polygon' ? [geojson.coordinates as number[][][]] : geojson.type === 'MultiPolygon' ? geojson.coordinates as number[][][][] : [];
      for (const rings of list) polygons.push(rings.map((ring) => ring.flatMap((pt) => [pt[0] ?? 0, pt[1] ?? 0])));
    }
  } finally {
    source.close();
  }
  return polygons;
}

async function resolveExtent(options: GeneratorOptions, lattice: Lattice): Promise<{ extent: Extent; coverage: Coverage }> {
  const centre = (b: Bbox): { x: number; y: number } => ({ x: Math.round(((b.minE + b.maxE) / 2) * 1000), y: Math.round(((b.minN + b.maxN) / 2) * 1000) });
  if (options.bbox && options.within) throw new Error('give --bbox or --within, not both');
  if (options.bbox) {
    const b = options.bbox;
    if (!(b.minE < b.maxE && b.minN < b.maxN)) throw new Error('--bbox must be minE,minN,maxE,maxN with min < max');
    return { extent: { kind: 'bbox', source: null, bbox: b, centreMm: centre(b) }, coverage: coverageForBbox(lattice, b) };
  }
  const within = options.within ?? 'nn_catchments';
  if (within.toLowerCase().endsWith('.gpkg')) {
    const polygons = await readPolygonsFromGpkg(within);
    const bbox = bboxOfPolygons(polygons);
    return { extent: { kind: 'within', source: path.basename(within), bbox, centreMm: centre(bbox) }, coverage: coverageWithinPolygons(lattice, polygons) };
  }
  if (!options.sql) throw new Error(`--within ${within} reads the database: DATABASE_URL is required`);
  const found = await coverageWithinTable(options.sql, within, lattice, options.signal);
  return { extent: { kind: 'within', source: `${within}@v${found.version}`, bbox: found.bbox, centreMm: centre(found.bbox) }, coverage: found.coverage };
}

export async function planGeneration(options: GeneratorOptions): Promise<GenerationPlan> {
  const preset = options.preset ? PRESETS[options.preset] : undefined;
  if (options.preset && !preset) throw new Error(`unknown preset ${options.preset}`);
  const seed = options.seed ?? preset?.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer 0…4294967295 (got ${seed})`);
  const parcels = options.parcels ?? preset?.parcels;
  if (parcels === undefined) throw new Error('--parcels N is required (or a preset)');
  const cellAreaHa = options.cellAreaHa ?? 4;
  const lattice = latticeFor(cellAreaHa);
  const shareOptions = { urbanShare: options.urbanShare ?? preset?.urbanShare, nullShare: options.nullShare };
  const shares = effectiveShares(shareOptions);
  const attributes = attributeGenerator(seed, shareOptions);
  const { extent, coverage } = await resolveExtent(options, lattice);
  const selection = selectCells(lattice, coverage, parcels, extent.centreMm, options.allowPartial ?? false);
  return {
    seed, cellAreaHa, lattice, extent, rows: selection.rows, coverageRows: coverageCount(coverage), shares, nullShare: options.nullShare ?? 0,
    generate: function* () {
      for (const [i, j] of selection.cells()) yield { i, j, cromeid: cromeId(i, j), ...attributes(i, j) };
    },
  };
}

/** Rows of the synthetic layer, ascending (j, i) (nutrient.md §11). */
export async function* generateCoefficients(options: GeneratorOptions): AsyncGenerator<CoefficientRow> {
  const plan = await planGeneration(options);
  yield* plan.generate();
}

const num = (v: number | null): string => (v === null ? '' : formatPythonFloat(v));

/** The hashed line of one row (§11.4), newline-terminated. */
export function manifestLine(r: CoefficientRow): string {
  return `${r.cromeid}|${r.landUseCat}|${num(r.luCurrN)}|${num(r.luCurrP)}|${num(r.nResi)}|${num(r.pResi)}\n`;
}

/** Accumulates the manifest hash while rows stream past (writer and loader share one pass). */
export function manifestHasher(plan: GenerationPlan): { add(row: CoefficientRow): void; finish(): Manifest } {
  const hash = createHash('sha256');
  let count = 0;
  return {
    add(row) {
      hash.update(manifestLine(row));
      count += 1;
    },
    finish() {
      if (count !== plan.rows) throw new Error(`generator produced ${count} rows, expected ${plan.rows}`);
      return {
        generator: GENERATOR_VERSION, seed: plan.seed, cellAreaHa: plan.cellAreaHa, s_mm: plan.lattice.sMm, a_mm: plan.lattice.aMm,
        extent: plan.extent, rows: plan.rows, coverageRows: plan.coverageRows, shares: plan.shares, nullShare: plan.nullShare, sha256: hash.digest('hex'),
      };
    },
  };
}

/** Computes the manifest without writing anything (determinism checks). */
export function manifestOf(plan: GenerationPlan): Manifest {
  const hasher = manifestHasher(plan);
  for (const row of plan.generate()) hasher.add(row);
  return hasher.finish();
}
