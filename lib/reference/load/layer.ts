// Polygon layers (NN, WwTW, LPA, sub-catchments, GCN risk zones, EDP areas) and gcn_ponds:
// stage → QC on the staged rows → insert into the common layout → ANALYZE.

import type { FeatureSource } from '../readers/types.js';
import { SPATIAL_LAYERS, tableKind } from '../tables.js';
import { stageFeatures } from './stage.js';
import { attributeChecks, geometryChecks } from '../qc/layers.js';
import { requiredColumnsCheck, rowCountCheck } from '../qc/sql-check.js';
import { activeRowCount, hasBlockingFailure, stopwatch, type LoadContext, type TableLoadOutcome } from './context.js';

export async function loadLayer(ctx: LoadContext, source: FeatureSource): Promise<TableLoadOutcome> {
  const { tx, table } = ctx;
  const spec = SPATIAL_LAYERS[table];
  if (!spec) throw new Error(`${table} is not a spatial layer`);
  const polygonal = tableKind(table) === 'polygon-layer';
  const timings: Record<string, number> = {};
  const lap = stopwatch();
  const staged = await stageFeatures(tx, source, { polygonal, signal: ctx.signal, onProgress: ctx.onProgress });
  lap('stage', timings);
  const checks = [
    requiredColumnsCheck(source.columns, spec.requiredAttributes),
    rowCountCheck(staged.rows, await activeRowCount(ctx)),
    ...(await geometryChecks(tx, polygonal)),
    ...(await attributeChecks(tx, table)),
  ];
  lap('qc', timings);
  const outcome: TableLoadOutcome = { rows: staged.rows, repaired: staged.repaired, crs: staged.crs, warnings: staged.warnings, checks, inserted: false, timings };
  if (hasBlockingFailure(checks)) return outcome;
  ctx.signal?.throwIfAborted();
  const geometry = polygonal ? 'ST_Multi(g)' : 'g';
  const name = spec.nameAttribute ? `attributes->>'${spec.nameAttribute}'` : 'NULL';
  await tx.unsafe(`INSERT INTO ${table} (version, geometry, name, attributes)
    SELECT $1, ${geometry}, ${name}, attributes FROM _ref_geom ORDER BY idx`, [ctx.version]);
  lap('insert', timings);
  await tx.unsafe(`ANALYZE ${table}`);
  lap('analyze', timings);
  return { ...outcome, inserted: true };
}
