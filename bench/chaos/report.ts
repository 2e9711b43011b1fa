// The chaos run's one-screen report (stdout), its JSON (results/chaos-latest.json) and its block
// in bench/README.md (between the chaos markers).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, RESULTS_DIR, replaceBetweenMarkers } from '../lib/report.js';
import type { ChaosEvent } from './controller.js';
import type { Verification } from './verify.js';

export interface ChaosResults {
  startedAt: string;
  seconds: number;
  chaosSeconds: number;
  setup: { supervisors: number; workersEach: number; data: string; runtime: string; visibilityTimeout: number; maxReceiveCount: number; valid: number; poison: number; mix: Record<string, number> };
  actions: Record<string, number>;
  events: ChaosEvent[];
  outcomes: Record<string, number>;
  workerRestarts: number;
  notifyProxy: Record<string, number>;
  redriven: string[];
  stoppedBy: 'completed' | 'time limit' | 'stalled';
  verification: Verification;
}

const yes = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

export function renderChaos(r: ChaosResults): string {
  const v = r.verification;
  const s = r.setup;
  const lines = [
    `- Chaos run ${r.startedAt}: ${r.seconds} s (${r.chaosSeconds} s under chaos), stopped by ${r.stoppedBy}.`,
    `- ${s.supervisors} supervisors × ${s.workersEach} workers (${s.runtime}), ${s.data} data, visibility ${s.visibilityTimeout} s, maxReceiveCount ${s.maxReceiveCount}.`,
    `- Messages: ${s.valid + s.poison} = ${s.valid} valid (${Object.entries(s.mix).map(([k, n]) => `${n} ${k}`).join(', ')}) + ${s.poison} poison (${((s.poison / (s.valid + s.poison)) * 100).toFixed(1)} %).`,
    `- Chaos actions: ${Object.entries(r.actions).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}; worker restarts seen by the supervisors: ${r.workerRestarts}.`,
    `- Notify proxy requests: ${Object.entries(r.notifyProxy).map(([k, n]) => `${n} ${k}`).join(', ')}.`,
    `- Settled attempts (job.settled lines of every supervisor): ${Object.entries(r.outcomes).map(([k, n]) => `${n} ${k}`).join(', ')}.`,
    '',
    '| Check | Result | |',
    '|---|---|---|',
    `| valid jobs succeeded | ${v.validSucceeded} / ${v.valid}${r.redriven.length ? ` (${r.redriven.length} after an operator redrive from the DLQ)` : ''} | ${yes(v.validSucceeded === v.valid)} |`,
    `| valid jobs left in the DLQ | ${v.validInDlq.length} | ${yes(v.validInDlq.length === 0)} |`,
    `| callbacks: accepted / attempts; jobs without one | ${v.callbacksAccepted} / ${v.callbackAttempts}; ${v.missingCallbacks.length} | ${yes(v.missingCallbacks.length === 0)} |`,
    `| duplicate accepted callbacks (same job) | ${v.duplicateCallbacks.length}${v.duplicateCallbacks.length ? `: ${v.duplicateCallbacks.slice(0, 5).map((d) => `${d.id} ×${d.accepted}`).join(', ')}` : ''} | ${yes(v.duplicateCallbacks.length === 0)} |`,
    `| e-mails sent; completed jobs without their e-mail | ${v.emailsSent}; ${v.missingEmails.length} | ${yes(v.missingEmails.length === 0)} |`,
    `| duplicate e-mails (same Notify reference) | ${v.duplicateEmails.length}${v.duplicateEmails.length ? `: ${v.duplicateEmails.slice(0, 5).map((d) => `${d.reference} ×${d.count}`).join(', ')}` : ''} | ${yes(v.duplicateEmails.length === 0)} |`,
    `| rejected poison whose REJECTED / FAILED e-mail is missing | ${v.poisonMissingNotice.length}${v.poisonMissingNotice.length ? `: ${v.poisonMissingNotice.slice(0, 4).join(', ')}` : ''} | ${yes(v.poisonMissingNotice.length === 0)} |`,
    `| poison messages in the DLQ | ${v.poisonInDlq} / ${v.poison} | ${yes(v.poisonInDlq === v.poison)} |`,
    `| poison reason recorded (ledger error_code) as expected | ${v.poison - v.poisonWrongReason.length} / ${v.poison}${v.poisonWrongReason.length ? `: ${v.poisonWrongReason.slice(0, 4).map((w) => `${w.name} ${w.recorded ?? 'none'} ≠ ${w.expected}`).join(', ')}` : ''} | ${yes(v.poisonWrongReason.length === 0)} |`,
    '',
    `Overall: ${v.ok ? 'PASS — 0 lost, 0 duplicated side effects, every poison message dead-lettered with its reason' : 'FAIL'}.`,
  ];
  if (v.validNotSucceeded.length > 0) lines.push(`Not succeeded: ${v.validNotSucceeded.slice(0, 8).map((x) => `${x.key} (${x.kind}, ${x.state ?? 'no ledger row'}${x.errorCode ? `, ${x.errorCode}` : ''})`).join('; ')}`);
  return lines.join('\n');
}

export function writeChaos(r: ChaosResults, updateReadme: boolean): string {
  const text = renderChaos(r);
  writeFileSync(path.join(RESULTS_DIR, 'chaos-latest.json'), `${JSON.stringify(r, null, 2)}\n`);
  if (updateReadme) {
    const readme = path.join(BENCH_DIR, 'README.md');
    const current = existsSync(readme) ? readFileSync(readme, 'utf8') : '# Benchmarks\n';
    writeFileSync(readme, replaceBetweenMarkers(current, text, '<!-- chaos:results:start -->', '<!-- chaos:results:end -->'));
  }
  return text;
}
