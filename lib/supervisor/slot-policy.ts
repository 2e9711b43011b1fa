// Supervision rules per slot (operations.md §1.5), fixed in code and kept free of I/O so specs can
// drive them with plain numbers: liveness, staleness, stall, restart backoff and crash loop.

export const SUPERVISION = {
  staleAfterMs: 30_000,
  stallAfterMs: 120_000,
  restartInitialMs: 1_000,
  restartCapMs: 30_000,
  resetAfterLiveMs: 60_000,
  crashWindowMs: 5 * 60_000,
  crashLoopExits: 5,
  bootGraceMs: 60_000,
} as const;

export type LivenessState = 'starting' | 'idle' | 'busy' | 'draining' | 'exited';

/** Live = idle, busy or draining with a heartbeat at most 30 s old. */
export function isLive(state: LivenessState, heartbeatAgeMs: number | null): boolean {
  return (state === 'idle' || state === 'busy' || state === 'draining') && heartbeatAgeMs !== null && heartbeatAgeMs <= SUPERVISION.staleAfterMs;
}

export function isStale(heartbeatAgeMs: number | null): boolean {
  return heartbeatAgeMs !== null && heartbeatAgeMs > SUPERVISION.staleAfterMs;
}

export function isStalled(heartbeatAgeMs: number): boolean {
  return heartbeatAgeMs > SUPERVISION.stallAfterMs;
}

/**
 * Restart backoff and crash-loop tracking for one slot. Delays run 1 s, 2 s, 4 s … capped at 30 s
 * and reset once a worker has stayed live for 60 s; five unplanned exits within five minutes
 * flag a crash loop, which keeps restarting at the cap so a passing fault heals, and clears after
 * 60 s of live uptime.
 */
export class SlotRestartPolicy {
  private nextDelay: number = SUPERVISION.restartInitialMs;
  private exits: number[] = [];
  private crashLoopFlag = false;

  get crashLoop(): boolean {
    return this.crashLoopFlag;
  }

  /** Records an unplanned exit at `now`; returns the delay before the replacement is forked. */
  recordUnplannedExit(now: number): number {
    this.exits = this.exits.filter((t) => now - t < SUPERVISION.crashWindowMs);
    this.exits.push(now);
    if (this.exits.length >= SUPERVISION.crashLoopExits) this.crashLoopFlag = true;
    const delay = this.crashLoopFlag ? SUPERVISION.restartCapMs : this.nextDelay;
    this.nextDelay = Math.min(this.nextDelay * 2, SUPERVISION.restartCapMs);
    return delay;
  }

  /** Called on every supervision tick with how long the current worker has been live. */
  observeLive(liveForMs: number): void {
    if (liveForMs < SUPERVISION.resetAfterLiveMs) return;
    this.nextDelay = SUPERVISION.restartInitialMs;
    this.crashLoopFlag = false;
    this.exits = [];
  }
}
