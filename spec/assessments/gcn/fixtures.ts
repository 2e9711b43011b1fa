// Interim fixture access for the GCN regression specs: reads the public GeoPackage layers and
// shapefiles in place (never copied). Replaced by lib/reference and lib/input once they land.

import Database from 'better-sqlite3';
import * as shapefile from 'shapefile';
import type { Geometry } from 'geojson';
import type { Sql } from '../../../lib/db/sql.js';
import type { Site, SurveyPond } from '../../../lib/geo/types.js';
import { sharedPath } from '../../support/data.js';
import { activateVersion } from './helpers.js';

function gpkgWkb(blob: Buffer): Buffer {
  const flags = blob[3] ?? 0;
  const envelope = [0, 32, 48, 48, 64][(flags >> 1) & 7] ?? 0;
  return blob.subarray(8 + envelope);
}

/** Loads the fixture GeoPackage of `table` (2D, repaired, multi) as `version`. */
export async function loadFixtureLayer(sql: Sql, table: 'gcn_risk_zones' | 'edp_edges', version: number, activate = true): Promise<number> {
  const db = new Database(sharedPath('reference', `${table}.gpkg`), { readonly: true });
  try {
    const layer = (db.prepare(`SELECT table_name FROM gpkg_contents WHERE data_type = 'features'`).get() as { table_name: string }).table_name;
    const rows = db.prepare(`SELECT * FROM "${layer}"`).all() as Record<string, unknown>[];
    for (const row of rows) {
      const { geom, fid: _fid, ...attributes } = row;
      await sql`INSERT INTO ${sql(table)} (version, geometry, attributes)
        VALUES (${version}, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Force2D(ST_GeomFromWKB(${gpkgWkb(geom as Buffer)}, 27700))), 3)), ${sql.json(attributes as never)})`;
    }
    if (activate) await activateVersion(sql, table, version);
    return rows.length;
  } finally {
    db.close();
  }
}

async function readShp(path: string): Promise<{ geometry: Geometry; properties: Record<string, unknown> }[]> {
  const source = await shapefile.open(`${path}.shp`, `${path}.dbf`);
  const out: { geometry: Geometry; properties: Record<string, unknown> }[] = [];
  for (let r = await source.read(); !r.done; r = await source.read()) {
    out.push({ geometry: r.value.geometry, properties: r.value.properties ?? {} });
  }
  return out;
}

export async function surveySites(): Promise<Site[]> {
  const features = await readShp(sharedPath('inputs/gcn/SiteBoundaries/SiteBoundary_00001'));
  return features.map((f, i) => ({ rlbId: i + 1, sourceFeature: i, geometry: f.geometry as Site['geometry'], attributes: { id: typeof f.properties.Id === 'number' || typeof f.properties.Id === 'string' ? String(f.properties.Id) : null } }));
}

export async function surveyPonds(): Promise<SurveyPond[]> {
  const features = await readShp(sharedPath('inputs/gcn/SitePonds/SitePonds_00001'));
  return features.map((f, i) => ({
    featureIndex: i,
    geometry: f.geometry as SurveyPond['geometry'],
    pans: (f.properties.PANS as string).trim() as SurveyPond['pans'],
    tmpImp: (f.properties.TmpImp as string).trim() as SurveyPond['tmpImp'],
  }));
}
