// `generate-coefficients --load`: the fast path into coefficient_layer. Rows are generated in
// TypeScript as hex EWKB (valid hexagons by construction, SRID 27700, MultiPolygon) and COPY'd
// straight into the new version; QC runs on the stored rows, then the partial GiST index, ANALYZE
// and (always, for --load) activation through the shared loader.

import type { Sql } from '../../db/sql.js';
import { copyField, copyInto } from '../copy.js';
import { loadTableVersion, activateReports, type LoadOptions } from '../loader.js';
import { passed, type LoadReport } from '../report.js';
import { coefficientChecks } from '../qc/coefficients.js';
import { rowCountCheck } from '../qc/sql-check.js';
import { activeRowCount, hasBlockingFailure, stopwatch } from '../load/context.js';
import { finishCoefficientVersion } from '../load/coefficients.js';
import { ringMm } from './hexagon.js';
import { multiPolygonEwkbHexEncoder } from './wkb.js';
import { manifestHasher, planGeneration, type GeneratorOptions, type Manifest } from './generate.js';

const COLUMNS = 'coefficient_layer (version, crome_id, land_use_cat, nn_catchment, subcatchment, lu_curr_n_coeff, lu_curr_p_coeff, n_resi_coeff, p_resi_coeff, geometry)';

export interface SyntheticLoad {
  report: LoadReport;
  manifest: Manifest;
  /** generate + COPY + QC + index + analyze + activation, seconds. */
  seconds: number;
}

export async function loadSyntheticCoefficients(sql: Sql, options: GeneratorOptions & Pick<LoadOptions, 'log'> & { activate?: boolean }): Promise<SyntheticLoad> {
  const started = performance.now();
  const plan = await planGeneration({ ...options, sql: options.sql ?? sql });
  let manifest: Manifest | null = null;
  const loadOptions: LoadOptions = { activate: options.activate ?? true, log: options.log, signal: options.signal };
  const report = await loadTableVersion(sql, 'coefficient_layer', { path: `generator:${plan.extent.source ?? 'bbox'}`, format: 'synthetic', layer: null }, async (ctx) => {
    const timings: Record<string, number> = {};
    const lap = stopwatch();
    const hasher = manifestHasher(plan);
    const encode = multiPolygonEwkbHexEncoder();
    const version = String(ctx.version);
    const lines = function* (): Generator<string> {
      for (const row of plan.generate()) {
        hasher.add(row);
        // Numbers print as JS shortest round-trip digits, which float8 input reads back exactly.
        yield `${version}\t${row.cromeid}\t${row.landUseCat}\tsynthetic\tsynthetic\t${copyField(row.luCurrN)}\t${copyField(row.luCurrP)}\t${copyField(row.nResi)}\t${copyField(row.pResi)}\t${encode(ringMm(plan.lattice, row.i, row.j))}\n`;
      }
    };
    const rows = await copyInto(ctx.tx, COLUMNS, lines(), { signal: ctx.signal, onProgress: ctx.onProgress });
    manifest = hasher.finish();
    lap('generate+copy', timings);
    const checks = [
      rowCountCheck(rows, await activeRowCount(ctx)),
      passed('SRID 27700, polygonal geometry', 'blocking', 'by construction: hexagons written as MultiPolygon EWKB with SRID 27700'),
      ...(await coefficientChecks(ctx.tx, 'SELECT crome_id AS ref, * FROM coefficient_layer WHERE version = $1', [ctx.version])),
    ];
    lap('qc', timings);
    if (hasBlockingFailure(checks)) {
      await ctx.tx.unsafe('DELETE FROM coefficient_layer WHERE version = $1', [ctx.version]);
      return { rows, repaired: 0, crs: { declared: 27700, used: 27700, assumed: false }, warnings: [], checks, inserted: false, timings };
    }
    await finishCoefficientVersion(ctx, timings);
    return { rows, repaired: 0, crs: { declared: 27700, used: 27700, assumed: false }, warnings: [`manifest sha256 ${manifest.sha256}`], checks, inserted: true, timings };
  }, loadOptions);
  if (loadOptions.activate) await activateReports(sql, [report], loadOptions);
  if (!manifest) throw new Error('generator did not finish');
  return { report, manifest, seconds: (performance.now() - started) / 1000 };
}
