// A forked worker from start to exit (operations.md §1.3): config → logging and metrics →
// signals (worker role) → IPC → clients → queue URL and redrive check → runner → first readiness
// check → `nrf:ready` → poll loop until the primary orders a drain → cleanup → `nrf:drained` → exit.
// The job runner and the readiness check are injected, so specs run real workers with fakes.

import os from 'node:os';
import { AggregatorRegistry, collectDefaultMetrics, type PrometheusContentType } from 'prom-client';
import { ConfigError, loadConfig, type Config, type Env } from '../config.js';
import { createSql } from '../db/sql.js';
import { coerceError } from '../errors.js';
import type { JobRunner } from '../jobs/types.js';
import { createLogging, type Logging } from '../observability/logger.js';
import { createWorkerMetrics } from '../observability/metrics.js';
import { CleanupStack } from '../supervisor/cleanup.js';
import { installSignalHandlers } from '../supervisor/signals.js';
import { EXIT, createShutdown, type ShutdownController } from '../supervisor/shutdown.js';
import { JobAbortError } from './abort.js';
import { createAcker } from './ack.js';
import { createAwsClients } from './aws-clients.js';
import { handleMessage, toReceivedMessage } from './handle-message.js';
import { connectToPrimary, type PrimaryLink } from './primary-link.js';
import { runPollLoop } from './poll-loop.js';
import { QueueConfigFault, checkRedrivePolicy, resolveQueueUrl } from './queue.js';
import { ReadinessMonitor, type ReadinessCheck } from './readiness.js';
import type { WorkerServices } from './services.js';
import { WorkerStatus } from './status.js';
import { writeConfigFatal } from '../observability/config-fatal.js';

export interface RunWorkerOptions {
  /** Constructed as the first statement of the entry module (operations.md §3.4). */
  registry: AggregatorRegistry<PrometheusContentType>;
  createRunner(services: WorkerServices): JobRunner | Promise<JobRunner>;
  /** Loads the readiness check (the production entry imports lib/reference lazily). */
  loadReadinessCheck(): Promise<ReadinessCheck>;
  env?: Env;
}

interface Runtime {
  config: Config;
  slot: number;
  logging: Logging;
  status: WorkerStatus;
  cleanup: CleanupStack;
  pollController: AbortController;
  jobController: AbortController;
  shutdown: ShutdownController;
  link: PrimaryLink;
}

