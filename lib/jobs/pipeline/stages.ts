// Stage timing (operations.md §3.3, §4.3): each stage is observed in the stage histogram, logged
// as one `job.stage` event, and the four result phases are summed for `timings.phasesMs` (§8.3).

import type Logger from 'bunyan';
import type { JobTypeLabel, StageLabel, WorkerMetrics } from '../../observability/metrics.js';

export type Phase = 'download' | 'validate' | 'assess' | 'levy';
/** Histogram stages, plus `levy`, which is a result phase and a log event but not a histogram label. */
export type Stage = Exclude<StageLabel, 'total'> | 'levy';

export interface PhasesMs {
  download: number;
  validate: number;
  assess: number;
  levy: number;
}

const PHASES: readonly string[] = ['download', 'validate', 'assess', 'levy'];

export class StageClock {
  readonly phasesMs: PhasesMs = { download: 0, validate: 0, assess: 0, levy: 0 };
  jobType: JobTypeLabel = 'unknown';

  constructor(
    private readonly metrics: Pick<WorkerMetrics, 'stageDuration'>,
    private readonly log: () => Logger,
  ) {}

  async run<T>(stage: Stage, fn: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    let ok = false;
    try {
      const value = await fn();
      ok = true;
      return value;
    } finally {
      this.record(stage, performance.now() - started, ok);
    }
  }

  private record(stage: Stage, ms: number, ok: boolean): void {
    if (PHASES.includes(stage)) this.phasesMs[stage as Phase] += Math.round(ms);
    if (stage !== 'levy') this.metrics.stageDuration.observe({ type: this.jobType, stage }, ms / 1000);
    this.log().info({
      component: 'pipeline',
      'nrf.stage': stage,
      event: { action: 'job.stage', outcome: ok ? 'success' : 'failure', duration: Math.round(ms * 1e6) },
    }, `stage ${stage} ${ok ? 'done' : 'failed'} in ${Math.round(ms)} ms`);
  }
}
