// How an attempt that threw settles (contracts.md §7.1, §7.2): the signal's reason first
// (shutdown ⇒ abandoned, timeout ⇒ deadline_exceeded), then the error kind alone.

import { JobError, toJobError } from '../../errors.js';
import { jobAbortReason } from '../../worker/abort.js';
import { queueActionFor } from '../../worker/ack.js';
import type { LedgerState } from '../ledger.js';
import type { Outcome } from '../types.js';

export interface Failure {
  outcome: Extract<Outcome, 'failed' | 'retry' | 'final_failure' | 'abandoned'>;
  error: JobError;
  /** A FAILED e-mail to support (§9.1): data/callback failures and final failures, never shutdown. */
  notifySupport: boolean;
  /** The ledger state to leave; undefined keeps the current one (a retry resumes from it). */
  state: LedgerState | undefined;
}

export function classifyFailure(thrown: unknown, signal: AbortSignal, receiveCount: number, maxReceiveCount: number): Failure {
  const reason = jobAbortReason(signal);
  if (reason === 'shutdown') return { outcome: 'abandoned', error: new JobError('shutdown', { cause: thrown }), notifySupport: false, state: undefined };
  const error = reason === 'timeout' ? new JobError('deadline_exceeded', { cause: thrown }) : toJobError(thrown);
  if (error.kind === 'data' || error.kind === 'callback' || error.kind === 'input') {
    // An input error is turned into a rejection before delivery starts; one reaching here is a
    // fault of ours, and failing the job (not rejecting it) keeps the developer out of it.
    return { outcome: 'failed', error, notifySupport: true, state: 'failed' };
  }
  return transientOutcome(error, receiveCount, maxReceiveCount);
}

/** Transient and bug errors retry with backoff until the last allowed receive. */
export function transientOutcome(error: JobError, receiveCount: number, maxReceiveCount: number): Failure {
  if (receiveCount >= maxReceiveCount) return { outcome: 'final_failure', error, notifySupport: true, state: 'failed' };
  return { outcome: 'retry', error, notifySupport: false, state: undefined };
}

/** The visibility the worker's ack will set for this outcome (null: the message is deleted). */
export function plannedVisibility(outcome: Outcome, receiveCount: number, visibilityTimeout: number): number | null {
  const action = queueActionFor(outcome, receiveCount, visibilityTimeout);
  return action.kind === 'delete' ? null : action.visibility;
}
