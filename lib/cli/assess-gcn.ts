// `bin/worker assess FILE --type gcn [--survey-ponds FILE] [--format json|psv] [--out DIR]`
// (gcn.md §2.2, contracts.md §10): the same input pipeline and assessment as a queue job, on local
// files. Prints the §8.3 result document, or with --out writes it, the boundaries shapefile and
// (--format psv) the four PSV files. A rejected input exits 2 with the coded error on stdout.

import type { Sql } from '../db/sql.js';
import { roundHalfUp } from '../numbers/rounding.js';
import type { InputWarning, Site } from '../geo/types.js';
import { readBoundaryFromPath, readSurveyPonds } from '../input/index.js';
import { runGcnAssessmentDetailed } from '../assessments/gcn/run.js';
import { gcnPsvFiles } from '../assessments/gcn/psv.js';
import { habitatByRlb } from '../assessments/gcn/summary.js';
import { isGcnWarningCode } from '../assessments/gcn/warnings.js';
import type { GcnAssessmentOutput, GcnLogger } from '../assessments/gcn/types.js';
import type { AssessmentResultsDocument } from '../delivery/result-document.js';
import { buildGcnDocument } from '../jobs/result-document.js';
import { measureSites, type SiteMeasure } from '../jobs/pipeline/measure.js';
import type { BoundaryFeature } from './boundaries-zip.js';
import { cliDocumentContext, cliFileInfo, runCliAssessment, sharedValue, type AssessCliOptions } from './assess-run.js';

/** gcn.md §2.2: `YYYYMMDDHHMMSSffffff` in UTC, milliseconds padded with `000` to microseconds. */
export function cliUniqueRef(now: Date): string {
  const p = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}${p(now.getUTCMilliseconds(), 3)}000`;
}

/** Data errors go to stderr as one JSON line: the operator needs the table and version. */
const stderrLogger: GcnLogger = {
  error: (fields, message) => void process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

interface GcnCliRun {
  sites: Site[];
  output: GcnAssessmentOutput;
  measures: Map<number, SiteMeasure>;
  document: AssessmentResultsDocument;
}

async function assess(options: AssessCliOptions, sql: Sql): Promise<GcnCliRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  const { signal } = options;
  const limits = options.config.input;
  const boundary = await readBoundaryFromPath(options.file, { sql, keepAttributes: true, lenient: options.lenient, signal, limits });
  const survey = options.surveyPonds === null ? null : await readSurveyPonds(options.surveyPonds, { signal, limits });
  const validateMs = Math.round(performance.now() - t0);

  const output = await runGcnAssessmentDetailed({
    rlb: boundary.sites,
    surveyPonds: survey?.ponds ?? null,
    surveyWarnings: survey?.warnings ?? [],
    uniqueRef: cliUniqueRef(startedAt),
    config: options.config.gcn,
    sql,
    signal,
    logger: stderrLogger,
  });
  const measures = await measureSites(sql, boundary.sites, signal);
  const assessMs = Math.round(performance.now() - t0) - validateMs;
  // gcn_* survey warnings already travel inside the gcn document.
  const inputWarnings: InputWarning[] = [...boundary.warnings, ...(survey?.warnings ?? []).filter((w) => !isGcnWarningCode(w.code))];
  const attributes = boundary.sites.map((s) => s.attributes);
  const document = buildGcnDocument(cliDocumentContext(options.config, {
    assessmentType: 'gcn',
    startedAt,
    job: {
      developmentName: sharedValue(attributes.map((a) => a?.name)),
      dwellingType: sharedValue(attributes.map((a) => a?.dwellingCategory)),
      numberOfDwellings: null,
      input: cliFileInfo(options.file, boundary.info),
      surveyPonds: survey && options.surveyPonds !== null ? cliFileInfo(options.surveyPonds, survey.info) : null,
    },
    phasesMs: { download: 0, validate: validateMs, assess: assessMs, levy: 0 },
    warnings: inputWarnings.map((w) => ({ code: w.code, message: w.message })),
  }), { sites: boundary.sites, measures, document: output.document });
  return { sites: boundary.sites, output, measures, document };
}

/** The contracts.md §10 attribute table of a GCN run: habitat inside each RLB by zone. */
export function gcnBoundaryFeatures(sites: readonly Site[], output: GcnAssessmentOutput, measures: ReadonlyMap<number, SiteMeasure>, jobId = 'cli'): BoundaryFeature[] {
  const zones = habitatByRlb(output.document);
  return sites.map((site, unit) => {
    const z = zones[unit] ?? { Red: 0, Amber: 0, Green: 0 };
    return {
      geometry: site.geometry,
      attributes: {
        RLB_ID: site.rlbId,
        JOB_ID: jobId,
        NAME: site.attributes?.name ?? null,
        AREA_HA: roundHalfUp((measures.get(site.rlbId)?.areaM2 ?? 0) / 10_000, 2),
        STATUS: 'assessed',
        N_TOTAL: null,
        P_TOTAL: null,
        WWTW_ID: null,
        WWTW_NAME: null,
        NN_CATCH: null,
        EDP_ID: null,
        LEVY_GBP: null,
        RED_M2: roundHalfUp(z.Red, 2),
        AMBER_M2: roundHalfUp(z.Amber, 2),
        GREEN_M2: roundHalfUp(z.Green, 2),
      },
    };
  });
}

/** Entry point lib/cli/assess.ts delegates `--type gcn` to. Returns the exit status. */
export async function runGcnAssess(options: AssessCliOptions): Promise<number> {
  return runCliAssessment(options, (sql) => assess(options, sql), {
    tables: (run) => (options.format === 'psv' ? Object.entries(gcnPsvFiles(run.output.tables)) : []),
    boundaryFeatures: (run) => gcnBoundaryFeatures(run.sites, run.output, run.measures),
  });
}
