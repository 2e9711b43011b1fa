// The contracts.md §8.3 result document for a nutrient run outside the queue (`bin/worker assess`,
// job id `cli`), and the §10 attribute rows of its boundaries shapefile. The queue path builds its
// own document in lib/jobs from the same mappers (`toResultRlbNutrient`, `summariseNutrient`).

import type { Site } from '../../geo/types.js';
import { round2 } from './numbers.js';
import { summariseNutrient, toResultRlbNutrient, type NutrientSummary, type ResultRlbNutrient } from './result.js';
import type { NutrientAssessment, NutrientRlbResult } from './types.js';

export interface CliInputInfo {
  key: string;
  format: string;
  bytes: number;
  sha256: string;
}

export interface CliRunContext {
  sites: readonly Site[];
  assessment: NutrientAssessment;
  input: CliInputInfo;
  inputWarnings: { code: string; message: string }[];
  startedAt: Date;
  finishedAt: Date;
  phasesMs: { download: number; validate: number; assess: number; levy: number };
  correlationId: string;
  producer: { service: string; version: string };
}

export interface ResultRlb {
  rlbId: number;
  sourceFeature: number;
  areaM2: number;
  areaHa: number;
  bbox: [number, number, number, number];
  status: NutrientRlbResult['status'];
  nutrient: ResultRlbNutrient;
}

export interface NutrientResultDocument {
  schemaVersion: 1;
  jobId: string;
  status: 'completed';
  assessmentType: 'nutrient';
  job: {
    developmentName: string | null;
    dwellingType: string | null;
    numberOfDwellings: number | null;
    submittedAt: string;
    input: { bucket: string | null; key: string; format: string; bytes: number; sha256: string };
    surveyPonds: null;
  };
  error: null;
  rlbs: ResultRlb[];
  gcn: null;
  summary: NutrientSummary;
  warnings: { code: string; message: string; rlbId?: number }[];
  dataVersions: Record<string, number>;
  modelVersions: { nutrientRules: 'V1' | 'V2' };
  timings: { receivedAt: string; startedAt: string; finishedAt: string; durationMs: number; phasesMs: CliRunContext['phasesMs'] };
  correlationId: string;
  producer: { service: string; version: string };
}

/** `[minE, minN, maxE, maxN]` of a site at 2 dp. */
export function bboxOf(site: Site): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const polygons = site.geometry.type === 'Polygon' ? [site.geometry.coordinates] : site.geometry.coordinates;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (const [x, y] of ring as [number, number][]) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [round2(minX), round2(minY), round2(maxX), round2(maxY)];
}

/** The single value every RLB shares, else null (a batch of different developments). */
function common<T>(values: readonly T[]): T | null {
  const first = values[0];
  return first !== undefined && values.every((v) => v === first) ? first : null;
}

export function buildCliResultDocument(ctx: CliRunContext): NutrientResultDocument {
  const bySite = new Map(ctx.sites.map((s) => [s.rlbId, s]));
  const results = [...ctx.assessment.rlbs].sort((a, b) => a.rlbId - b.rlbId);
  const records = results.map((r) => r.record);
  return {
    schemaVersion: 1,
    jobId: 'cli',
    status: 'completed',
    assessmentType: 'nutrient',
    job: {
      developmentName: common(records.map((r) => r.Name)),
      dwellingType: common(records.map((r) => r.Dwel_Cat)),
      numberOfDwellings: common(records.map((r) => r.Dwellings)),
      submittedAt: ctx.startedAt.toISOString(),
      input: { bucket: null, ...ctx.input },
      surveyPonds: null,
    },
    error: null,
    rlbs: results.map((r) => {
      const site = bySite.get(r.rlbId) as Site;
      return {
        rlbId: r.rlbId,
        sourceFeature: site.sourceFeature,
        areaM2: round2(r.areaM2),
        areaHa: r.record.Dev_Area_Ha,
        bbox: bboxOf(site),
        status: r.status,
        nutrient: toResultRlbNutrient(r),
      };
    }),
    gcn: null,
    summary: summariseNutrient(results),
    warnings: [...ctx.inputWarnings, ...ctx.assessment.warnings],
    dataVersions: ctx.assessment.dataVersions,
    modelVersions: ctx.assessment.modelVersions,
    timings: {
      receivedAt: ctx.startedAt.toISOString(),
      startedAt: ctx.startedAt.toISOString(),
      finishedAt: ctx.finishedAt.toISOString(),
      durationMs: ctx.finishedAt.getTime() - ctx.startedAt.getTime(),
      phasesMs: ctx.phasesMs,
    },
    correlationId: ctx.correlationId,
    producer: ctx.producer,
  };
}
