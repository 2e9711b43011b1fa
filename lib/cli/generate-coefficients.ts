// `bin/worker generate-coefficients [--parcels N] [--seed S] [--within LAYER|FILE]
// [--bbox minE,minN,maxE,maxN] [--load] [--out FILE] [--preset NAME]`: the synthetic coefficient
// layer of nutrient.md §11. Prints the manifest (JSON) to stdout and timings to stderr; with
// neither --out nor --load it only computes the manifest.

import { loadConfig } from '../config.js';
import { createSql, type Sql } from '../db/sql.js';
import { PRESETS, planGeneration, manifestOf, type GeneratorOptions, type PresetName } from '../reference/generator/generate.js';
import { writeCoefficientGpkg } from '../reference/generator/gpkg-writer.js';
import { loadSyntheticCoefficients } from '../reference/generator/load.js';
import { describeFailures } from '../reference/report.js';
import { parseArgs, reportConfigError } from './common.js';

const USAGE = 'Usage: bin/worker generate-coefficients [--parcels N] [--seed S] [--within LAYER|FILE.gpkg] [--bbox minE,minN,maxE,maxN] [--load] [--out FILE.gpkg] [--preset test|test-urban|bench-1m|bench-national]\n';
const KNOWN = new Set(['parcels', 'seed', 'within', 'bbox', 'load', 'out', 'preset', 'help']);

function integer(name: string, value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === true || !/^\d+$/.test(value.replace(/_/g, ''))) throw new Error(`--${name} must be a whole number`);
  return Number(value.replace(/_/g, ''));
}

function options(flags: Map<string, string | true>): GeneratorOptions {
  const unknown = [...flags.keys()].filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new Error(`unknown option --${unknown.join(', --')}`);
  const preset = flags.get('preset');
  if (preset !== undefined && (preset === true || !(preset in PRESETS))) throw new Error(`--preset must be one of ${Object.keys(PRESETS).join(', ')}`);
  const bboxFlag = flags.get('bbox');
  let bbox: GeneratorOptions['bbox'];
  if (bboxFlag !== undefined) {
    const parts = bboxFlag === true ? [] : bboxFlag.split(',').map(Number);
    const [minE, minN, maxE, maxN] = parts;
    if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p)) || minE === undefined || minN === undefined || maxE === undefined || maxN === undefined) {
      throw new Error('--bbox must be minE,minN,maxE,maxN (metres, EPSG:27700)');
    }
    bbox = { minE, minN, maxE, maxN };
  }
  const within = flags.get('within');
  if (within === true) throw new Error('--within needs a table name or a .gpkg file');
  return { preset: preset as PresetName | undefined, parcels: integer('parcels', flags.get('parcels')), seed: integer('seed', flags.get('seed')), within, bbox };
}

export async function generateCoefficientsCommand(args: string[]): Promise<number> {
  let opts: GeneratorOptions;
  let flags: Map<string, string | true>;
  try {
    flags = parseArgs(args, ['load', 'help']).flags;
    if (flags.has('help')) {
      process.stdout.write(USAGE);
      return 0;
    }
    opts = options(flags);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  const log = (line: string): void => void process.stderr.write(`generate-coefficients: ${line}\n`);
  const load = flags.has('load');
  const out = flags.get('out');
  const needsDb = load || (opts.bbox === undefined && !(opts.within ?? 'nn_catchments').toLowerCase().endsWith('.gpkg'));
  let sql: Sql | undefined;
  if (needsDb) {
    const config = reportConfigError(() => loadConfig(process.env, { role: 'cli', optional: ['SQS_QUEUE_URL', 'AWS_S3_INPUT_BUCKET', 'BACKEND_BASE_URL'] }));
    if (!config) return 78;
    sql = createSql(config.db, { applicationName: 'nrf-impact-worker/generate-coefficients', max: 2 });
  }
  try {
    const started = performance.now();
    const plan = await planGeneration({ ...opts, sql });
    log(`${plan.rows.toLocaleString('en-GB')} rows (${plan.coverageRows.toLocaleString('en-GB')} coverage cells), s = ${plan.lattice.sMm} mm, a = ${plan.lattice.aMm} mm, planned in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    let manifest = null;
    if (typeof out === 'string') {
      const t0 = performance.now();
      const written = writeCoefficientGpkg(plan, out, (n) => log(`${n.toLocaleString('en-GB')} rows written`));
      manifest = written.manifest;
      log(`wrote ${written.file} and ${written.manifestFile} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (load && sql) {
      const loaded = await loadSyntheticCoefficients(sql, { ...opts, sql, log });
      manifest = loaded.manifest;
      const failures = describeFailures([loaded.report]);
      if (!loaded.report.activated) {
        for (const f of failures) log(`QC: ${f}`);
        return 1;
      }
      log(`loaded ${loaded.report.rows.toLocaleString('en-GB')} rows into coefficient_layer v${loaded.report.version} (activated) in ${loaded.seconds.toFixed(1)} s; timings ${JSON.stringify(loaded.report.timings)}`);
    }
    manifest ??= manifestOf(plan);
    process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
    return 0;
  } finally {
    await sql?.end({ timeout: 5 });
  }
}
