// `npm run chaos`: at least 1,000 jobs (5 % poison) through several real supervisors on one
// emulated queue while a controller SIGKILLs workers, replaces supervisors, restarts PostgreSQL
// and makes the backend and Notify fail in bursts. Then it heals everything, lets the queue
// drain, and checks from the fakes, the DLQ and the ledger: every valid job succeeded, no side
// effect happened twice, every poison message is dead-lettered with its reason. Bounded in time.
// Flags: --jobs N (valid jobs, default 1000) --supervisors N (default 3) --minutes M (hard stop,
// default 20) --chaos-minutes M (how long jobs arrive under chaos, default 6) --synthetic (the synthetic world even when the public data exists) --calm (no chaos
// actions: a harness check) --sources (workers from the TypeScript sources) --render (only re-render
// the README block from results/chaos-latest.json).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../lib/config.js';
import { SHARED_DATA_DIR } from '../spec/support/data.js';
import { startStack } from '../spec/support/stack.js';
import { buildRuntime } from './lib/runtime.js';
import { submitJob } from './lib/jobs.js';
import { loadNationalDensityPonds } from './lib/ponds.js';
import { sleep } from './lib/stats.js';
import { ChaosController } from './chaos/controller.js';
import { startFaultProxy } from './chaos/fault-proxy.js';
import { Fleet } from './chaos/fleet.js';
import { chaosInputs } from './chaos/inputs.js';
import { progress, redriveValid, settledOutcomes } from './chaos/progress.js';
import { writeChaos, type ChaosResults } from './chaos/report.js';
import { RESULTS_DIR } from './lib/report.js';
import { drainDlq, verify, type SentMessage } from './chaos/verify.js';
import { writeDiagnostics } from './chaos/diagnose.js';
import { buildWorkload } from './chaos/workload.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
if (process.argv.includes('--render')) {
  // Only re-render the README block from results/chaos-latest.json.
  writeChaos(JSON.parse(readFileSync(path.join(RESULTS_DIR, 'chaos-latest.json'), 'utf8')) as ChaosResults, true);
  process.exit(0);
}
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? NaN : Number(process.argv[i + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const validJobs = arg('jobs', 1000);
const supervisors = arg('supervisors', 3);
const hardStopMs = arg('minutes', 20) * 60_000;
const chaosMs = Math.min(arg('chaos-minutes', 6) * 60_000, hardStopMs * 0.6);
const calm = process.argv.includes('--calm');
const started = Date.now();
const log = (line: string): void => void process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const VISIBILITY = 30;
const MAX_RECEIVES = 5;

const usePublic = !process.argv.includes('--synthetic') && existsSync(path.join(SHARED_DATA_DIR, 'reference'));
const stack = await startStack({ synthetic: !usePublic, visibilityTimeout: VISIBILITY, maxReceiveCount: MAX_RECEIVES, log });
const signal = new AbortController().signal;
// Whatever happens, the run ends by itself.
const watchdog = setTimeout(() => {
  log('watchdog: hard stop exceeded by 3 minutes; exiting');
  process.exit(3);
}, hardStopMs + 180_000);
watchdog.unref();
let exitCode = 1;
try {
  const config = loadConfig(stack.env, { role: 'cli' });
  // The throwaway cluster runs with synchronous_commit off for test speed (operations.md §7.1), so
  // an immediate restart loses commits a client was already told about — something RDS never
  // does. Sessions of this database get durable commits back; fsync stays off (no OS crash here).
  await stack.sql.unsafe(`ALTER DATABASE ${new URL(stack.databaseUrl).pathname.slice(1)} SET synchronous_commit = on`);
  const inputs = await chaosInputs(stack.sql, config, stack.dataDir, signal);
  const ponds = await loadNationalDensityPonds(stack.sql, inputs.gcnCentre, 30);
  log(`inputs: ${inputs.fileSites.length} file sites, ${inputs.quoteSites.length} quote sites, ${ponds.ponds} national-density ponds`);
  const workload = await buildWorkload(inputs, validJobs);
  await workload.prepare(stack.aws);
  const proxy = await startFaultProxy(stack.notify.url);
  const runtime = process.argv.includes('--sources') ? null : await buildRuntime(log);

  // Every message is planned up front (ids resolved as they are sent); a feeder spreads the
  // sends over the first 80 % of the chaos phase, so chaos meets a steady stream of work.
  const sent: SentMessage[] = [];
  const validTotal = workload.messages.filter((m) => !m.poison).length;
  const mix: Record<string, number> = {};
  for (const m of workload.messages) if (!m.poison) mix[m.kind] = (mix[m.kind] ?? 0) + 1;
  const feed = async (): Promise<void> => {
    const spanMs = calm ? 0 : chaosMs * 0.8;
    const feedStart = Date.now();
    for (const [i, planned] of workload.messages.entries()) {
      const due = feedStart + (spanMs * i) / workload.messages.length;
      if (due > Date.now()) await sleep(due - Date.now());
      const submitted = await submitJob(stack.aws, planned.spec);
      const key = planned.key ?? (submitted.jobId && planned.spec.kind === 'file' ? `file:${submitted.jobId}` : `msg:${submitted.messageId}`);
      const callbackId = planned.spec.kind === 'quote' ? String(planned.spec.body.reference) : submitted.jobId;
      sent.push({ planned, messageId: submitted.messageId, key, callbackId });
    }
  };
  const valid = (): SentMessage[] => sent.filter((s) => !s.planned.poison);

  const fleet = new Fleet(stack, {
    supervisors, workersEach: 2, binPath: runtime?.binPath,
    env: {
      SQS_WAIT_TIME_SECONDS: '2', SQS_VISIBILITY_TIMEOUT: String(VISIBILITY), WORKER_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
      GOVUK_NOTIFY_BASE_URL: proxy.url, BACKEND_CALLBACK_TIMEOUT: '5', BACKEND_CALLBACK_MAX_RETRIES: '2',
      JOB_TIMEOUT_SECONDS: '180', DB_STATEMENT_TIMEOUT_SECONDS: '60',
    },
  });
  log(`starting ${supervisors} supervisors × 2 workers`);
  await fleet.start();
  const controller = new ChaosController(stack, fleet, proxy);
  const chaosStart = Date.now();
  const chaosUntil = chaosStart + chaosMs;
  log(`feeding ${workload.messages.length} messages over ${calm ? 0 : Math.round((chaosMs * 0.8) / 1000)} s${calm ? ' (calm run: no chaos)' : ', chaos on'}`);
  const feeding = feed();
  const acting = calm ? Promise.resolve() : controller.run();
  let chaosEnded = calm ? Date.now() : 0;
  const redriven: string[] = [];
  let stoppedBy: ChaosResults['stoppedBy'] = 'time limit';
  let idleSince: number | null = null;
  while (Date.now() < started + hardStopMs) {
    await sleep(5000);
    const p = await progress(stack, valid()).catch(() => null);
    if (!p) continue;
    log(`sent ${sent.length}/${workload.messages.length}; succeeded ${p.succeeded}/${validTotal}; queue ${p.ready} ready, ${p.inflight} in flight, ${p.delayed} delayed; DLQ ${p.dlq}; ${controller.events.length} chaos events`);
    if (!chaosEnded && Date.now() > chaosUntil) {
      log('chaos phase over: healing every fault, letting the queue drain');
      await controller.stop();
      await acting;
      chaosEnded = Date.now();
    }
    if (chaosEnded && sent.length === workload.messages.length && p.ready + p.inflight + p.delayed === 0) {
      if (p.succeeded === validTotal) {
        stoppedBy = 'completed';
        break;
      }
      // An operator's redrive (StartMessageMoveTask) of valid jobs that exhausted their receives.
      const moved = await redriveValid(stack, sent);
      redriven.push(...moved);
      if (moved.length > 0) log(`redrove ${moved.length} valid jobs from the DLQ`);
      // Nothing left anywhere to work on, yet not everything succeeded: waiting cannot help.
      idleSince ??= Date.now();
      if (moved.length === 0 && Date.now() - idleSince > 30_000) {
        stoppedBy = 'stalled';
        break;
      }
    } else idleSince = null;
  }
  if (!chaosEnded) {
    await controller.stop();
    await acting;
    chaosEnded = Date.now();
  }
  await feeding;
  log('stopping supervisors (SIGTERM)');
  await fleet.stopAll();
  runtime?.remove();
  const dlq = await drainDlq(stack);
  const verification = await verify(stack, sent, dlq);
  const diagnostics = await writeDiagnostics(stack, fleet.all, verification);
  if (diagnostics) log(`evidence for the failed checks: ${diagnostics}`);
  const actions: Record<string, number> = {};
  for (const e of controller.events) if (!e.detail.startsWith('back after') && !e.detail.includes('replacement ready')) actions[e.action] = (actions[e.action] ?? 0) + 1;
  const results: ChaosResults = {
    startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), chaosSeconds: Math.round((chaosEnded - chaosStart) / 1000),
    setup: { supervisors, workersEach: 2, data: usePublic ? 'public' : 'synthetic', runtime: runtime ? 'compiled' : 'tsx sources', visibilityTimeout: VISIBILITY, maxReceiveCount: MAX_RECEIVES, valid: validTotal, poison: workload.messages.length - validTotal, mix },
    actions, events: controller.events, outcomes: settledOutcomes(fleet.all),
    workerRestarts: fleet.all.reduce((n, p) => n + p.records.filter((r) => r.event?.action === 'worker.restarted').length, 0),
    notifyProxy: proxy.counts(), redriven, stoppedBy, verification,
  };
  process.stdout.write(`${writeChaos(results, !calm && validJobs >= 1000)}\n`);
  await proxy.stop();
  exitCode = verification.ok ? 0 : 1;
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await stack.stop();
}
process.exit(exitCode);
