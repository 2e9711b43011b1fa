// The job pipeline's composition root: what the worker loop calls for every message
// (lib/worker/entry.ts imports `createPipelineRunner`). It builds the ledger and the outbound
// clients once per worker; each run is one attempt (lib/jobs/pipeline/attempt.ts).

import { randomUUID } from 'node:crypto';
import { createBackendClient } from '../delivery/backend.js';
import { createNotifyClient } from '../delivery/notify.js';
import { createLookupCache } from '../reference/repository.js';
import type { WorkerServices } from '../worker/services.js';
import { createLedger, type Ledger } from './ledger.js';
import { runAttempt } from './pipeline/attempt.js';
import type { BackendPort, EmailPort, PipelineDeps } from './pipeline/deps.js';
import type { JobRunner } from './types.js';

export type { PipelineDeps, BackendPort, EmailPort } from './pipeline/deps.js';

/** Replacements for specs: real clients pointed at fakes, a fixed clock, a fast backoff. */
export interface PipelineOverrides {
  backend?: BackendPort;
  email?: EmailPort;
  ledger?: Ledger;
  now?: () => Date;
}

export function createPipelineDeps(services: WorkerServices, overrides: PipelineOverrides = {}): PipelineDeps {
  const { config, logging, metrics } = services;
  const log = logging.logger.child({ component: 'pipeline' });
  return {
    config,
    logging,
    sql: services.sql,
    s3: services.s3,
    metrics,
    ledger: overrides.ledger ?? createLedger(services.sql, {
      owner: services.workerId,
      leaseSeconds: config.sqs.visibilityTimeout,
      onRetry: (key) => metrics.dbRetries.inc({ code: key }),
    }),
    backend: overrides.backend ?? createBackendClient(config.backend, { proxy: config.proxy, serviceVersion: config.serviceVersion, metrics, log: log.child({ component: 'callback' }) }),
    email: overrides.email ?? createNotifyClient(config.notify, { proxy: config.proxy, metrics, log: log.child({ component: 'notify' }) }),
    now: overrides.now ?? (() => new Date()),
    lookupCache: createLookupCache(),
  };
}

export function createPipelineRunner(services: WorkerServices, overrides: PipelineOverrides = {}): JobRunner {
  const deps = createPipelineDeps(services, overrides);
  const { context } = services.logging;
  return {
    run(message, runContext) {
      // The worker opens the message's log scope; a direct caller (CLI, specs) gets one here.
      if (context.current()) return runAttempt(deps, message, runContext);
      return context.run({ traceId: randomUUID(), messageId: message.messageId, receiveCount: message.receiveCount }, () => runAttempt(deps, message, runContext));
    },
  };
}
