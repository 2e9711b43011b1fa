// The only module that listens for SIGTERM, SIGINT and SIGHUP (operations.md §0, §1.6), in both
// roles. Registered once per process (the one module-level flag the codebase allows), removed at
// the end; a spec asserts the listener counts go 0 → 1 → 0.
//
// Primary: the first SIGTERM/SIGINT drains, the second escalates to abort, the third kills the
// workers at once and exits 143 (SIGTERM) or 130 (SIGINT). SIGHUP is logged and ignored.
// Worker: every signal is logged and ignored; a worker acts only on the primary's IPC, because a
// terminal Ctrl-C reaches the whole process group and workers must not die before they are told.

import type Logger from 'bunyan';
import { EXIT, type ShutdownLevel } from './shutdown.js';

export const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
export type HandledSignal = (typeof HANDLED_SIGNALS)[number];

export type RequestShutdown = (level: ShutdownLevel, reason: string, exitCode?: number) => Promise<number>;

export interface SignalHandlerOptions {
  role: 'primary' | 'worker';
  log: Logger;
  /** Primary only: the shutdown state machine's entry point. */
  requestShutdown?: RequestShutdown;
}

export interface InstalledSignals {
  /** Removes every handler this module added; idempotent. */
  remove(): void;
}

let installed = false;

const LEVEL_BY_COUNT: Record<number, ShutdownLevel> = { 1: 'graceful', 2: 'abort' };

export function installSignalHandlers(options: SignalHandlerOptions): InstalledSignals {
  if (installed) throw new Error('signal handlers are already installed in this process');
  installed = true;
  const { log } = options;
  let stopSignals = 0;

  const onStop = (signal: 'SIGTERM' | 'SIGINT'): void => {
    if (options.role === 'worker' || !options.requestShutdown) {
      log.info({ signal }, `${signal} received; a worker waits for the primary's orders`);
      return;
    }
    stopSignals += 1;
    const level = LEVEL_BY_COUNT[stopSignals] ?? 'kill';
    log.warn({ signal, shutdown: { level, count: stopSignals } }, `${signal} received (${stopSignals}): ${level}`);
    const exitCode = level === 'kill' ? (signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm) : undefined;
    void options.requestShutdown(level, signal, exitCode);
  };
  const handlers: Record<HandledSignal, () => void> = {
    SIGTERM: () => onStop('SIGTERM'),
    SIGINT: () => onStop('SIGINT'),
    SIGHUP: () => log.info({ signal: 'SIGHUP' }, 'SIGHUP received and ignored'),
  };
  for (const signal of HANDLED_SIGNALS) process.on(signal, handlers[signal]);

  let removed = false;
  return {
    remove(): void {
      if (removed) return;
      removed = true;
      for (const signal of HANDLED_SIGNALS) process.off(signal, handlers[signal]);
      installed = false;
    },
  };
}
