// Drives jobs through the emulated queue and reads what the real workers logged about them. The
// primary's ECS lines are indexed by SQS message id as they arrive (a cursor over the records
// array, so a long run never rescans it): `job.received`, every `job.stage` and `job.settled`.

import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { LocalAws } from '../../spec/support/aws.js';
import type { EcsRecord, PrimaryProcess } from '../../spec/support/test-worker-process.js';
import { sleep } from './stats.js';

export type JobSpec =
  | { kind: 'file'; label: string; type: 'nutrient' | 'gcn'; input: { ext: string; bytes: Buffer }; ponds?: { ext: string; bytes: Buffer }; dwellings: number; email?: string }
  | { kind: 'quote'; label: string; body: Record<string, unknown> }
  | { kind: 'raw'; label: string; body: string };

export interface Submitted {
  messageId: string;
  jobId: string | null;
  label: string;
}

export interface JobTiming {
  messageId: string;
  label: string;
  outcome: string;
  /** job.settled duration: receive → settle call done (delete or release). */
  totalMs: number;
  stages: Record<string, number>;
  receivedAt: number;
  settledAt: number;
}

/** Uploads the files (if any) and sends one message; returns its SQS message id. */
export async function submitJob(aws: LocalAws, spec: JobSpec): Promise<Submitted> {
  if (spec.kind === 'raw') return { messageId: await send(aws, spec.body), jobId: null, label: spec.label };
  if (spec.kind === 'quote') return { messageId: await send(aws, JSON.stringify(spec.body)), jobId: String(spec.body.reference), label: spec.label };
  const jobId = randomUUID();
  const inputKey = `jobs/${jobId}/input.${spec.input.ext}`;
  await aws.putObject(inputKey, spec.input.bytes);
  let pondsKey: string | null = null;
  if (spec.ponds) {
    pondsKey = `jobs/${jobId}/ponds.${spec.ponds.ext}`;
    await aws.putObject(pondsKey, spec.ponds.bytes);
  }
  const body = fileJobBody(jobId, inputKey, spec.type, spec.dwellings, spec.email ?? 'developer@example.com', pondsKey);
  return { messageId: await send(aws, JSON.stringify(body)), jobId, label: spec.label };
}

export function fileJobBody(jobId: string, inputKey: string, type: 'nutrient' | 'gcn', dwellings: number, email: string, pondsKey: string | null): Record<string, unknown> {
  return {
    job_id: jobId, s3_input_key: inputKey, developer_email: email, submitted_at: new Date().toISOString(),
    development_name: 'Benchmark site', dwelling_type: 'house', number_of_dwellings: dwellings, assessment_type: type,
    ...(pondsKey ? { s3_survey_ponds_key: pondsKey } : {}),
  };
}

async function send(aws: LocalAws, body: string): Promise<string> {
  const out = await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queueUrl, MessageBody: body }));
  if (!out.MessageId) throw new Error('SendMessage returned no MessageId');
  return out.MessageId;
}

interface MessageLog {
  received: EcsRecord[];
  stages: EcsRecord[];
  settled: EcsRecord[];
}

const messageIdOf = (r: EcsRecord): string | undefined => r.nrf?.message_id;
const epochMs = (r: EcsRecord): number => Date.parse(r['@timestamp']);

/** Indexes one primary's job records by message id. */
export class JobLog {
  private cursor = 0;
  private readonly byMessage = new Map<string, MessageLog>();

  constructor(private readonly primary: PrimaryProcess) {}

  private entry(id: string): MessageLog {
    let entry = this.byMessage.get(id);
    if (!entry) {
      entry = { received: [], stages: [], settled: [] };
      this.byMessage.set(id, entry);
    }
    return entry;
  }

  /** Consumes records logged since the last call. */
  update(): void {
    const records = this.primary.records;
    for (; this.cursor < records.length; this.cursor += 1) {
      const r = records[this.cursor] as EcsRecord;
      const action = r.event?.action;
      const id = messageIdOf(r);
      if (!id || (action !== 'job.received' && action !== 'job.stage' && action !== 'job.settled')) continue;
      const entry = this.entry(id);
      if (action === 'job.received') entry.received.push(r);
      else if (action === 'job.stage') entry.stages.push(r);
      else entry.settled.push(r);
    }
  }

  receivedCount(id: string): number {
    this.update();
    return this.byMessage.get(id)?.received.length ?? 0;
  }

  settledCount(id: string): number {
    this.update();
    return this.byMessage.get(id)?.settled.length ?? 0;
  }

  async waitSettled(ids: readonly string[], timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const missing = ids.filter((id) => this.settledCount(id) === 0);
      if (missing.length === 0) return;
      if (Date.now() > until) throw new Error(`${missing.length} of ${ids.length} jobs not settled within ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  /** Timing of the last attempt of a message (stages of that attempt only). */
  timing(submitted: Submitted): JobTiming {
    this.update();
    const entry = this.byMessage.get(submitted.messageId);
    const settled = entry?.settled.at(-1);
    if (!entry || !settled) throw new Error(`message ${submitted.messageId} (${submitted.label}) has not settled`);
    const count = settled.nrf?.receive_count;
    const stages: Record<string, number> = {};
    for (const s of entry.stages) {
      if (s.nrf?.receive_count !== count) continue;
      const stage = s['nrf.stage'];
      const ns = (s.event as { duration?: number } | undefined)?.duration ?? 0;
      if (typeof stage === 'string') stages[stage] = (stages[stage] ?? 0) + ns / 1e6;
    }
    const received = entry.received.find((r) => r.nrf?.receive_count === count) ?? entry.received.at(-1);
    const durationNs = (settled.event as { duration?: number } | undefined)?.duration ?? 0;
    return {
      messageId: submitted.messageId, label: submitted.label, outcome: settled.event?.reason ?? 'unknown',
      totalMs: durationNs / 1e6, stages, receivedAt: received ? epochMs(received) : Number.NaN, settledAt: epochMs(settled),
    };
  }
}

/** Submits jobs one after another, each after the previous settled: latency without queueing. */
export async function runSequential(aws: LocalAws, log: JobLog, specs: readonly JobSpec[], timeoutMs: number): Promise<JobTiming[]> {
  const timings: JobTiming[] = [];
  for (const spec of specs) {
    const submitted = await submitJob(aws, spec);
    await log.waitSettled([submitted.messageId], timeoutMs);
    timings.push(log.timing(submitted));
  }
  return timings;
}
