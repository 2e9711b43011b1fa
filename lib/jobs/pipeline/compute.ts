// From a Job (or a message that failed validation) to a verdict: input → levy → assessment →
// result. Input errors (kind `input`) become a rejection verdict here; data, transient and bug
// errors are thrown to the attempt, which settles them.

import { runNutrientAssessment, toQuoteCatchments, type NutrientAssessment } from '../../assessments/nutrient/index.js';
import { runGcnAssessment } from '../../assessments/gcn/run.js';
import { buildQuotePatch } from '../../delivery/quote-patch.js';
import type { ResultJob, ResultWarning, ModelVersions } from '../../delivery/result-document.js';
import { JobError, type ErrorEnvelope } from '../../errors.js';
import type { Site } from '../../geo/types.js';
import type { PlannedSideEffect, Verdict } from '../ledger.js';
import { buildGcnDocument, buildNutrientDocument, buildRejectedDocument, type DocumentContext } from '../result-document.js';
import type { Job } from '../types.js';
import type { PipelineDeps } from './deps.js';
import { plannedSideEffects } from './emails.js';
import { measureSites } from './measure.js';
import type { StageClock } from './stages.js';
import { locationFacts, readFileJobInput, readQuoteInput, type InputFacts } from './stages/input.js';
import { levyForFile, levyForQuote } from './stages/levy.js';
import type { JobSubject } from './subject.js';

export interface ComputedVerdict {
  verdict: Verdict;
  result: unknown;
  error: ErrorEnvelope | null;
  sideEffects: PlannedSideEffect[];
}

export interface ComputeRun {
  deps: PipelineDeps;
  clock: StageClock;
  subject: JobSubject;
  receivedAt: Date;
  startedAt: Date;
  signal: AbortSignal;
  /** The ledger's attempt series (Notify references of later series carry it). */
  series: number;
  /** Warnings gathered so far, in result shape (parse, input, levy). */
  warnings: ResultWarning[];
}

export async function computeVerdict(run: ComputeRun, parseError: JobError | null): Promise<ComputedVerdict> {
  const facts: InputFacts = { input: locationFacts(run.subject.known?.input ?? null), surveyPonds: locationFacts(run.subject.known?.surveyPonds ?? null) };
  const job = run.subject.job;
  if (parseError || !job) return reject(run, facts, parseError ?? new JobError('invalid_message'));
  try {
    return job.kind === 'quote' ? await computeQuote(run, job) : await computeFile(run, job, facts);
  } catch (error) {
    if (run.signal.aborted || !(error instanceof JobError) || error.kind !== 'input') throw error;
    return reject(run, facts, error);
  }
}

async function computeFile(run: ComputeRun, job: Job, facts: InputFacts): Promise<ComputedVerdict> {
  const { deps, clock, signal } = run;
  const input = await readFileJobInput(job, deps, clock, facts, signal);
  run.warnings.push(...input.warnings.map((w) => ({ code: w.code, message: w.message })));
  const levy = await levyForFile(job, input.sites, deps, clock, run.startedAt, signal);
  run.warnings.push(...levy.warnings);
  const log = deps.logging.context.log();

  const outcome = await clock.run('assess', async () => {
    const measures = await measureSites(deps.sql, input.sites, signal);
    if (job.assessmentType === 'nutrient') {
      const assessment = await runNutrientAssessment(nutrientOptions(run, job, input.sites));
      return { kind: 'nutrient' as const, measures, assessment };
    }
    const document = await runGcnAssessment({
      rlb: input.sites, surveyPonds: input.ponds?.ponds ?? null, uniqueRef: job.id, config: deps.config.gcn, sql: deps.sql, signal,
      surveyWarnings: input.ponds?.warnings, logger: log,
    });
    return { kind: 'gcn' as const, measures, document };
  });
  const ctx = documentContext(run, facts);
  const result = outcome.kind === 'nutrient'
    ? buildNutrientDocument(ctx, { sites: input.sites, measures: outcome.measures, assessment: outcome.assessment, levy: levy.byRlb })
    : buildGcnDocument(ctx, { sites: input.sites, measures: outcome.measures, document: outcome.document });
  return { verdict: 'completed', result, error: null, sideEffects: plannedSideEffects(run.subject, 'completed', run.series) };
}

