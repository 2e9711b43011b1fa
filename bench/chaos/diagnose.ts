// When a check fails, the evidence for each affected job: its ledger row, side effects and
// deliveries, and every log line any supervisor wrote about it (results/chaos-diagnostics.json).

import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Stack } from '../../spec/support/stack.js';
import type { EcsRecord, PrimaryProcess } from '../../spec/support/test-worker-process.js';
import { RESULTS_DIR } from '../lib/report.js';
import type { Verification } from './verify.js';

const nrfOf = (r: EcsRecord): { job_key?: string; message_id?: string } => (r.nrf ?? {});

export async function writeDiagnostics(stack: Stack, primaries: readonly PrimaryProcess[], v: Verification): Promise<string | null> {
  const keys = new Set<string>([
    ...v.validNotSucceeded.map((x) => x.key),
    ...v.missingCallbacks, ...v.missingEmails,
    ...v.duplicateCallbacks.map((d) => (d.id.startsWith('quote:') ? d.id : `file:${d.id.slice(d.id.indexOf(':') + 1)}`)),
    ...v.duplicateEmails.map((d) => `file:${d.reference.slice(0, d.reference.lastIndexOf(':'))}`),
  ]);
  const file = path.join(RESULTS_DIR, 'chaos-diagnostics.json');
  if (keys.size === 0) {
    rmSync(file, { force: true });
    return null;
  }
  const list = [...keys].slice(0, 20);
  const ledger = await stack.sql`SELECT job_key, state, error_code, lease_owner, lease_expires_at, attempt_series, attempts, updated_at, finished_at FROM nrf_worker.job_ledger WHERE job_key = ANY(${list})`;
  const effects = await stack.sql`SELECT job_key, kind, status, attempts, last_error, sent_at, updated_at FROM nrf_worker.job_side_effect WHERE job_key = ANY(${list}) ORDER BY job_key, kind`;
  const deliveries = await stack.sql`SELECT job_key, message_id, receive_count, received_at, outcome, visibility_set_s FROM nrf_worker.job_delivery WHERE job_key = ANY(${list}) ORDER BY received_at`;
  const messageIds = new Set(deliveries.map((d) => String(d.message_id)));
  const logs = primaries.flatMap((p, index) => p.records
    .filter((r) => {
      const nrf = nrfOf(r);
      return (nrf.job_key !== undefined && keys.has(nrf.job_key)) || (nrf.message_id !== undefined && messageIds.has(nrf.message_id));
    })
    .map((r) => ({ supervisor: index, pid: r['process.pid'], ts: r['@timestamp'], level: r['log.level'], msg: r.message, event: r.event, key: nrfOf(r).job_key, sqs: r.sqs, failure: r.failure, error: r['error.message'] })))
    .sort((a, b) => a.ts.localeCompare(b.ts));
  writeFileSync(file, `${JSON.stringify({ keys: list, ledger, effects, deliveries, logs }, null, 2)}\n`);
  return file;
}
