// The file-job result document (contracts.md §8.3): completed (nutrient or GCN) and rejected.
// This module fills the values from the assessment outputs; lib/delivery/result-document.ts owns
// the key order of the bytes on the wire.

import { round2 } from '../assessments/nutrient/numbers.js';
import { summariseNutrient, toResultRlbNutrient } from '../assessments/nutrient/index.js';
import type { NutrientAssessment } from '../assessments/nutrient/index.js';
import type { LevyResolution } from '../assessments/levy/index.js';
import { toGcnSummary } from '../assessments/gcn/summary.js';
import type { GcnResultDocument } from '../assessments/gcn/types.js';
import type { ErrorEnvelope } from '../errors.js';
import type { Site } from '../geo/types.js';
import {
  buildAssessmentResults,
  type AssessmentResultsDocument,
  type ModelVersions,
  type ResultJob,
  type ResultRlb,
  type ResultTimings,
  type ResultWarning,
} from '../delivery/result-document.js';
import type { AssessmentType } from './types.js';
import type { SiteMeasure } from './pipeline/measure.js';

export const PRODUCER_SERVICE = 'nrf-impact-assessment-worker';

/** What every document of one job shares. */
export interface DocumentContext {
  jobId: string;
  assessmentType: AssessmentType | null;
  job: ResultJob;
  correlationId: string;
  serviceVersion: string;
  timings: ResultTimings;
  /** Warnings raised before the assessment (parse, input, levy), already in result shape. */
  warnings: ResultWarning[];
}

export interface NutrientDocumentInput {
  sites: readonly Site[];
  measures: ReadonlyMap<number, SiteMeasure>;
  assessment: NutrientAssessment;
  /** Per RLB: the resolved levy, or null when the EDP was unresolved (warning already recorded). */
  levy: ReadonlyMap<number, LevyResolution | null>;
}

export interface GcnDocumentInput {
  sites: readonly Site[];
  measures: ReadonlyMap<number, SiteMeasure>;
  document: GcnResultDocument;
}

const round2Box = (b: [number, number, number, number]): [number, number, number, number] => [round2(b[0]), round2(b[1]), round2(b[2]), round2(b[3])];

function measureOf(measures: ReadonlyMap<number, SiteMeasure>, rlbId: number): SiteMeasure {
  const measure = measures.get(rlbId);
  if (!measure) throw new Error(`no measure for RLB ${rlbId}`);
  return measure;
}

function envelope(ctx: DocumentContext, status: 'completed' | 'rejected'): Pick<AssessmentResultsDocument, 'schemaVersion' | 'jobId' | 'status' | 'assessmentType' | 'job' | 'timings' | 'correlationId' | 'producer'> {
  return {
    schemaVersion: 1,
    jobId: ctx.jobId,
    status,
    assessmentType: ctx.assessmentType,
    job: ctx.job,
    timings: ctx.timings,
    correlationId: ctx.correlationId,
    producer: { service: PRODUCER_SERVICE, version: ctx.serviceVersion },
  };
}

export function buildNutrientDocument(ctx: DocumentContext, input: NutrientDocumentInput): AssessmentResultsDocument {
  const bySite = new Map(input.sites.map((s) => [s.rlbId, s]));
  const results = [...input.assessment.rlbs].sort((a, b) => a.rlbId - b.rlbId);
  const levyOf = (rlbId: number): LevyResolution | null => input.levy.get(rlbId) ?? null;
  const rlbs: ResultRlb[] = results.map((r) => {
    const site = bySite.get(r.rlbId);
    if (!site) throw new Error(`nutrient result for unknown RLB ${r.rlbId}`);
    const levy = levyOf(r.rlbId);
    return {
      rlbId: r.rlbId,
      sourceFeature: site.sourceFeature,
      areaM2: round2(r.areaM2),
      areaHa: r.record.Dev_Area_Ha,
      bbox: round2Box(measureOf(input.measures, r.rlbId).bbox),
      status: r.status,
      nutrient: toResultRlbNutrient(r, { edp: levy ? { edpId: levy.edpId, edpName: levy.edpName } : null, levyGbp: levy?.levyGbp ?? null }),
    };
  });
  const firstLevy = results.map((r) => levyOf(r.rlbId)).find((l) => l !== null) ?? null;
  const levyVersions: Record<string, number> = firstLevy
    ? { levy_charges: firstLevy.record.levy_charges_version, levy_inflation_index: firstLevy.record.levy_inflation_index_version }
    : {};
  return buildAssessmentResults({
    ...envelope(ctx, 'completed'),
    error: null,
    rlbs,
    gcn: null,
    summary: summariseNutrient(results, (rlbId) => levyOf(rlbId)?.levyGbp ?? null),
    warnings: [...ctx.warnings, ...input.assessment.warnings],
    dataVersions: { ...input.assessment.dataVersions, ...levyVersions },
    modelVersions: { nutrientRules: input.assessment.modelVersions.nutrientRules, levyModel: firstLevy?.levyGbp.modelVersion ?? null },
  });
}

export function buildGcnDocument(ctx: DocumentContext, input: GcnDocumentInput): AssessmentResultsDocument {
  const rlbs: ResultRlb[] = input.sites.map((site) => {
    const measure = measureOf(input.measures, site.rlbId);
    return {
      rlbId: site.rlbId,
      sourceFeature: site.sourceFeature,
      areaM2: round2(measure.areaM2),
      areaHa: round2(measure.areaM2 / 10_000),
      bbox: round2Box(measure.bbox),
      status: 'assessed',
    };
  });
  const doc = input.document;
  return buildAssessmentResults({
    ...envelope(ctx, 'completed'),
    error: null,
    rlbs,
    gcn: doc as unknown as Record<string, unknown>,
    summary: toGcnSummary(doc),
    warnings: [...ctx.warnings, ...doc.warnings.map((w) => ({ code: w.code, message: w.message }))],
    dataVersions: { ...doc.data_versions },
    modelVersions: { gcnBufferMode: doc.buffer_mode },
  });
}

/** `modelVersions` of a rejection: the configured model of the known type, `{}` when none is known. */
export function buildRejectedDocument(ctx: DocumentContext, error: ErrorEnvelope, modelVersions: ModelVersions): AssessmentResultsDocument {
  return buildAssessmentResults({
    ...envelope(ctx, 'rejected'),
    error,
    rlbs: [],
    gcn: null,
    summary: null,
    warnings: ctx.warnings,
    dataVersions: {},
    modelVersions,
  });
}
