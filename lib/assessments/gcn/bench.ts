// A small timing harness for the benchmark (bench/): runs the same assessment several times on
// one pool and reports each wall time. Runs are sequential so they measure latency, not throughput.

import { runGcnAssessment } from './run.js';
import type { GcnAssessmentOptions, GcnResultDocument } from './types.js';

export interface GcnTiming {
  /** The last run's document (every run must produce the same one). */
  document: GcnResultDocument;
  runsMs: number[];
  medianMs: number;
}

export async function timeGcnAssessment(options: GcnAssessmentOptions, runs = 3): Promise<GcnTiming> {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError('runs must be a positive integer');
  const runsMs: number[] = [];
  let document: GcnResultDocument | null = null;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    document = await runGcnAssessment(options);
    runsMs.push(performance.now() - started);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { document: document as GcnResultDocument, runsMs, medianMs };
}
