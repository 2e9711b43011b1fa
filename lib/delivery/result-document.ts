// The file-job result document of contracts.md §8.3 as types, and a builder that lays its keys
// out in the order of the spec tables so the POSTed bytes are stable (golden files pin them).
// The pipeline (lib/jobs) fills the values; this module owns only shape and order.

import type { ErrorEnvelope } from '../errors.js';
import type { LevyGbp } from '../assessments/levy/resolve.js';
import type { CatchmentEntry } from './quote-patch.js';

export interface ResultFileInfo {
  bucket: string | null;
  key: string | null;
  format: 'shapefile-zip' | 'shapefile' | 'geojson' | null;
  bytes: number | null;
  sha256: string | null;
}

export interface ResultJob {
  developmentName: string | null;
  dwellingType: string | null;
  numberOfDwellings: number | null;
  submittedAt: string | null;
  input: ResultFileInfo | null;
  surveyPonds: ResultFileInfo | null;
}

export interface RlbNutrient {
  nnCatchments: CatchmentEntry[];
  areaInNnCatchmentHa: number | null;
  devSubCatchment: string | null;
  majorityLpa: string | null;
  wwtw: { id: number; name: string | null; subCatchment: string | null };
  landUse: { nitrogenUpliftKgYr: number | null; phosphorusUpliftKgYr: number | null; nitrogenPostSudsKgYr: number | null; phosphorusPostSudsKgYr: number | null };
  wastewater: {
    occupancyRate: number | null; waterUsageLPerPersonDay: number | null; dailyWaterUsageL: number | null;
    nitrogenConc20252030MgL: number | null; nitrogenConc2030OnwardsMgL: number | null;
    phosphorusConc20252030MgL: number | null; phosphorusConc2030OnwardsMgL: number | null;
    nitrogenTempKgYr: number | null; phosphorusTempKgYr: number | null; nitrogenPermKgYr: number | null; phosphorusPermKgYr: number | null;
  } | null;
  totals: { nitrogenKgYr: number; phosphorusKgYr: number };
  dwellingDensity: number | null;
  edp: { edpId: number; edpName: string } | null;
  levyGbp: LevyGbp | null;
}

export interface ResultRlb {
  rlbId: number;
  sourceFeature: number;
  areaM2: number;
  areaHa: number;
  bbox: [number, number, number, number];
  status: 'assessed' | 'out_of_scope';
  nutrient?: RlbNutrient;
}

export interface NutrientSummary {
  siteCount: number;
  assessedCount: number;
  outOfScopeCount: number;
  nitrogenTotalKgYr: number;
  phosphorusTotalKgYr: number;
  wwtwNames: string[];
  catchmentLabels: string[];
  levyGbpTotal: number | null;
}

export interface ZoneAreas { Red: number; Amber: number; Green: number }

export interface GcnSummary {
  siteCount: number;
  habitatM2: { RLB: ZoneAreas; Buffer: ZoneAreas };
  /** Ponds that count (Σ FREQUENCY): in the extent and in a risk zone. */
  pondCount: number;
}

export interface ResultWarning { code: string; message: string; rlbId?: number }

export type ModelVersions = { nutrientRules: 'V1' | 'V2'; levyModel: number | null } | { gcnBufferMode: 'disc' | 'ring' } | Record<string, never>;

export interface ResultTimings {
  receivedAt: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  phasesMs: { download: number; validate: number; assess: number; levy: number };
}

export interface AssessmentResultsDocument {
  schemaVersion: 1;
  jobId: string;
  status: 'completed' | 'rejected';
  assessmentType: 'nutrient' | 'gcn' | null;
  job: ResultJob;
  error: ErrorEnvelope | null;
  rlbs: ResultRlb[];
  /** gcn.md §7.1 document, embedded unchanged. */
  gcn: Record<string, unknown> | null;
  summary: NutrientSummary | GcnSummary | null;
  warnings: ResultWarning[];
  dataVersions: Record<string, number | null>;
  modelVersions: ModelVersions;
  timings: ResultTimings;
  correlationId: string;
  producer: { service: 'nrf-impact-assessment-worker'; version: string };
}

function fileInfo(f: ResultFileInfo | null): ResultFileInfo | null {
  return f && { bucket: f.bucket, key: f.key, format: f.format, bytes: f.bytes, sha256: f.sha256 };
}

