// The production worker entry: the module the primary forks (cluster.setupPrimary({ exec })).
// The aggregator registry comes first, before anything else can touch prom-client
// (operations.md §1.3, §3.4); the job pipeline and the readiness check are imported lazily, after
// the registry, so that nothing they load registers metrics against the default registry first.

import { AggregatorRegistry, type PrometheusContentType } from 'prom-client';

const registry = new AggregatorRegistry<PrometheusContentType>();

const { runWorker } = await import('./main.js');
await runWorker({
  registry,
  createRunner: async (services) => (await import('../jobs/runner.js')).createPipelineRunner(services),
  loadReadinessCheck: async () => (await import('../reference/readiness.js')).checkReadiness,
});
