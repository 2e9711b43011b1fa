// coefficient_layer from a file (production NMSCoefficientLayer GeoPackage or the synthetic one):
// production column names mapped to stored columns (nutrient.md §5.2), coefficients parsed
// leniently, geometry through the shared pipeline, then a partial GiST index for this version.

import type { FeatureSource, Attributes } from '../readers/types.js';
import { parseLenient } from '../lenient.js';
import { fromViolations, type QcCheck } from '../report.js';
import { stageFeatures } from './stage.js';
import { geometryChecks } from '../qc/layers.js';
import { coefficientChecks } from '../qc/coefficients.js';
import { requiredColumnsCheck, rowCountCheck } from '../qc/sql-check.js';
import { coefficientIndexName } from '../versions.js';
import { activeRowCount, hasBlockingFailure, stopwatch, type LoadContext, type TableLoadOutcome } from './context.js';

/** Source column → stored column (nutrient.md §5.2). */
export const COEFFICIENT_COLUMNS = {
  cromeid: 'crome_id', Land_use_cat: 'land_use_cat', NN_Catchment: 'nn_catchment', SubCatchment: 'subcatchment',
  LU_CurrNcoeff: 'lu_curr_n_coeff', LU_CurrPcoeff: 'lu_curr_p_coeff', N_ResiCoeff: 'n_resi_coeff', P_ResiCoeff: 'p_resi_coeff',
} as const;

const TEXT_COLUMNS = ['cromeid', 'Land_use_cat', 'NN_Catchment', 'SubCatchment'] as const;
const NUMBER_COLUMNS = ['LU_CurrNcoeff', 'LU_CurrPcoeff', 'N_ResiCoeff', 'P_ResiCoeff'] as const;

const STAGED_RELATION = `SELECT idx AS ref, attributes->>'crome_id' AS crome_id, attributes->>'land_use_cat' AS land_use_cat,
  attributes->>'nn_catchment' AS nn_catchment, attributes->>'subcatchment' AS subcatchment,
  (attributes->>'lu_curr_n_coeff')::float8 AS lu_curr_n_coeff, (attributes->>'lu_curr_p_coeff')::float8 AS lu_curr_p_coeff,
  (attributes->>'n_resi_coeff')::float8 AS n_resi_coeff, (attributes->>'p_resi_coeff')::float8 AS p_resi_coeff FROM _ref_geom`;

export async function loadCoefficientFile(ctx: LoadContext, source: FeatureSource): Promise<TableLoadOutcome> {
  const { tx } = ctx;
  const timings: Record<string, number> = {};
  const lap = stopwatch();
  const unparseable: { feature: number; column: string; raw: string }[] = [];
  const mapAttributes = (a: Attributes, index: number): Attributes => {
    const out: Attributes = {};
    for (const col of TEXT_COLUMNS) {
      const v = a[col];
      out[COEFFICIENT_COLUMNS[col]] = v === null || v === undefined ? null : String(v);
    }
    for (const col of NUMBER_COLUMNS) {
      const r = parseLenient(a[col]);
      if (r.issue) unparseable.push({ feature: index, column: col, raw: r.issue.raw });
      out[COEFFICIENT_COLUMNS[col]] = r.value;
    }
    return out;
  };
  const staged = await stageFeatures(tx, source, { polygonal: true, mapAttributes, signal: ctx.signal, onProgress: ctx.onProgress });
  lap('stage', timings);
  const checks: QcCheck[] = [
    requiredColumnsCheck(source.columns, Object.keys(COEFFICIENT_COLUMNS)),
    rowCountCheck(staged.rows, await activeRowCount(ctx)),
    ...(await geometryChecks(tx, true)),
    ...(await coefficientChecks(tx, STAGED_RELATION)),
    fromViolations('unparseable coefficients (read as null)', 'warning', unparseable),
  ];
  lap('qc', timings);
  const outcome: TableLoadOutcome = { rows: staged.rows, repaired: staged.repaired, crs: staged.crs, warnings: staged.warnings, checks, inserted: false, timings };
  if (hasBlockingFailure(checks)) return outcome;
  ctx.signal?.throwIfAborted();
  await tx.unsafe(`INSERT INTO coefficient_layer (version, crome_id, land_use_cat, nn_catchment, subcatchment,
      lu_curr_n_coeff, lu_curr_p_coeff, n_resi_coeff, p_resi_coeff, geometry)
    SELECT $1, crome_id, land_use_cat, nn_catchment, subcatchment, lu_curr_n_coeff, lu_curr_p_coeff, n_resi_coeff, p_resi_coeff, ST_Multi(g)
    FROM (${STAGED_RELATION.replace('FROM _ref_geom', ', g FROM _ref_geom')}) s ORDER BY ref`, [ctx.version]);
  lap('insert', timings);
  await finishCoefficientVersion(ctx, timings);
  return { ...outcome, inserted: true };
}

/** Partial GiST index for the new version (nutrient.md §5.6 step 4), then ANALYZE. */
export async function finishCoefficientVersion(ctx: LoadContext, timings: Record<string, number>): Promise<void> {
  const lap = stopwatch();
  await ctx.tx.unsafe(`CREATE INDEX IF NOT EXISTS ${coefficientIndexName(ctx.version)} ON coefficient_layer USING gist (geometry) WHERE version = ${Math.trunc(ctx.version)}`);
  lap('index', timings);
  await ctx.tx.unsafe('ANALYZE coefficient_layer');
  lap('analyze', timings);
}
