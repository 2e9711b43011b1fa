// A small synthetic reference world for `bin/worker demo` on a clone without ../shared/data.
// It is written in the same formats as the public data (GeoJSON layers in EPSG:27700, the
// lookups SQLite file, the levy CSVs), so the demo loads it through the real loader.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Feature, FeatureCollection, Polygon } from 'geojson';

/** South-west corner of the world, in British National Grid metres (near Norwich). */
export const ORIGIN = { x: 600000, y: 300000 } as const;

type Props = Record<string, string | number | null>;

export function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
  const [ax, ay, bx, by] = [ORIGIN.x + x0, ORIGIN.y + y0, ORIGIN.x + x1, ORIGIN.y + y1];
  return { type: 'Polygon', coordinates: [[[ax, ay], [bx, ay], [bx, by], [ax, by], [ax, ay]]] };
}

function collection(features: { geometry: Polygon; properties: Props }[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    // The legacy crs member keeps the layer in BNG; without it GeoJSON means WGS 84.
    ...{ crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } } },
    features: features.map((f): Feature => ({ type: 'Feature', geometry: f.geometry, properties: f.properties })),
  };
}

const WORLD_LAYERS: Record<string, { geometry: Polygon; properties: Props }[]> = {
  nn_catchments: [
    { geometry: rect(0, 0, 8000, 8000), properties: { OID: 1, N2K_Site_N: 'Demo Broads SAC', Label: 'Demo Bure Marshes' } },
    { geometry: rect(8000, 0, 16000, 8000), properties: { OID: 2, N2K_Site_N: 'Demo Broads SAC', Label: 'Demo Yare Marshes' } },
    { geometry: rect(0, 8000, 16000, 12000), properties: { OID: 3, N2K_Site_N: 'Demo Wensum SAC', Label: 'Demo Wensum' } },
  ],
  wwtw_catchments: [
    { geometry: rect(0, 0, 8000, 12000), properties: { WwTw_ID: 9001, WwTW: 'Demo North' } },
    { geometry: rect(8000, 0, 16000, 12000), properties: { WwTw_ID: 9002, WwTW: 'Demo South' } },
  ],
  lpa_boundaries: [
    { geometry: rect(-5000, 6000, 21000, 17000), properties: { NAME: 'Demo District North' } },
    { geometry: rect(-5000, -5000, 21000, 6000), properties: { NAME: 'Demo District South' } },
  ],
  subcatchments: [
    { geometry: rect(-5000, -5000, 8000, 17000), properties: { OPCAT_NAME: 'Demo Bure' } },
    { geometry: rect(8000, -5000, 21000, 17000), properties: { OPCAT_NAME: 'Demo Yare' } },
  ],
  gcn_risk_zones: [
    { geometry: rect(-2000, -2000, 4000, 14000), properties: { RZ: 'Red', MHW: 'Above MHW', Shape_Leng: 44000, Shape_Length: 44000, Shape_Area: 96000000 } },
    { geometry: rect(4000, -2000, 10000, 14000), properties: { RZ: 'Amber', MHW: 'Above MHW', Shape_Leng: 44000, Shape_Length: 44000, Shape_Area: 96000000 } },
    { geometry: rect(10000, -2000, 18000, 14000), properties: { RZ: 'Green', MHW: 'Above MHW', Shape_Leng: 48000, Shape_Length: 48000, Shape_Area: 128000000 } },
  ],
  edp_boundaries: [
    { geometry: rect(-1000, -1000, 17000, 13000), properties: { EDP_Area: 'Demo', EDP_Name: 'Demo Nutrient EDP' } },
  ],
  edp_edges: [
    { geometry: rect(-2000, -2000, 8000, 14000), properties: { EDPName: 'Demo Area A', Shape_Length: 52000, Shape_Area: 160000000 } },
    { geometry: rect(8000, -2000, 18000, 14000), properties: { EDPName: 'Demo Area B', Shape_Length: 52000, Shape_Area: 160000000 } },
  ],
  edp_excluded_areas: [
    { geometry: rect(14000, 10000, 15000, 11000), properties: { site_name: 'Demo reserve', designation_type: 'SSSI', buff_dist_m: 0 } },
  ],
};

