// File → table(s) (DESIGN.md `load-data`): the table name comes from the file name
// (`nn_catchments.gpkg` → nn_catchments, `lookups.sqlite` → wwtw_lookup + rates_lookup); a
// GeoPackage with layer NMSCoefficientLayer or a name starting `coefficient` → coefficient_layer;
// `gcn_ponds.*` → gcn_ponds. `TABLE=PATH` names the table explicitly (production file names).

import path from 'node:path';
import { existsSync } from 'node:fs';
import { isLoadableTable, type LoadableTable } from './tables.js';
import type { FeatureSource } from './readers/types.js';
import { ReaderError } from './readers/types.js';
import { listGpkgLayers, openGpkg } from './readers/gpkg.js';
import { openGeoJson, openShapefile } from './readers/vector.js';
import { listSqliteTables, readCsv, readSqliteTables, type TabularData } from './readers/tabular.js';

export const COEFFICIENT_LAYER_NAME = 'NMSCoefficientLayer';

export type PlannedLoad =
  | { table: LoadableTable; path: string; kind: 'features'; open: () => Promise<FeatureSource> }
  | { table: LoadableTable; path: string; kind: 'tabular'; read: () => Promise<TabularData> };

const LOOKUP_TABLES: Record<string, LoadableTable> = { WwTw_lookup: 'wwtw_lookup', rates_lookup: 'rates_lookup' };

function tableFromName(base: string): LoadableTable | null {
  const lower = base.toLowerCase();
  if (lower.startsWith('coefficient')) return 'coefficient_layer';
  if (lower.startsWith('gcn_ponds')) return 'gcn_ponds';
  return isLoadableTable(lower) ? lower : null;
}

function featureLoad(table: LoadableTable, file: string, ext: string, layer: string | null): PlannedLoad {
  const base = path.basename(file, path.extname(file));
  const open = async (): Promise<FeatureSource> => {
    if (ext === '.gpkg') return openGpkg(file, layer);
    if (ext === '.shp') return openShapefile(file, base);
    return openGeoJson(file, base);
  };
  return { table, path: file, kind: 'features', open };
}

/** What loading `arg` (a path, or TABLE=PATH) writes. Throws ReaderError for unknown files. */
export function planFile(arg: string): PlannedLoad[] {
  const eq = arg.indexOf('=');
  const explicit = eq > 0 && !existsSync(arg) ? arg.slice(0, eq) : null;
  const file = explicit === null ? arg : arg.slice(eq + 1);
  if (explicit !== null && !isLoadableTable(explicit)) throw new ReaderError(`unknown table "${explicit}" in ${arg}`);
  if (!existsSync(file)) throw new ReaderError(`${file}: no such file`);
  const ext = path.extname(file).toLowerCase();
  const base = path.basename(file, path.extname(file));

  if (ext === '.sqlite' || ext === '.sqlite3' || ext === '.db') {
    const present = listSqliteTables(file);
    const plans = Object.entries(LOOKUP_TABLES)
      .filter(([source, table]) => present.some((p) => p.toLowerCase() === source.toLowerCase()) && (explicit === null || explicit === table))
      .map(([source, table]): PlannedLoad => ({
        table, path: file, kind: 'tabular',
        read: async () => {
          await Promise.resolve();
          const data = readSqliteTables(file, [source]).get(source);
          if (!data) throw new ReaderError(`${file}: table ${source} disappeared`);
          return data;
        },
      }));
    if (plans.length === 0) throw new ReaderError(`${file}: no WwTw_lookup or rates_lookup table`);
    return plans;
  }
  if (ext === '.csv') {
    const table = (explicit ?? base.toLowerCase()) as LoadableTable;
    if (table !== 'levy_charges' && table !== 'levy_inflation_index') throw new ReaderError(`${file}: CSV loads levy_charges or levy_inflation_index (name the file after the table)`);
    return [{ table, path: file, kind: 'tabular', read: () => readCsv(file) }];
  }
  if (ext === '.gpkg') {
    const layers = listGpkgLayers(file);
    const coefficientLayer = layers.find((l) => l.toLowerCase() === COEFFICIENT_LAYER_NAME.toLowerCase());
    const table = (explicit) ?? (coefficientLayer ? 'coefficient_layer' : tableFromName(base))
      ?? (layers.length === 1 && layers[0] ? tableFromName(layers[0]) : null);
    if (!table) throw new ReaderError(`${file}: cannot tell which table it loads (layers: ${layers.join(', ')}); name it TABLE.gpkg or pass TABLE=${file}`);
    const layer = table === 'coefficient_layer' ? (coefficientLayer ?? null) : (layers.find((l) => l.toLowerCase() === table) ?? null);
    return [featureLoad(table, file, ext, layer)];
  }
  if (ext === '.shp' || ext === '.geojson' || ext === '.json') {
    const table = (explicit) ?? tableFromName(base);
    if (!table) throw new ReaderError(`${file}: cannot tell which table it loads; name it TABLE${ext} or pass TABLE=${file}`);
    return [featureLoad(table, file, ext, null)];
  }
  throw new ReaderError(`${file}: unsupported file type ${ext || '(none)'} (GeoPackage, shapefile, GeoJSON, SQLite lookups, CSV)`);
}
