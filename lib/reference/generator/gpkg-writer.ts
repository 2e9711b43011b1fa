// Writes the synthetic layer as a GeoPackage (nutrient.md §11.4): layer NMSCoefficientLayer,
// EPSG:27700, Polygon, the production column names, rows in ascending (j, i), plus the sidecar
// manifest.json. Minimal but valid: application_id, user_version, gpkg_spatial_ref_sys (the three
// mandatory rows + 27700), gpkg_contents and gpkg_geometry_columns.

import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COEFFICIENT_LAYER_NAME } from '../sources.js';
import { ringMm } from './hexagon.js';
import { gpkgBlob } from './wkb.js';
import { manifestHasher, type GenerationPlan, type Manifest } from './generate.js';

const EPSG_27700_WKT = 'PROJCS["OSGB36 / British National Grid",GEOGCS["OSGB36",DATUM["Ordnance_Survey_of_Great_Britain_1936",SPHEROID["Airy 1830",6377563.396,299.3249646,AUTHORITY["EPSG","7001"]],AUTHORITY["EPSG","6277"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4277"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",49],PARAMETER["central_meridian",-2],PARAMETER["scale_factor",0.9996012717],PARAMETER["false_easting",400000],PARAMETER["false_northing",-100000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","27700"]]';
const EPSG_4326_WKT = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

const SCHEMA = `
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE "${COEFFICIENT_LAYER_NAME}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POLYGON, cromeid TEXT, Land_use_cat TEXT,
  NN_Catchment TEXT, SubCatchment TEXT, LU_CurrNcoeff REAL, LU_CurrPcoeff REAL, N_ResiCoeff REAL, P_ResiCoeff REAL);
`;

export interface WriteResult {
  file: string;
  manifestFile: string;
  manifest: Manifest;
}

/** Writes FILE.gpkg and manifest.json beside it (replacing both). */
export function writeCoefficientGpkg(plan: GenerationPlan, file: string, onProgress?: (rows: number) => void): WriteResult {
  rmSync(file, { force: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('application_id = 1196444487'); // 'GPKG'
    db.pragma('user_version = 10300'); // GeoPackage 1.3
    db.exec(SCHEMA);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
    srs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
    srs.run('WGS 84 geodetic', 4326, 'EPSG', 4326, EPSG_4326_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
    srs.run('OSGB36 / British National Grid', 27700, 'EPSG', 27700, EPSG_27700_WKT, null);
    const insert = db.prepare(`INSERT INTO "${COEFFICIENT_LAYER_NAME}" (geom, cromeid, Land_use_cat, NN_Catchment, SubCatchment,
      LU_CurrNcoeff, LU_CurrPcoeff, N_ResiCoeff, P_ResiCoeff) VALUES (?, ?, ?, 'synthetic', 'synthetic', ?, ?, ?, ?)`);
    const hasher = manifestHasher(plan);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    let written = 0;
    db.transaction(() => {
      for (const row of plan.generate()) {
        const ring = ringMm(plan.lattice, row.i, row.j);
        minX = Math.min(minX, (ring[2] ?? 0) / 1000);
        maxX = Math.max(maxX, (ring[8] ?? 0) / 1000);
        minY = Math.min(minY, (ring[7] ?? 0) / 1000);
        maxY = Math.max(maxY, (ring[1] ?? 0) / 1000);
        insert.run(gpkgBlob(ring), row.cromeid, row.landUseCat, row.luCurrN, row.luCurrP, row.nResi, row.pResi);
        hasher.add(row);
        written += 1;
        if (written % 100_000 === 0) onProgress?.(written);
      }
      db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
        VALUES (?, 'features', ?, 'synthetic CROME-like coefficient layer (nutrient.md §11)', ?, ?, ?, ?, 27700)`)
        .run(COEFFICIENT_LAYER_NAME, COEFFICIENT_LAYER_NAME, minX, minY, maxX, maxY);
      db.prepare(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POLYGON', 27700, 0, 0)`).run(COEFFICIENT_LAYER_NAME);
    })();
    const manifest = hasher.finish();
    const manifestFile = path.join(path.dirname(file), 'manifest.json');
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    return { file, manifestFile, manifest };
  } finally {
    db.close();
  }
}
