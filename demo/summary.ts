// Turns what the demo observed into a readable summary: figures, callback, e-mail, queue.

import type { DemoJob } from './jobs.js';
import { matchesExpectation, type Observed } from './observe.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown, fallback = 'n/a'): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : fallback);
const num = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-GB', { maximumFractionDigits: 2 }) : 'n/a');
const money = (v: unknown): string => (typeof v === 'number' ? `£${v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : 'not calculated');

function figures(job: DemoJob, seen: Observed): string[] {
  const body = obj(seen.callbacks.find((c) => typeof c.status === 'number' && c.status < 300)?.body);
  if (job.kind === 'quote') {
    const edp = obj(arr(body.edps)[0]);
    const impact = obj(edp.impact);
    const levy = obj(edp.levyGbp);
    const catchments = arr(edp.catchments).map((c) => `${String(obj(c).label)} ${num(obj(c).catchmentOverlapPercentage)}%`);
    return [
      `EDP: ${text(edp.edpName, 'n/a')} (id ${text(edp.edpId, 'n/a')})`,
      `nitrogen ${num(obj(impact.nitrogenTotal).amount)} kg/yr (band ${text(obj(obj(impact.nitrogenTotal).band).max, '?')}), phosphorus ${num(obj(impact.phosphorusTotal).amount)} kg/yr (band ${text(obj(obj(impact.phosphorusTotal).band).max, '?')})`,
      `catchments: ${catchments.join('; ') || 'none'}`,
      `levy: ${money(levy.amountInflationAdjusted)} (base ${money(levy.baseAmount)}, model v${text(levy.modelVersion, '?')})`,
    ];
  }
  if (body.status === 'rejected') {
    const error = obj(body.error);
    return [`rejected: ${String(error.code)} — ${String(error.message)}`];
  }
  const summary = obj(body.summary);
  if (body.assessmentType === 'gcn') {
    const habitat = obj(summary.habitatM2);
    const zones = (area: string): string => ['Red', 'Amber', 'Green'].map((z) => `${z} ${num(obj(habitat[area])[z])}`).join(', ');
    return [`habitat inside the site (m²): ${zones('RLB')}`, `habitat within the 250 m buffer (m²): ${zones('Buffer')}`, `ponds counted: ${text(summary.pondCount, 'n/a')}`];
  }
  return [
    `nitrogen ${num(summary.nitrogenTotalKgYr)} kg/yr, phosphorus ${num(summary.phosphorusTotalKgYr)} kg/yr over ${text(summary.assessedCount, '?')} site(s)`,
    `wastewater works: ${arr(summary.wwtwNames).join('; ') || 'none'}; catchments: ${arr(summary.catchmentLabels).join('; ') || 'none'}`,
    `levy: ${money(summary.levyGbpTotal)}`,
  ];
}

function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? `${address[0] ?? ''}***${address.slice(at)}` : '***';
}

export function renderSummary(jobs: readonly DemoJob[], observed: Map<string, Observed>): { text: string; allAsExpected: boolean } {
  const lines: string[] = ['', '══ Demo summary ══'];
  let allAsExpected = true;
  for (const job of jobs) {
    const seen = observed.get(job.key);
    const ok = matchesExpectation(job, seen);
    allAsExpected &&= ok;
    lines.push('', `${ok ? '✔' : '✘'} ${job.name} — ${job.describe}`);
    if (!seen) {
      lines.push('   nothing observed');
      continue;
    }
    lines.push(`   outcome: ${seen.state ?? 'not settled'}${seen.errorCode ? ` (${seen.errorCode})` : ''}; expected ${job.expect}`);
    for (const line of figures(job, seen)) lines.push(`   ${line}`);
    const calls = seen.callbacks.map((c) => `${c.method} ${c.path} → ${String(c.status)}`);
    lines.push(`   callback: ${calls.join(', ') || 'none'}`);
    const mails = seen.emails.map((e) => `${e.reference?.split(':').pop() ?? '?'} to ${maskEmail(e.email_address)}`);
    lines.push(`   e-mail: ${mails.join(', ') || (job.kind === 'quote' ? 'none (quote jobs are e-mailed by nrf-backend)' : 'none')}`);
    lines.push(`   queue: ${seen.inDlq ? 'in the dead-letter queue' : seen.inQueue ? 'still on the queue' : 'deleted'}`);
  }
  lines.push('', allAsExpected ? 'Every job reached its expected outcome.' : 'Some jobs did not reach their expected outcome (see ✘ above).');
  return { text: lines.join('\n'), allAsExpected };
}
