// The shutdown state machine (operations.md §1.6): running → draining → aborting → done behind one
// awaitable entry point. Levels are ordered graceful < abort < kill; a request at or below the
// current level returns the same promise, a higher one escalates and still resolves it. The end is
// always an explicit exit code, with an unref'd watchdog in case a leaked handle keeps us alive.
//
// The same machine serves both roles: the primary relays drain/abort to workers over IPC and
// SIGKILLs survivors; a worker aborts its poll (drain) and its job (abort).

import type Logger from 'bunyan';
import { coerceError } from '../errors.js';

export type ShutdownLevel = 'graceful' | 'abort' | 'kill';
export type ShutdownPhase = 'running' | 'draining' | 'aborting' | 'done';

const RANK: Record<ShutdownLevel, number> = { graceful: 1, abort: 2, kill: 3 };

export const EXIT = { clean: 0, failed: 1, watchdog: 2, config: 78, sigint: 130, sigterm: 143 } as const;

export interface ShutdownHooks {
  /** draining: stop receiving / stop restarting, relay the drain. `deadlineAt` is epoch ms. */
  drain(deadlineAt: number, reason: string): void;
  /** aborting: fire job signals / relay the abort. */
  abort(reason: string): void;
  /** kill: SIGKILL whatever is still running (primary); nothing to do in a worker. */
  kill(reason: string): void;
  /** done: close servers, run the cleanup stack, remove signal handlers. Must not hang for long. */
  finalize(code: number): Promise<void>;
  exit(code: number): void;
}

export interface ShutdownOptions {
  log: Logger;
  gracefulMs: number;
  /** From abort to kill (10 s in the primary). */
  killMs?: number;
  /** From draining to the watchdog exit(2); default graceful + 15 s. */
  watchdogMs?: number;
  /** Exit code when the drain needed an abort or a kill (workers exit 0 after `nrf:drained`). */
  escalatedExitCode?: number;
  now?: () => number;
}

export interface ShutdownController {
  readonly phase: ShutdownPhase;
  readonly level: ShutdownLevel | null;
  readonly deadlineAt: number | null;
  /** Enter or escalate shutdown; always the same promise of the exit code. */
  requestShutdown(level: ShutdownLevel, reason: string, exitCode?: number): Promise<number>;
  /** Everything the drain waited for has finished (all workers exited / the loop ended). */
  drained(): void;
  /** Resolves with the exit code once shutdown is done, without requesting one. */
  whenDone(): Promise<number>;
}

export function createShutdown(hooks: ShutdownHooks, options: ShutdownOptions): ShutdownController {
  const now = options.now ?? Date.now;
  const killMs = options.killMs ?? 10_000;
  const watchdogMs = options.watchdogMs ?? options.gracefulMs + 15_000;
  let phase: ShutdownPhase = 'running';
  let level: ShutdownLevel | null = null;
  let deadlineAt: number | null = null;
  let explicitCode: number | null = null;
  let gracefulTimer: NodeJS.Timeout | null = null;
  let killTimer: NodeJS.Timeout | null = null;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });

  const logPhase = (next: ShutdownPhase, reason: string): void => {
    options.log.info({ event: { action: 'shutdown.phase', reason }, shutdown: { phase: next, deadlineAt } }, `shutdown: ${next} (${reason})`);
  };

  function clearTimers(): void {
    if (gracefulTimer) clearTimeout(gracefulTimer);
    if (killTimer) clearTimeout(killTimer);
    gracefulTimer = killTimer = null;
  }

  function safely(name: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      options.log.error({ err: coerceError(error) }, `shutdown hook "${name}" failed`);
    }
  }

  function finish(): void {
    if (phase === 'done') return;
    const escalated = level !== null && RANK[level] > RANK.graceful;
    const code = explicitCode ?? (escalated ? (options.escalatedExitCode ?? EXIT.failed) : EXIT.clean);
    phase = 'done';
    clearTimers();
    logPhase('done', `exit ${code}`);
    void hooks.finalize(code)
      .catch((error: unknown) => options.log.error({ err: coerceError(error) }, 'cleanup after shutdown failed'))
      .finally(() => {
        resolveDone(code);
        hooks.exit(code);
      });
  }

  function enterDraining(reason: string): void {
    phase = 'draining';
    deadlineAt = now() + options.gracefulMs;
    // Armed first, unref'd: it ends a process that a leaked handle would keep alive, but never
    // keeps a cleanly finished one waiting.
    setTimeout(() => {
      options.log.fatal({ event: { action: 'shutdown.phase', reason: 'watchdog' } }, 'shutdown watchdog fired; exiting');
      hooks.exit(EXIT.watchdog);
    }, watchdogMs).unref();
    gracefulTimer = setTimeout(() => void controller.requestShutdown('abort', 'graceful_timeout'), options.gracefulMs);
    logPhase('draining', reason);
    const at = deadlineAt;
    safely('drain', () => hooks.drain(at, reason));
  }

  function enterAborting(reason: string): void {
    phase = 'aborting';
    if (gracefulTimer) clearTimeout(gracefulTimer);
    gracefulTimer = null;
    killTimer = setTimeout(() => void controller.requestShutdown('kill', 'kill_timeout'), killMs);
    logPhase('aborting', reason);
    safely('abort', () => hooks.abort(reason));
  }

  const controller: ShutdownController = {
    get phase() {
      return phase;
    },
    get level() {
      return level;
    },
    get deadlineAt() {
      return deadlineAt;
    },
    requestShutdown(requested: ShutdownLevel, reason: string, exitCode?: number): Promise<number> {
      if (exitCode !== undefined) explicitCode = exitCode;
      if (phase === 'done' || (level !== null && RANK[requested] <= RANK[level])) return done;
      const from = level === null ? 0 : RANK[level];
      level = requested;
      if (from < RANK.graceful) enterDraining(reason);
      if (RANK[requested] >= RANK.abort && from < RANK.abort) enterAborting(reason);
      if (requested === 'kill') {
        safely('kill', () => hooks.kill(reason));
        finish();
      }
      return done;
    },
    drained(): void {
      if (phase === 'draining' || phase === 'aborting') finish();
    },
    whenDone: () => done,
  };
  return controller;
}
