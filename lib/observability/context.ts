// Per-job context bound through AsyncLocalStorage (operations.md §4.2). Inside a job, `log()`
// returns the job's child logger, so every record carries trace.id and job.id; outside a job it
// returns the process logger. The scope closes when the message is settled, so nothing leaks
// into the next job.

import { AsyncLocalStorage } from 'node:async_hooks';
import type Logger from 'bunyan';

export interface JobContextFields {
  traceId: string;
  jobId?: string | null;
  jobKey?: string | null;
  jobKind?: string | null;
  messageId?: string | null;
  receiveCount?: number | null;
}

export interface JobScope extends JobContextFields {
  logger: Logger;
}

export class LogContext {
  private readonly storage = new AsyncLocalStorage<JobScope>();

  constructor(private readonly root: Logger) {}

  /** Runs fn inside a job scope whose logger is a child bound to the job's fields. */
  run<T>(fields: JobContextFields, fn: () => T): T {
    const logger = this.root.child({ ...contextRecord(fields) });
    return this.storage.run({ ...fields, logger }, fn);
  }

  /** Adds fields learned later in the job (job id after parsing) to the current scope. */
  update(fields: Partial<JobContextFields>): void {
    const scope = this.storage.getStore();
    if (!scope) return;
    Object.assign(scope, fields);
    scope.logger = this.root.child({ ...contextRecord(scope) });
  }

  current(): JobScope | undefined {
    return this.storage.getStore();
  }

  log(): Logger {
    return this.storage.getStore()?.logger ?? this.root;
  }

  get rootLogger(): Logger {
    return this.root;
  }
}

/** The bunyan fields the ECS stream maps to trace.id, job.id and nrf.* (operations.md §4.1). */
export function contextRecord(fields: JobContextFields): Record<string, unknown> {
  const record: Record<string, unknown> = { traceId: fields.traceId };
  if (fields.jobId) record.jobId = fields.jobId;
  if (fields.jobKey) record.jobKey = fields.jobKey;
  if (fields.jobKind) record.jobKind = fields.jobKind;
  if (fields.messageId) record.messageId = fields.messageId;
  if (fields.receiveCount !== undefined && fields.receiveCount !== null) record.receiveCount = fields.receiveCount;
  return record;
}