const WWTW_ROWS: [string | null, string, string | null, string | null, number | null, string | null, string | null][] = [
  // Subcatchment_name, WwTW_name, WwTW_code, N 2025–2030, N 2030+, P 2025–2030, P 2030+
  ['Demo Bure', 'Demo North Water Recycling Centre', '9001', '27', 10, '1', '0.25'],
  ['Demo Yare', 'Demo South Water Recycling Centre', '9002', '27', 27, '1', '1'],
  [null, 'Package Treatment Plant default', '141', '25', 25, '4.5', '4.5'],
];

function writeLookups(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`CREATE TABLE "WwTw_lookup" ("Subcatchment_name" TEXT, "WwTW_name" TEXT, "WwTW_code" TEXT,
      "Nitrogen_2025_2030" TEXT, "Nitrogen_2030_onwards" REAL, "Phosphorus_2025_2030" TEXT, "Phosphorus_2030_onwards" TEXT);
      CREATE TABLE "rates_lookup" ("NN_Catchment" TEXT, "Occ_Rate" REAL, "Water_Usage_L_Day" INTEGER);`);
    const insertWwtw = db.prepare('INSERT INTO "WwTw_lookup" VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const row of WWTW_ROWS) insertWwtw.run(...row);
    const insertRate = db.prepare('INSERT INTO "rates_lookup" VALUES (?, ?, ?)');
    insertRate.run('Demo Broads SAC', 2.4, 120);
    insertRate.run('Demo Wensum SAC', 2.4, 120);
  } finally {
    db.close();
  }
}

const LEVY_CHARGES = 'edp_id,edp_name,edp_start_date,charge_valid_from,charge_valid_to,base_charge_per_unit,model_version\n'
  + '1,Demo Nutrient EDP,2026-01-01,2026-01-01,2036-12-31,2675.00,1\n';

function inflationCsv(): string {
  const lines = ['charging_year,cil_index'];
  for (let year = 2021; year <= 2036; year += 1) lines.push(`${year},${333 + (year - 2021) * 13}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the world into `dir` and returns the reference file paths, in load order. */
export async function writeSyntheticWorld(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [table, features] of Object.entries(WORLD_LAYERS)) {
    const file = path.join(dir, `${table}.geojson`);
    await writeFile(file, JSON.stringify(collection(features)));
    files.push(file);
  }
  const lookups = path.join(dir, 'lookups.sqlite');
  writeLookups(lookups);
  files.push(lookups);
  await writeFile(path.join(dir, 'levy_charges.csv'), LEVY_CHARGES);
  await writeFile(path.join(dir, 'levy_inflation_index.csv'), inflationCsv());
  files.push(path.join(dir, 'levy_charges.csv'), path.join(dir, 'levy_inflation_index.csv'));
  return files;
}

/** The demo's own boundaries inside the synthetic world. */
export const DEMO_SITES = {
  nutrient: rect(3000, 3000, 3150, 3120),
  quote: rect(10000, 2000, 10100, 2080),
  gcnSites: [rect(3800, 5000, 4300, 5400), rect(3500, 6000, 3700, 6200)],
  gcnPonds: [
    [3900, 5100, 'P', 'F'], [4100, 5300, 'A', 'T'], [3700, 4900, 'NS', 'F'], [4250, 5150, 'P', 'F'],
    [4400, 5500, 'A', 'F'], [3600, 6100, 'P', 'F'], [3300, 6300, 'NS', 'F'], [4600, 5200, 'A', 'F'],
  ] as const,
  bowTie: { type: 'Polygon', coordinates: [[[ORIGIN.x + 100, ORIGIN.y + 100], [ORIGIN.x + 200, ORIGIN.y + 200], [ORIGIN.x + 200, ORIGIN.y + 100], [ORIGIN.x + 100, ORIGIN.y + 200], [ORIGIN.x + 100, ORIGIN.y + 100]]] } as Polygon,
};
