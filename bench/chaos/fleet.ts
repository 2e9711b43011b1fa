// The chaos run's supervisors: N real `bin/worker start` primaries on one queue. A supervisor can
// be SIGTERMed and replaced while the others keep working; every primary ever started is kept,
// so the log records of replaced ones still count in the report.

import type { Stack } from '../../spec/support/stack.js';
import { baseEnv, startPrimary, waitForHealth, type PrimaryProcess } from '../../spec/support/test-worker-process.js';

export interface FleetOptions {
  supervisors: number;
  workersEach: number;
  binPath?: string;
  env: Record<string, string>;
}

interface Place {
  primary: PrimaryProcess | null;
  busy: boolean;
}

export class Fleet {
  readonly all: PrimaryProcess[] = [];
  private readonly places: Place[];

  constructor(private readonly stack: Stack, private readonly options: FleetOptions) {
    this.places = Array.from({ length: options.supervisors }, () => ({ primary: null, busy: false }));
  }

  private async launch(place: Place): Promise<void> {
    const primary = await startPrimary({
      command: 'bin', binPath: this.options.binPath,
      env: baseEnv({ ...this.stack.env, WORKER_COUNT: String(this.options.workersEach), ...this.options.env }),
    });
    this.all.push(primary);
    // Ready when /health answers; readiness may lag while PostgreSQL restarts, which is fine.
    await waitForHealth(primary, (b) => b.workers.length === this.options.workersEach, 120_000);
    place.primary = primary;
  }

  async start(): Promise<void> {
    await Promise.all(this.places.map((place) => this.launch(place)));
  }

  /** Supervisors that are up and not being replaced. */
  running(): PrimaryProcess[] {
    return this.places.filter((p) => !p.busy && p.primary).map((p) => p.primary as PrimaryProcess);
  }

  replacing(): number {
    return this.places.filter((p) => p.busy).length;
  }

  /** SIGTERM (drain, G + 10 s at most, then the primary's own kill timer), then a fresh supervisor. */
  async replace(index: number): Promise<{ exitCode: number | null; stopMs: number }> {
    const place = this.places[index];
    if (!place?.primary || place.busy) throw new Error(`supervisor ${index} is not replaceable now`);
    place.busy = true;
    const old = place.primary;
    const started = Date.now();
    try {
      old.child.kill('SIGTERM');
      const hard = setTimeout(() => old.child.kill('SIGKILL'), 60_000);
      const exit = await old.exited;
      clearTimeout(hard);
      const stopMs = Date.now() - started;
      await this.launch(place);
      return { exitCode: exit.code, stopMs };
    } finally {
      place.busy = false;
    }
  }

  count(): number {
    return this.places.length;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.places.map(async (place) => {
      const p = place.primary;
      if (!p) return;
      p.child.kill('SIGTERM');
      const hard = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
      await p.exited;
      clearTimeout(hard);
    }));
  }
}
