// The production worker entry: the module the primary forks (cluster.setupPrimary({ exec })).
// The aggregator registry comes first, before anything else can touch prom-client
// (operations.md §1.3, §3.4); the job pipeline and the readiness check are imported lazily so
// this module stays loadable while those parts evolve.

import { AggregatorRegistry, type PrometheusContentType } from 'prom-client';
import type { JobRunner } from '../jobs/types.js';
import type { ReadinessCheck } from './readiness.js';
import type { WorkerServices } from './services.js';

const registry = new AggregatorRegistry<PrometheusContentType>();

// Variables, not literals: the compiler must not insist that these modules exist yet.
const RUNNER_MODULE = '../jobs/runner.js';
const READINESS_MODULE = '../reference/readiness.js';

interface RunnerModule {
  createPipelineRunner(services: WorkerServices): JobRunner | Promise<JobRunner>;
}
interface ReadinessModule {
  checkReadiness: ReadinessCheck;
}

const { runWorker } = await import('./main.js');
await runWorker({
  registry,
  createRunner: async (services) => ((await import(RUNNER_MODULE)) as RunnerModule).createPipelineRunner(services),
  loadReadinessCheck: async () => ((await import(READINESS_MODULE)) as ReadinessModule).checkReadiness,
});
