// `--within nn_catchments` (or another polygon table): the coverage test of nutrient.md §11.2 run
// in PostGIS against the table's active version, so no reference geometry comes into the process.
// The NN polygons are subdivided once (GiST-indexed temp table); candidate cells are generated in
// SQL around each piece and kept when ST_DWithin(centre, piece, s). Distance to the union equals
// the minimum over the pieces.

import type { Sql } from '../../db/sql.js';
import type { Lattice } from './hexagon.js';
import { gridLimits } from './hexagon.js';
import type { Bbox, Coverage } from './coverage.js';
import { isLoadableTable } from '../tables.js';

export interface TableCoverage {
  coverage: Coverage;
  bbox: Bbox;
  version: number;
}

export async function coverageWithinTable(sql: Sql, table: string, lattice: Lattice, signal?: AbortSignal): Promise<TableCoverage> {
  if (!isLoadableTable(table)) throw new Error(`--within ${table}: not a reference table (or give a .gpkg file)`);
  signal?.throwIfAborted();
  const { maxJ } = gridLimits(lattice);
  return sql.begin(async (tx) => {
    const [active] = await tx<{ v: number }[]>`SELECT active_version AS v FROM data_active_version WHERE table_name = ${table}`;
    if (!active) throw new Error(`--within ${table}: the table has no active version`);
    const version = active.v;
    // Exact vertex extremes (box2d is float-rounded), so the centre matches the file-based path.
    const [box] = await tx.unsafe<{ min_e: number; min_n: number; max_e: number; max_n: number }[]>(
      `SELECT min(ST_X(d.geom)) AS min_e, min(ST_Y(d.geom)) AS min_n, max(ST_X(d.geom)) AS max_e, max(ST_Y(d.geom)) AS max_n
       FROM ${table} t, LATERAL ST_DumpPoints(t.geometry) d WHERE t.version = $1`, [version]);
    if (!box || box.min_e === null) throw new Error(`--within ${table}: v${version} has no geometry`);
    await tx.unsafe(`CREATE TEMP TABLE _cover_pieces ON COMMIT DROP AS
      SELECT ST_Subdivide(geometry, 256) AS g FROM ${table} WHERE version = $1`, [version]);
    await tx.unsafe('CREATE INDEX ON _cover_pieces USING gist (g)');
    await tx.unsafe('ANALYZE _cover_pieces');
    signal?.throwIfAborted();
    const rows = await tx.unsafe<{ i: number; j: number }[]>(`
      WITH params AS (SELECT $1::float8 AS a, $2::float8 AS pitch, $3::float8 AS s, $4::int AS max_j)
      SELECT DISTINCT c.i, c.j FROM _cover_pieces p CROSS JOIN params
      CROSS JOIN LATERAL generate_series(greatest(0, ceil((ST_YMin(p.g) - s / 1000) * 1000 / pitch)::int - 1),
                                         least(max_j, floor((ST_YMax(p.g) + s / 1000) * 1000 / pitch)::int + 1)) AS rj(j)
      CROSS JOIN LATERAL generate_series(greatest(0, floor(((ST_XMin(p.g) - s / 1000) * 1000 / a - (rj.j % 2)) / 2)::int - 1),
                                         ceil(((ST_XMax(p.g) + s / 1000) * 1000 / a - (rj.j % 2)) / 2)::int + 1) AS ri(i)
      CROSS JOIN LATERAL (SELECT ri.i, rj.j, (a * (2 * ri.i + rj.j % 2)) / 1000 AS x, (pitch * rj.j) / 1000 AS y) c
      WHERE ST_DWithin(p.g, ST_SetSRID(ST_MakePoint(c.x, c.y), 27700), s / 1000)
      ORDER BY c.j, c.i`, [lattice.aMm, lattice.rowPitchMm, lattice.sMm, maxJ]);
    const coverage: Coverage = new Map();
    for (const { i, j } of rows) {
      const list = coverage.get(j);
      if (list) list.push(i);
      else coverage.set(j, [i]);
    }
    return { coverage, bbox: { minE: box.min_e, minN: box.min_n, maxE: box.max_e, maxN: box.max_n }, version };
  });
}