function loadWorkerConfig(env: Env): Config {
  try {
    return loadConfig(env, { role: 'worker' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    writeConfigFatal(error, env);
    process.exit(EXIT.config);
  }
}

function installFatalHandlers(runtime: Pick<Runtime, 'logging' | 'status'>): void {
  const die = (kind: string) => (error: unknown): void => {
    // No ack, no release: the lease expires, the message returns and the ledger makes the retry safe.
    const job = runtime.status.heartbeat();
    runtime.logging.logger.fatal({ err: coerceError(error), event: { action: 'worker.exited', reason: kind }, job: { held: job.jobId ?? null } }, `${kind} in worker; exiting`);
    process.exit(EXIT.failed);
  };
  process.on('uncaughtException', die('uncaughtException'));
  process.on('unhandledRejection', die('unhandledRejection'));
}

function createRuntime(options: RunWorkerOptions): Runtime {
  const config = loadWorkerConfig(options.env ?? process.env);
  const slot = config.workerSlot ?? 0;
  const logging = createLogging({ serviceVersion: config.serviceVersion, environment: config.environment, level: config.logLevel, format: config.logFormat, worker: String(slot) });
  options.registry.setDefaultLabels({ worker: String(slot) });
  collectDefaultMetrics({ register: options.registry });
  AggregatorRegistry.setRegistries([options.registry]);
  const status = new WorkerStatus();
  installFatalHandlers({ logging, status });
  const log = logging.logger.child({ component: 'worker' });
  const cleanup = new CleanupStack();
  const pollController = new AbortController();
  const jobController = new AbortController();
  const signals = installSignalHandlers({ role: 'worker', log });
  cleanup.push('signal handlers', () => signals.remove());
  // Assigned below; the shutdown hooks only run after the link exists.
  const runtime = { config, slot, logging, status, cleanup, pollController, jobController } as Runtime;
  runtime.shutdown = createShutdown({
    drain: () => {
      status.setState('draining');
      pollController.abort();
    },
    abort: () => jobController.abort(new JobAbortError('shutdown')),
    kill: () => undefined,
    finalize: async () => {
      await cleanup.run((name, error) => log.warn({ err: error }, `cleanup "${name}" failed`));
      status.setState('exited');
      await runtime.link.sendDrained(runtime.shutdown.level === 'graceful' ? 'clean' : 'aborted');
      runtime.link.close();
      if (process.connected) process.disconnect();
    },
    exit: (code) => process.exit(code),
  }, { log, gracefulMs: config.gracefulShutdownSeconds * 1000, escalatedExitCode: EXIT.clean });
  runtime.link = connectToPrimary({
    slot, version: config.serviceVersion, status, registry: options.registry, log,
    onShutdown: () => void runtime.shutdown.requestShutdown('graceful', 'primary'),
    onAbort: (reason) => void runtime.shutdown.requestShutdown('abort', reason),
    // The primary died: drain alone with the same budget.
    onDisconnect: () => void runtime.shutdown.requestShutdown('graceful', 'primary_disconnected'),
  });
  return runtime;
}

export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const rt = createRuntime(options);
  const { config, logging, status, cleanup, slot } = rt;
  const log = logging.logger.child({ component: 'worker' });
  const metrics = createWorkerMetrics(options.registry);
  rt.link.start();

  const clients = createAwsClients(config);
  cleanup.push('aws clients', () => clients.destroy());
  const sql = createSql(config.db, { applicationName: `nrf-impact-worker/${slot}` });
  cleanup.push('database pool', () => sql.end({ timeout: 5 }));
  log.info({ event: { action: 'worker.started' }, worker: { slot, pid: process.pid }, proxy: clients.decisions }, `worker ${slot} starting`);

  const queueDeps = { sqs: clients.sqs, config, metrics, log, signal: rt.pollController.signal };
  let queueUrl: string | null;
  try {
    queueUrl = await resolveQueueUrl(queueDeps);
    const redrive = queueUrl === null ? null : await checkRedrivePolicy(queueDeps, queueUrl);
    if (redrive && !redrive.ok) {
      if (config.deployed) throw new QueueConfigFault(`redrive policy: ${redrive.problem}`);
      status.redriveOk = false;
      log.error({ sqs: { redrive: redrive.problem } }, `redrive policy check failed (${redrive.problem}); continuing because ENVIRONMENT=local`);
    }
  } catch (error) {
    if (!(error instanceof QueueConfigFault)) throw error;
    log.fatal({ err: error, event: { action: 'worker.exited', reason: 'config' } }, `queue configuration fault: ${error.message}`);
    process.exit(EXIT.config);
  }
  if (queueUrl === null) {
    rt.shutdown.drained();
    return;
  }

  const services: WorkerServices = { config, logging, sql, sqs: clients.sqs, s3: clients.s3, metrics, queueUrl, workerId: `${os.hostname()}:${process.pid}:${slot}` };
  const runner = await options.createRunner(services);
  const check = await options.loadReadinessCheck();
  const readiness = new ReadinessMonitor({ check, sql, metrics, log: () => log, isIdle: () => status.idle, onChange: () => void rt.link.heartbeatNow() });
  status.readiness = () => readiness.snapshot;
  cleanup.push('readiness monitor', () => readiness.stop());
  await readiness.refresh();
  status.setState('idle');
  await rt.link.sendReady();
  readiness.start();

  const acker = createAcker({ sqs: clients.sqs, queueUrl, visibilityTimeout: config.sqs.visibilityTimeout, metrics, log: () => logging.context.log().child({ component: 'ack' }) });
  const handlerDeps = { runner, acker, sqs: clients.sqs, queueUrl, config, metrics, logging, status, shutdownSignal: rt.jobController.signal };
  await runPollLoop({
    sqs: clients.sqs, queueUrl, config, metrics, status, readiness,
    log: log.child({ component: 'poll' }),
    pollSignal: rt.pollController.signal,
    handle: (message) => handleMessage(message, handlerDeps),
    release: (message) => acker.settle(toReceivedMessage(message), 'abandoned'),
  });
  rt.shutdown.drained();
}
