// What a worker tells the primary about itself (operations.md §1.3–1.4): its state, the job in
// hand, counters, readiness and SQS health. State changes trigger an immediate IPC heartbeat.

import type { HeartbeatPayload, SqsHealthState, WorkerState } from '../supervisor/ipc.js';
import type { JobScope } from '../observability/context.js';
import type { Outcome } from '../jobs/types.js';
import type { ReadinessSnapshot } from './readiness.js';

/** SQS counts as failing after this long of continuous poll errors (operations.md §2.5). */
export const SQS_FAILING_AFTER_MS = 5 * 60_000;

interface CurrentJob {
  messageId: string;
  startedAt: number;
  /** The live log scope: the pipeline adds jobId to it once the message is parsed. */
  scope: JobScope | undefined;
}

export class WorkerStatus {
  private stateValue: WorkerState = 'starting';
  private job: CurrentJob | null = null;
  private done = 0;
  private failed = 0;
  private sqsErrorSince: number | null = null;
  redriveOk = true;
  readiness: () => ReadinessSnapshot = () => ({ db: false, referenceData: false, missing: [], versions: {}, checkedAt: 0 });
  onChange: () => void = () => undefined;

  constructor(private readonly now: () => number = Date.now) {}

  get state(): WorkerState {
    return this.stateValue;
  }

  setState(next: WorkerState): void {
    if (next === this.stateValue) return;
    // Draining and exited are one-way: a job finishing during a drain must not look idle.
    if ((this.stateValue === 'draining' || this.stateValue === 'exited') && (next === 'idle' || next === 'busy')) return;
    this.stateValue = next;
    this.onChange();
  }

  jobStarted(messageId: string, scope: JobScope | undefined): void {
    this.job = { messageId, startedAt: this.now(), scope };
    this.setState('busy');
  }

  jobFinished(outcome: Outcome): void {
    this.job = null;
    if (outcome === 'succeeded' || outcome === 'duplicate') this.done += 1;
    else if (outcome === 'rejected' || outcome === 'failed' || outcome === 'final_failure') this.failed += 1;
    this.setState('idle');
  }

  get idle(): boolean {
    return this.stateValue === 'idle';
  }

  sqsSucceeded(): void {
    this.sqsErrorSince = null;
  }

  sqsFailed(): void {
    this.sqsErrorSince ??= this.now();
  }

  sqsState(): { state: SqsHealthState; failingSince?: number } {
    if (this.sqsErrorSince === null) return { state: 'ok' };
    const failing = this.now() - this.sqsErrorSince >= SQS_FAILING_AFTER_MS;
    return { state: failing ? 'failing' : 'retrying', failingSince: this.sqsErrorSince };
  }

  heartbeat(): HeartbeatPayload {
    const payload: HeartbeatPayload = {
      state: this.stateValue,
      jobsDone: this.done,
      jobsFailed: this.failed,
      readiness: this.readiness(),
      sqs: { ...this.sqsState(), redriveOk: this.redriveOk },
    };
    if (this.job) {
      // Before the pipeline names the job, the message id identifies what the worker holds.
      payload.jobId = this.job.scope?.jobId ?? this.job.messageId;
      payload.jobStartedAt = this.job.startedAt;
    }
    return payload;
  }
}