function nutrientBlock(n: RlbNutrient): RlbNutrient {
  const w = n.wastewater;
  return {
    nnCatchments: n.nnCatchments.map((c) => ({ label: c.label, catchmentId: c.catchmentId, catchmentOverlapPercentage: c.catchmentOverlapPercentage })),
    areaInNnCatchmentHa: n.areaInNnCatchmentHa,
    devSubCatchment: n.devSubCatchment,
    majorityLpa: n.majorityLpa,
    wwtw: { id: n.wwtw.id, name: n.wwtw.name, subCatchment: n.wwtw.subCatchment },
    landUse: {
      nitrogenUpliftKgYr: n.landUse.nitrogenUpliftKgYr, phosphorusUpliftKgYr: n.landUse.phosphorusUpliftKgYr,
      nitrogenPostSudsKgYr: n.landUse.nitrogenPostSudsKgYr, phosphorusPostSudsKgYr: n.landUse.phosphorusPostSudsKgYr,
    },
    wastewater: w && {
      occupancyRate: w.occupancyRate, waterUsageLPerPersonDay: w.waterUsageLPerPersonDay, dailyWaterUsageL: w.dailyWaterUsageL,
      nitrogenConc20252030MgL: w.nitrogenConc20252030MgL, nitrogenConc2030OnwardsMgL: w.nitrogenConc2030OnwardsMgL,
      phosphorusConc20252030MgL: w.phosphorusConc20252030MgL, phosphorusConc2030OnwardsMgL: w.phosphorusConc2030OnwardsMgL,
      nitrogenTempKgYr: w.nitrogenTempKgYr, phosphorusTempKgYr: w.phosphorusTempKgYr, nitrogenPermKgYr: w.nitrogenPermKgYr, phosphorusPermKgYr: w.phosphorusPermKgYr,
    },
    totals: { nitrogenKgYr: n.totals.nitrogenKgYr, phosphorusKgYr: n.totals.phosphorusKgYr },
    dwellingDensity: n.dwellingDensity,
    edp: n.edp && { edpId: n.edp.edpId, edpName: n.edp.edpName },
    levyGbp: n.levyGbp && {
      amountExcludingVat: n.levyGbp.amountExcludingVat, amountInflationAdjusted: n.levyGbp.amountInflationAdjusted,
      baseAmount: n.levyGbp.baseAmount, modelVersion: n.levyGbp.modelVersion,
    },
  };
}

function rlb(r: ResultRlb): ResultRlb {
  const out: ResultRlb = { rlbId: r.rlbId, sourceFeature: r.sourceFeature, areaM2: r.areaM2, areaHa: r.areaHa, bbox: [...r.bbox], status: r.status };
  if (r.nutrient) out.nutrient = nutrientBlock(r.nutrient);
  return out;
}

function summary(s: NutrientSummary | GcnSummary | null): NutrientSummary | GcnSummary | null {
  if (s === null) return null;
  if ('habitatM2' in s) {
    const zones = (z: ZoneAreas): ZoneAreas => ({ Red: z.Red, Amber: z.Amber, Green: z.Green });
    return { siteCount: s.siteCount, habitatM2: { RLB: zones(s.habitatM2.RLB), Buffer: zones(s.habitatM2.Buffer) }, pondCount: s.pondCount };
  }
  return {
    siteCount: s.siteCount, assessedCount: s.assessedCount, outOfScopeCount: s.outOfScopeCount,
    nitrogenTotalKgYr: s.nitrogenTotalKgYr, phosphorusTotalKgYr: s.phosphorusTotalKgYr,
    wwtwNames: [...s.wwtwNames], catchmentLabels: [...s.catchmentLabels], levyGbpTotal: s.levyGbpTotal,
  };
}

/** A copy of the document with every key in contracts.md §8.3 order (the embedded gcn stays as is). */
export function buildAssessmentResults(doc: AssessmentResultsDocument): AssessmentResultsDocument {
  const t = doc.timings;
  return {
    schemaVersion: 1,
    jobId: doc.jobId,
    status: doc.status,
    assessmentType: doc.assessmentType,
    job: {
      developmentName: doc.job.developmentName, dwellingType: doc.job.dwellingType, numberOfDwellings: doc.job.numberOfDwellings,
      submittedAt: doc.job.submittedAt, input: fileInfo(doc.job.input), surveyPonds: fileInfo(doc.job.surveyPonds),
    },
    error: doc.error && { code: doc.error.code, kind: doc.error.kind, message: doc.error.message, detail: doc.error.detail },
    rlbs: doc.rlbs.map(rlb),
    gcn: doc.gcn,
    summary: summary(doc.summary),
    warnings: doc.warnings.map((w) => (w.rlbId === undefined ? { code: w.code, message: w.message } : { code: w.code, message: w.message, rlbId: w.rlbId })),
    dataVersions: { ...doc.dataVersions },
    modelVersions: doc.modelVersions,
    timings: {
      receivedAt: t.receivedAt, startedAt: t.startedAt, finishedAt: t.finishedAt, durationMs: t.durationMs,
      phasesMs: { download: t.phasesMs.download, validate: t.phasesMs.validate, assess: t.phasesMs.assess, levy: t.phasesMs.levy },
    },
    correlationId: doc.correlationId,
    producer: { service: doc.producer.service, version: doc.producer.version },
  };
}
