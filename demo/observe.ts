// Watches what the demo's jobs did, from the outside: the job ledger, the fake backend's calls,
// the fake Notify's e-mails and the emulated queues. Nothing here reaches into the worker.

import type { Sql } from '../lib/db/sql.js';
import type { DemoJob } from './jobs.js';

export interface Call {
  method: string;
  path: string;
  param: string | null;
  status: number | 'dropped';
  body: unknown;
}

export interface Email {
  reference: string | null;
  email_address: string;
  template: { id: string };
  personalisation: Record<string, unknown>;
}

export interface Observed {
  state: string | null;
  errorCode: string | null;
  callbacks: Call[];
  emails: Email[];
  inQueue: boolean;
  inDlq: boolean;
}

export interface Observers {
  sql: Sql;
  calls(): Call[];
  emails(): Email[];
  /** Message bodies still in the main queue (visible or in flight) and in the DLQ. */
  queueBodies(): { main: string[]; dlq: string[] };
}

export async function observe(observers: Observers, jobs: readonly DemoJob[]): Promise<Map<string, Observed>> {
  const keys = jobs.map((j) => j.key);
  const rows = await observers.sql<{ job_key: string; state: string; error_code: string | null }[]>`
    SELECT job_key, state, error_code FROM nrf_worker.job_ledger WHERE job_key IN ${observers.sql(keys)}`;
  const byKey = new Map(rows.map((r) => [r.job_key, r]));
  const calls = observers.calls();
  const emails = observers.emails();
  const { main, dlq } = observers.queueBodies();
  const out = new Map<string, Observed>();
  for (const job of jobs) {
    const row = byKey.get(job.key);
    const mentions = (body: string): boolean => body.includes(job.id);
    out.set(job.key, {
      state: row?.state ?? null,
      errorCode: row?.error_code ?? null,
      callbacks: calls.filter((c) => c.param === job.id),
      emails: emails.filter((e) => e.reference?.startsWith(`${job.id}:`) ?? false),
      inQueue: main.some(mentions),
      inDlq: dlq.some(mentions),
    });
  }
  return out;
}

/** A job has settled for the demo once its expected end state is visible from outside. */
export function settled(job: DemoJob, seen: Observed | undefined): boolean {
  if (!seen) return false;
  if (job.expect === 'succeeded') return seen.state === 'succeeded' && !seen.inQueue;
  return seen.state === 'rejected' && seen.inDlq;
}

export function matchesExpectation(job: DemoJob, seen: Observed | undefined): boolean {
  if (!seen || !settled(job, seen)) return false;
  const accepted = seen.callbacks.filter((c) => typeof c.status === 'number' && c.status < 300);
  if (accepted.length !== 1) return false;
  if (job.kind === 'quote') return seen.emails.length === 0;
  return seen.emails.length === 1;
}
