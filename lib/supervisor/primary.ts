// The primary's boot order (operations.md §1.2), each step finished before the next:
//   1 config (any problem: one fatal record, exit 78) · 2 logger + effective config · 3 signals
//   4 stale scratch dirs · 5 optional migrations (dynamic import) · 6 Koa · 7 fork · 8 supervise.
// The primary never runs a job and never talks to AWS; it ends through the shutdown state
// machine with an explicit exit code.

import os from 'node:os';
import { AggregatorRegistry, collectDefaultMetrics, type PrometheusContentType } from 'prom-client';
import { ConfigError, describeEnvironment, loadConfig, type Config, type Env } from '../config.js';
import { coerceError } from '../errors.js';
import { buildHealth } from '../http/health.js';
import { ClusterMetrics } from '../http/cluster-metrics.js';
import { startHttpServer, type HttpServer } from '../http/server.js';
import { writeConfigFatal } from '../observability/config-fatal.js';
import { createLogging } from '../observability/logger.js';
import { createPrimaryMetrics, type PrimaryMetrics } from '../observability/metrics.js';
import { describeProxyDecisions } from '../net/proxy.js';
import { CleanupStack } from './cleanup.js';
import { removeStaleScratch } from './scratch.js';
import { installSignalHandlers } from './signals.js';
import { EXIT, createShutdown } from './shutdown.js';
import { Supervisor } from './supervise.js';

export interface RunPrimaryOptions {
  /** Path of the worker entry module the primary forks. */
  workerEntry: string;
  /** Node flags for the workers (['--import', 'tsx'] when running from TypeScript sources). */
  workerExecArgv?: string[];
  env?: Env;
  /** Exit function; tests of the boot path may replace it. */
  exit?: (code: number) => void;
}

const HEALTH_CODE = { ok: 0, degraded: 1, failing: 2 } as const;

function outboundDestinations(config: Config): Record<string, string> {
  const aws = config.sqs.endpoint ?? `https://sqs.${config.sqs.region}.amazonaws.com`;
  const out: Record<string, string> = { sqs: aws, s3: config.s3.endpoint ?? `https://s3.${config.s3.region}.amazonaws.com`, notify: config.notify.baseUrl };
  if (config.backend.baseUrl) out.backend = config.backend.baseUrl;
  return out;
}

async function runMigrations(config: Config): Promise<unknown> {
  // Dynamic imports keep postgres.js out of the primary unless this flag asks for it.
  const { createSql } = await import('../db/sql.js');
  const { migrate } = await import('../db/migrate.js');
  const sql = createSql(config.db, { applicationName: 'nrf-impact-worker/primary-migrate', max: 1 });
  try {
    return await migrate(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function updatePrimaryGauges(metrics: PrimaryMetrics, supervisor: Supervisor, healthStatus: keyof typeof HEALTH_CODE): void {
  for (const [state, count] of Object.entries(supervisor.countsByState())) metrics.workers.set({ state }, count);
  metrics.healthStatus.set(HEALTH_CODE[healthStatus]);
}

export async function runPrimary(options: RunPrimaryOptions): Promise<number> {
  const env = options.env ?? process.env;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const startedAt = Date.now();

  let config: Config;
  try {
    config = loadConfig(env, { role: 'primary' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    writeConfigFatal(error, env);
    exit(EXIT.config);
    return EXIT.config;
  }

  const logging = createLogging({ serviceVersion: config.serviceVersion, environment: config.environment, level: config.logLevel, format: config.logFormat, worker: 'primary' });
  const log = logging.logger.child({ component: 'supervisor' });
  log.info({
    event: { action: 'config.loaded' },
    config: { variables: describeEnvironment(env), workerCount: config.workerCount, healthPort: config.healthPort, gracefulShutdownSeconds: config.gracefulShutdownSeconds },
    proxy: describeProxyDecisions(outboundDestinations(config), config.proxy),
  }, `configuration loaded (${config.environment}, ${config.workerCount} workers)`);

  const registry = new AggregatorRegistry<PrometheusContentType>();
  registry.setDefaultLabels({ worker: 'primary' });
  collectDefaultMetrics({ register: registry });
  const metrics = createPrimaryMetrics(registry);
  const clusterMetrics = new ClusterMetrics({ primaryRegistry: registry, metrics, log });
  const cleanup = new CleanupStack();
  let http: HttpServer | null = null;

  const supervisor = new Supervisor({
    workerCount: config.workerCount, exec: options.workerEntry, execArgv: options.workerExecArgv ?? [], log, metrics, clusterMetrics,
    onConfigFault: () => void shutdown.requestShutdown('graceful', 'worker_config_fault', EXIT.config),
    onAllExited: () => shutdown.drained(),
  });
  const shutdown = createShutdown({
    drain: (deadlineAt) => supervisor.drain(deadlineAt),
    abort: (reason) => supervisor.abort(reason),
    kill: () => supervisor.killAll(),
    finalize: async () => {
      supervisor.stop();
      if (http) await http.close();
      await cleanup.run((name, error) => log.error({ err: coerceError(error) }, `cleanup "${name}" failed`));
    },
    exit,
  }, { log, gracefulMs: config.gracefulShutdownSeconds * 1000 });
  // From here a SIGTERM is never lost, even during migrations.
  const signals = installSignalHandlers({ role: 'primary', log, requestShutdown: (level, reason, code) => shutdown.requestShutdown(level, reason, code) });
  cleanup.push('signal handlers', () => signals.remove());

  const removed = await removeStaleScratch(os.tmpdir(), (name, error) => log.warn({ err: error }, `could not remove stale scratch ${name}`));
  if (removed > 0) log.info({ scratch: { removed } }, `removed ${removed} stale job scratch director${removed === 1 ? 'y' : 'ies'}`);

  if (config.migrateOnStart && shutdown.phase === 'running') {
    try {
      const result = await runMigrations(config);
      log.info({ event: { action: 'migrations.applied' }, migrations: result }, 'migrations applied');
    } catch (error) {
      log.fatal({ err: coerceError(error), event: { action: 'migrations.applied', outcome: 'failure' } }, 'migrations failed');
      return shutdown.requestShutdown('kill', 'migrations_failed', EXIT.failed);
    }
  }
  if (shutdown.phase !== 'running') {
    // A signal arrived during boot: nothing was forked, so the drain is already complete.
    shutdown.drained();
    return shutdown.requestShutdown('graceful', 'boot_interrupted');
  }

  const health = () => buildHealth({
    service: config.serviceName, version: config.serviceVersion, environment: config.environment, startedAt, now: Date.now(),
    workerCount: config.workerCount, shuttingDown: shutdown.phase !== 'running', slots: supervisor.slotViews(),
  });
  http = await startHttpServer({
    port: config.healthPort,
    log: logging.logger.child({ component: 'http' }),
    routes: {
      health,
      metrics: async () => {
        updatePrimaryGauges(metrics, supervisor, health().status);
        return clusterMetrics.collect(supervisor.scrapeTargets());
      },
    },
  });
  supervisor.start();
  return shutdown.whenDone();
}
