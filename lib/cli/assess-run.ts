// How one `bin/worker assess` run goes, whichever the assessment (assess.ts: nutrient,
// assess-gcn.ts: GCN): a small pool, the shared fields of the result document, the output
// (stdout, or the artefacts of contracts.md §10 under --out) and the coded-error exit status.

import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { createSql, type Sql } from '../db/sql.js';
import { JobError } from '../errors.js';
import type { InputFileInfo } from '../geo/types.js';
import type { AssessmentResultsDocument, ResultFileInfo, ResultJob, ResultTimings, ResultWarning } from '../delivery/result-document.js';
import type { DocumentContext } from '../jobs/result-document.js';
import type { AssessmentType } from '../jobs/types.js';
import { artefactBasename, writeBoundariesZip, type BoundaryFeature } from './boundaries-zip.js';

export interface AssessCliOptions {
  file: string;
  type: 'nutrient' | 'gcn';
  /** `--dwellings`: the count for features without a `Dwellings` attribute. */
  dwellings: number | null;
  surveyPonds: string | null;
  /** `--ruleset`, already applied to `config.nutrient.ruleset`. */
  ruleset: 'v1' | 'v2' | null;
  format: 'json' | 'csv' | 'psv';
  outDir: string | null;
  /** `--lenient-geometry`: holes accepted, repeated vertices removed (contracts.md §10). */
  lenient: boolean;
  config: Config;
  signal: AbortSignal;
  /** Where the result JSON (or the coded error) is printed. */
  stdout: (text: string) => void;
}

/** Prints the §6 envelope; input rejections exit 2, other coded failures 1. */
export function reportJobError(error: JobError, stdout: (text: string) => void): number {
  stdout(`${JSON.stringify({ error: error.toEnvelope() })}\n`);
  return error.kind === 'input' ? 2 : 1;
}

/** The single value every RLB shares, else null (a batch of different developments). */
export function sharedValue<T>(values: readonly (T | null | undefined)[]): T | null {
  const first = values[0] ?? null;
  return values.every((v) => (v ?? null) === first) ? first : null;
}

/** A local input file as the result document describes it (no bucket). */
export function cliFileInfo(file: string, info: InputFileInfo): ResultFileInfo {
  return { bucket: null, key: path.basename(file), format: info.format === 'inline' ? null : info.format, bytes: info.bytes, sha256: info.sha256 };
}

export interface CliDocumentFields {
  assessmentType: AssessmentType;
  startedAt: Date;
  job: Omit<ResultJob, 'submittedAt'>;
  phasesMs: ResultTimings['phasesMs'];
  warnings: ResultWarning[];
}

/** What a CLI run's document shares with a queue job's: job id `cli`, received = started = now. */
export function cliDocumentContext(config: Config, fields: CliDocumentFields): DocumentContext {
  const finishedAt = new Date();
  const started = fields.startedAt.toISOString();
  return {
    jobId: 'cli',
    assessmentType: fields.assessmentType,
    job: {
      developmentName: fields.job.developmentName,
      dwellingType: fields.job.dwellingType,
      numberOfDwellings: fields.job.numberOfDwellings,
      submittedAt: started,
      input: fields.job.input,
      surveyPonds: fields.job.surveyPonds,
    },
    correlationId: randomUUID().replace(/-/g, ''),
    serviceVersion: config.serviceVersion,
    timings: {
      receivedAt: started,
      startedAt: started,
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - fields.startedAt.getTime(),
      phasesMs: fields.phasesMs,
    },
    warnings: fields.warnings,
  };
}

/** What an assessment adds to the common output. */
export interface CliOutput<R> {
  /** Without --out: what stdout gets instead of the result JSON (the nutrient CSV). */
  stdout?(run: R, json: string): string;
  /** With --out: format-specific files written before the result JSON (CSV, PSV), as [name, text]. */
  tables(run: R, basename: string): [string, string][];
  /** The §10 attribute table of the boundaries zip. */
  boundaryFeatures(run: R): BoundaryFeature[];
}

/**
 * Opens the pool, runs `assess`, prints the result JSON or writes the artefacts under --out
 * (stdout then gets `{"written": [...]}`). A JobError prints its envelope; returns the exit status.
 */
export async function runCliAssessment<R extends { document: AssessmentResultsDocument }>(
  options: AssessCliOptions,
  assess: (sql: Sql) => Promise<R>,
  output: CliOutput<R>,
): Promise<number> {
  const sql = createSql(options.config.db, { applicationName: 'nrf-impact-worker/assess', max: 2 });
  try {
    const run = await assess(sql);
    const json = `${JSON.stringify(run.document, null, 2)}\n`;
    if (options.outDir === null) {
      options.stdout(output.stdout ? output.stdout(run, json) : json);
      return 0;
    }
    const written = await writeArtefacts(options.outDir, options.file, run, json, output);
    options.stdout(`${JSON.stringify({ written })}\n`);
    return 0;
  } catch (error) {
    if (error instanceof JobError) return reportJobError(error, options.stdout);
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function writeArtefacts<R>(dir: string, file: string, run: R, json: string, output: CliOutput<R>): Promise<string[]> {
  const basename = artefactBasename(file);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, data: string | Buffer): Promise<void> => {
    const target = path.join(dir, name);
    await writeFile(target, data);
    written.push(target);
  };
  for (const [name, text] of output.tables(run, basename)) await put(name, text);
  await put(`${basename}_result.json`, json);
  await put(`${basename}_boundaries.zip`, await writeBoundariesZip(output.boundaryFeatures(run), basename));
  return written;
}
