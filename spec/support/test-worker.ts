// A real worker entry with a fake job runner, for process specs (operations.md §7.5). The body
// decides what the "job" does:
//   {"sleepMs": N}            sleep N ms (abortable: shutdown → abandoned, deadline → retry)
//   {"sleepFirstMs": N}       the same, on the first receive only (a redelivery completes at once)
//   {"fail": "permanent"}     rejected (input)      {"fail": "transient"}  retry, final at n ≥ max
//   {"fail": "bug"}           the runner throws     {"burnCpuMs": N}       spin the CPU (blocks the loop)
//   {"log": N}                N log lines inside the job scope
//   {"jobId": "x"}            names the job in the log scope (context.update), as the pipeline does
// A body that is not JSON is rejected as invalid_message, like the real parser would.

import { AggregatorRegistry, type PrometheusContentType } from 'prom-client';
import type { JobResult } from '../../lib/jobs/types.js';
import type { WorkerServices as Services } from '../../lib/worker/services.js';

const registry = new AggregatorRegistry<PrometheusContentType>();

const { runWorker } = await import('../../lib/worker/main.js');
const { JobError } = await import('../../lib/errors.js');
const { jobAbortReason } = await import('../../lib/worker/abort.js');

interface TestBody {
  sleepMs?: number;
  sleepFirstMs?: number;
  fail?: 'permanent' | 'transient' | 'bug';
  burnCpuMs?: number;
  log?: number;
  jobId?: string;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function createTestRunner(services: Services) {
  const { context } = services.logging;
  const maxReceiveCount = services.config.sqs.maxReceiveCount;
  return {
    async run(message: { body: string; receiveCount: number }, { signal }: { signal: AbortSignal }): Promise<JobResult> {
      let body: TestBody;
      try {
        body = JSON.parse(message.body) as TestBody;
      } catch {
        return { outcome: 'rejected', jobType: 'unknown', error: new JobError('invalid_message', { detail: { field: 'body', reason: 'not_json' } }).toEnvelope() };
      }
      if (body.jobId) context.update({ jobId: body.jobId });
      for (let i = 0; i < (body.log ?? 0); i += 1) context.log().info({ component: 'test', line: i }, `test job line ${i}`);
      if (body.burnCpuMs) {
        const until = Date.now() + body.burnCpuMs;
        while (Date.now() < until) Math.sqrt(Math.random());
      }
      if (body.sleepMs) await sleep(body.sleepMs, signal);
      if (body.sleepFirstMs && message.receiveCount === 1) await sleep(body.sleepFirstMs, signal);
      const aborted = jobAbortReason(signal);
      if (aborted === 'shutdown') return { outcome: 'abandoned', jobType: 'nutrient', error: new JobError('shutdown').toEnvelope() };
      if (aborted === 'timeout') return { outcome: 'retry', jobType: 'nutrient', error: new JobError('deadline_exceeded').toEnvelope() };
      if (body.fail === 'permanent') return { outcome: 'rejected', jobType: 'nutrient', error: new JobError('invalid_message').toEnvelope() };
      if (body.fail === 'transient') {
        const outcome = message.receiveCount >= maxReceiveCount ? 'final_failure' : 'retry';
        return { outcome, jobType: 'nutrient', error: new JobError('db_unavailable').toEnvelope() };
      }
      if (body.fail === 'bug') throw new TypeError('test runner bug');
      return { outcome: 'succeeded', jobType: 'nutrient', error: null };
    },
  };
}

await runWorker({
  registry,
  createRunner: createTestRunner,
  loadReadinessCheck: () => Promise.resolve(() => Promise.resolve({ database: true, referenceData: true, missing: [], versions: { nn_catchments: 1 } })),
});