async function computeQuote(run: ComputeRun, job: Job): Promise<ComputedVerdict> {
  const { deps, clock, signal } = run;
  const sites = await readQuoteInput(job, deps, clock, signal);
  const site = sites[0];
  if (!site) throw new JobError('no_polygon_found', { detail: { file: 'message' } });
  const levy = await levyForQuote(job, site, deps, clock, run.startedAt, signal);
  const assessment: NutrientAssessment = await clock.run('assess', () => runNutrientAssessment(nutrientOptions(run, job, sites)));
  const rlb = assessment.rlbs[0];
  if (!rlb) throw new Error('nutrient assessment returned no RLB for a quote');
  if (rlb.status === 'out_of_scope') throw new JobError('out_of_scope', { detail: { file: 'message', reason: rlb.outOfScopeReason } });
  crossCheckQuote(run, job, rlb.record.Majority_WwTw_ID, levy.edpName, assessment);
  const result = buildQuotePatch({
    edp: { edpId: levy.edpId, edpName: levy.edpName },
    nitrogenTotal: rlb.record.N_Total,
    phosphorusTotal: rlb.record.P_Total,
    catchments: toQuoteCatchments(rlb),
    levyGbp: levy.levyGbp,
  });
  return { verdict: 'completed', result, error: null, sideEffects: plannedSideEffects(run.subject, 'completed', run.series) };
}

/** The message's declared works and EDP labels are cross-checks only: a mismatch is logged (§3, §8.2). */
function crossCheckQuote(run: ComputeRun, job: Job, assessedWorks: number, edpName: string, assessment: NutrientAssessment): void {
  const log = run.deps.logging.context.log();
  const declaredWorks = job.quote?.wasteWaterTreatmentWorksId ?? null;
  if (declaredWorks !== null && declaredWorks.trim() !== String(assessedWorks)) {
    log.warn({ component: 'pipeline', warning: { code: 'wwtw_mismatch', declared: declaredWorks, assessed: assessedWorks } }, 'declared wastewater works differs from the assessed one');
  }
  const labels = (job.quote?.intersectingEdpLabels ?? []).filter((l): l is string => l !== null);
  if (labels.some((label) => label.trim() !== edpName.trim())) {
    log.warn({ component: 'pipeline', warning: { code: 'edp_label_mismatch', declared: labels, resolved: edpName } }, 'declared EDP label differs from the spatial EDP');
  }
  if (assessment.warnings.length > 0) log.info({ component: 'pipeline', warnings: assessment.warnings.map((w) => w.code) }, 'nutrient warnings on the quote');
}

function nutrientOptions(run: ComputeRun, job: Job, sites: readonly Site[]) {
  return {
    sql: run.deps.sql, sites, params: run.deps.config.nutrient, signal: run.signal, dwellings: job.dwellings, lookupCache: run.deps.lookupCache,
    job: { id: job.id, name: job.developmentName, dwellingCategory: job.dwellingCategory, source: 'web_submission' },
  };
}

function reject(run: ComputeRun, facts: InputFacts, error: JobError): ComputedVerdict {
  const envelope = error.toEnvelope();
  const { subject } = run;
  const sideEffects = plannedSideEffects(subject, 'rejected', run.series);
  // Only a file job with a valid job_id has a results sink to tell (§8.3).
  const result = subject.kind === 'file' && subject.id !== null
    ? buildRejectedDocument(documentContext(run, facts), envelope, modelVersionsFor(run))
    : null;
  return { verdict: 'rejected', result, error: envelope, sideEffects };
}

function modelVersionsFor(run: ComputeRun): ModelVersions {
  const { config } = run.deps;
  if (run.subject.assessmentType === 'nutrient') return { nutrientRules: config.nutrient.ruleset === 'v1' ? 'V1' : 'V2', levyModel: null };
  if (run.subject.assessmentType === 'gcn') return { gcnBufferMode: config.gcn.bufferMode };
  return {};
}

function documentContext(run: ComputeRun, facts: InputFacts): DocumentContext {
  const { subject } = run;
  const job = subject.job;
  const known = subject.known;
  const finishedAt = run.deps.now();
  const resultJob: ResultJob = {
    developmentName: job?.developmentName ?? known?.developmentName ?? null,
    dwellingType: job?.dwellingCategory ?? known?.dwellingType ?? null,
    numberOfDwellings: job?.dwellings ?? known?.numberOfDwellings ?? null,
    submittedAt: job?.submittedAt ?? known?.submittedAt ?? null,
    input: facts.input,
    surveyPonds: facts.surveyPonds,
  };
  return {
    jobId: subject.id ?? '',
    assessmentType: subject.assessmentType,
    job: resultJob,
    correlationId: subject.correlationId,
    serviceVersion: run.deps.config.serviceVersion,
    timings: {
      receivedAt: run.receivedAt.toISOString(),
      startedAt: run.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.max(0, finishedAt.getTime() - run.startedAt.getTime()),
      phasesMs: { ...run.clock.phasesMs },
    },
    warnings: run.warnings,
  };
}
