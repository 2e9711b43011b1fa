// Levy fixtures for a cloned database. The shipped fixtures come through the reference loader
// (normally already in the template); the helpers below add versions directly, for data that the
// loader's QC would refuse ("slipped past QC") and for synthetic EDP layouts.

import { readFileSync } from 'node:fs';
import type { Polygon, MultiPolygon } from 'geojson';
import type { Sql } from '../../../lib/db/sql.js';
import type { Site } from '../../../lib/geo/types.js';
import { sharedPath } from '../../support/data.js';
import { loadReferenceFiles } from '../../../lib/reference/loader.js';

type LevyTable = 'edp_boundaries' | 'levy_charges' | 'levy_inflation_index';

export async function activeVersion(sql: Sql, table: string): Promise<number | null> {
  const rows = await sql<{ v: number }[]>`SELECT active_version AS v FROM data_active_version WHERE table_name = ${table}`;
  return rows[0]?.v ?? null;
}

async function nextVersion(sql: Sql, table: LevyTable): Promise<number> {
  const rows = await sql<{ v: number }[]>`SELECT COALESCE(MAX(version), 0) + 1 AS v FROM ${sql(table)}`;
  return rows[0]?.v ?? 1;
}

export async function activate(sql: Sql, table: LevyTable, version: number): Promise<void> {
  await sql`INSERT INTO data_active_version (table_name, active_version) VALUES (${table}, ${version})
            ON CONFLICT (table_name) DO UPDATE SET active_version = EXCLUDED.active_version, updated_at = now()`;
}

function csvRows(file: string): string[][] {
  return readFileSync(sharedPath('reference', file), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
}

export interface ChargeRow {
  edp_id: number;
  edp_name: string;
  edp_start_date: string;
  charge_valid_from: string;
  charge_valid_to: string;
  base_charge_per_unit: string;
  model_version: number;
}

export function shippedCharges(): ChargeRow[] {
  return csvRows('levy_charges.csv').map(([id, name, start, from, to, base, model]) => ({
    edp_id: Number(id), edp_name: name ?? '', edp_start_date: start ?? '', charge_valid_from: from ?? '',
    charge_valid_to: to ?? '', base_charge_per_unit: base ?? '', model_version: Number(model),
  }));
}

export function shippedIndices(): [number, string][] {
  return csvRows('levy_inflation_index.csv').map(([year, index]) => [Number(year), index ?? '']);
}

/** Inserts a new levy_charges version; activates it unless told not to. Returns the version. */
export async function addCharges(sql: Sql, rows: ChargeRow[], options: { activate?: boolean } = {}): Promise<number> {
  const version = await nextVersion(sql, 'levy_charges');
  for (const r of rows) {
    await sql`INSERT INTO levy_charges (version, edp_id, edp_name, edp_start_date, charge_valid_from, charge_valid_to, base_charge_per_unit, model_version)
              VALUES (${version}, ${r.edp_id}, ${r.edp_name}, ${r.edp_start_date}, ${r.charge_valid_from}, ${r.charge_valid_to}, ${r.base_charge_per_unit}, ${r.model_version})`;
  }
  if (options.activate ?? true) await activate(sql, 'levy_charges', version);
  return version;
}

export async function addIndices(sql: Sql, rows: [number, string][], options: { activate?: boolean } = {}): Promise<number> {
  const version = await nextVersion(sql, 'levy_inflation_index');
  for (const [year, index] of rows) {
    await sql`INSERT INTO levy_inflation_index (version, charging_year, cil_index) VALUES (${version}, ${year}, ${index})`;
  }
  if (options.activate ?? true) await activate(sql, 'levy_inflation_index', version);
  return version;
}

/**
 * Makes sure the three levy tables have an active version holding the shipped fixtures: the
 * template normally has them already; otherwise the reference loader loads them here.
 */
export async function ensureLevyFixtures(sql: Sql): Promise<void> {
  const missing: string[] = [];
  for (const [table, file] of [['edp_boundaries', 'edp_boundaries.gpkg'], ['levy_charges', 'levy_charges.csv'], ['levy_inflation_index', 'levy_inflation_index.csv']]) {
    if ((await activeVersion(sql, table!)) === null) missing.push(sharedPath('reference', file!));
  }
  if (missing.length > 0) await loadReferenceFiles(sql, missing, { activate: true });
}

/** The first feature of a GeoJSON input file as a Site in EPSG:27700 (reprojected by PostGIS). */
export async function siteFromGeoJson(sql: Sql, ...parts: string[]): Promise<Site> {
  const doc = JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as { crs?: { properties?: { name?: string } }; features: { geometry: unknown }[] };
  const srid = /27700/.test(doc.crs?.properties?.name ?? '') ? 27700 : 4326;
  const geometry = JSON.stringify(doc.features[0]?.geometry);
  const rows = await sql<{ g: string }[]>`SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${geometry}::text), ${srid}), 27700), 4) AS g`;
  return { rlbId: 1, sourceFeature: 0, geometry: JSON.parse(rows[0]!.g) as Polygon | MultiPolygon, attributes: null };
}

export interface SyntheticEdp {
  /** South-west corner and side in metres, EPSG:27700. */
  square: [number, number, number];
  attributes: { EDP_Name: string; EDP_Id?: number };
}

/** A new, activated `edp_boundaries` version holding one square feature per entry. Returns the version. */
export async function addEdps(sql: Sql, features: readonly SyntheticEdp[]): Promise<number> {
  const version = await nextVersion(sql, 'edp_boundaries');
  for (const f of features) {
    const [e, n, s] = f.square;
    await sql`INSERT INTO edp_boundaries (version, geometry, name, attributes)
      VALUES (${version}, ST_Multi(ST_MakeEnvelope(${e}, ${n}, ${e + s}, ${n + s}, 27700)), ${f.attributes.EDP_Name}, ${sql.json(f.attributes)})`;
  }
  await activate(sql, 'edp_boundaries', version);
  return version;
}

/** A square site of `side` metres with its south-west corner at (e, n), EPSG:27700. */
export function squareSite(e: number, n: number, side: number, rlbId = 1): Site {
  const ring = [[e, n], [e + side, n], [e + side, n + side], [e, n + side], [e, n]];
  return { rlbId, sourceFeature: rlbId - 1, geometry: { type: 'Polygon', coordinates: [ring] }, attributes: null };
}
