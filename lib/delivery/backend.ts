// Backend callbacks (contracts.md §8.1): the quote PATCH and the file-job results POST. Each body
// is checked against its shipped schema before it leaves; each attempt has its own timeout
// (connect through response) under the job's signal; 5xx, 408, 429, timeouts and network errors
// are retried after 1 s, 2 s, 4 s; any other 4xx is a permanent `callback_rejected`.

import { setTimeout as delay } from 'node:timers/promises';
import type Logger from 'bunyan';
import { fetch, type Dispatcher } from 'undici';
import type { BackendConfig, ProxyConfig } from '../config.js';
import { ERROR_CATALOGUE, JobError } from '../errors.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { createFetchDispatcher, type ProxyDecision } from '../net/http.js';
import { validatePayload, type PayloadValidator, type SchemaId } from './schemas.js';
import type { QuotePatchBody } from './quote-patch.js';
import type { AssessmentResultsDocument } from './result-document.js';

export type CallbackStatusLabel = '2xx' | '4xx' | '5xx' | 'timeout' | 'network';
const SUCCESS = new Set([200, 201, 204]);
const MAX_BODY_BYTES = 2048;

export interface CallOptions {
  correlationId: string;
  signal: AbortSignal;
}

export interface CallbackResult {
  status: number;
  attempts: number;
}

export interface BackendClient {
  patchQuote(reference: string, body: QuotePatchBody, options: CallOptions): Promise<CallbackResult>;
  postResults(jobId: string, document: AssessmentResultsDocument, options: CallOptions): Promise<CallbackResult>;
  readonly proxyDecision: ProxyDecision;
  close(): Promise<void>;
}

export interface BackendClientOptions {
  /** An explicit undici dispatcher (tests); otherwise one is built from `proxy`. */
  dispatcher?: Dispatcher;
  proxy?: ProxyConfig;
  serviceVersion?: string;
  metrics?: Pick<WorkerMetrics, 'callbackAttempts'>;
  log?: Logger;
  /** Backoff sleep; injectable so specs need not wait 7 s. Must reject when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Schema validator; defaults to the process-wide compiled one (schemas.ts). */
  validator?: Pick<PayloadValidator, 'validate'>;
}

/** 1 s, 2 s, 4 s, then 4 s for any further retry an operator configured. */
export function backoffMs(retry: number): number {
  return 1000 * 2 ** Math.min(retry - 1, 2);
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, undefined, { signal });

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`callback attempt exceeded ${ms} ms`);
    this.name = 'AttemptTimeout';
  }
}

type AttemptOutcome =
  | { kind: 'success'; status: number }
  | { kind: 'rejected'; status: number; body: string }
  | { kind: 'retryable'; label: CallbackStatusLabel; status: number | null; error: Error | null };

async function readLimited(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES));
}

function statusLabel(status: number): CallbackStatusLabel {
  if (status >= 200 && status < 300) return '2xx';
  return status >= 500 ? '5xx' : '4xx';
}

function schemaFailure(schemaId: SchemaId, violations: unknown): JobError {
  const cause = new Error(`payload fails its own schema ${schemaId}`);
  cause.name = 'PayloadSchemaError';
  return new JobError('internal_error', {
    cause,
    message: ERROR_CATALOGUE.internal_error.message.replace('{exceptionClass}', cause.name),
    detail: { exceptionClass: cause.name, schema: schemaId, violations },
  });
}

export function createBackendClient(config: BackendConfig, options: BackendClientOptions = {}): BackendClient {
  const base = config.baseUrl.replace(/\/+$/, '');
  const owned = options.dispatcher ? null : createFetchDispatcher(base, options.proxy ?? { httpProxy: null, httpsProxy: null, noProxy: null });
  const dispatcher = options.dispatcher ?? owned!.dispatcher;
  const proxyDecision: ProxyDecision = owned
    ? { destination: owned.destination, proxied: owned.proxied, proxy: owned.proxy }
    : { destination: new URL(base).origin, proxied: false, proxy: null };
  const sleep = options.sleep ?? defaultSleep;
  const validate = options.validator ? options.validator.validate.bind(options.validator) : validatePayload;
  const timeoutMs = config.timeoutSeconds * 1000;
  const userAgent = `nrf-impact-assessment-worker/${options.serviceVersion ?? 'unknown'}`;

  async function attempt(method: 'PATCH' | 'POST', url: string, payload: string, call: CallOptions): Promise<AttemptOutcome> {
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new AttemptTimeout(timeoutMs)), timeoutMs);
    const signal = AbortSignal.any([call.signal, timer.signal]);
    try {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
        [config.tracingHeader.toLowerCase()]: call.correlationId,
        'user-agent': userAgent,
      };
      if (config.apiKey) headers['x-api-key'] = config.apiKey;
      const response = await fetch(url, { method, headers, body: payload, dispatcher, signal, redirect: 'manual' });
      if (SUCCESS.has(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'success', status: response.status };
      }
      const text = await readLimited(response.body);
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        return { kind: 'retryable', label: statusLabel(response.status), status: response.status, error: null };
      }
      return { kind: 'rejected', status: response.status, body: text };
    } catch (error) {
      // The job's own deadline or shutdown decides how the job settles: never retried or relabelled.
      if (call.signal.aborted) throw call.signal.reason ?? error;
      const timedOut = timer.signal.aborted;
      return { kind: 'retryable', label: timedOut ? 'timeout' : 'network', status: null, error: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      clearTimeout(handle);
    }
  }

  async function send(method: 'PATCH' | 'POST', path: string, schemaId: SchemaId, body: unknown, call: CallOptions): Promise<CallbackResult> {
    call.signal.throwIfAborted();
    const check = validate(schemaId, body);
    if (!check.valid) throw schemaFailure(schemaId, check.violations.slice(0, 20));
    const url = `${base}${path}`;
    const payload = JSON.stringify(body);
    const maxAttempts = config.maxRetries + 1;
    const started = Date.now();
    let last: Extract<AttemptOutcome, { kind: 'retryable' }> | null = null;
    for (let n = 1; n <= maxAttempts; n += 1) {
      const t0 = Date.now();
      const outcome = await attempt(method, url, payload, call);
      const label = outcome.kind === 'retryable' ? outcome.label : statusLabel(outcome.status);
      options.metrics?.callbackAttempts.inc({ status: label });
      options.log?.[outcome.kind === 'success' ? 'info' : 'warn']({
        event: { action: 'callback.attempt', outcome: outcome.kind === 'success' ? 'success' : 'failure', reason: label },
        'http.request.method': method,
        'http.response.status_code': outcome.kind === 'retryable' ? outcome.status ?? undefined : outcome.status,
        'url.domain': new URL(url).hostname,
        'url.path': new URL(url).pathname,
        attempt: n,
        maxAttempts,
        durationMs: Date.now() - t0,
        elapsedMs: Date.now() - started,
        ...(outcome.kind === 'retryable' && outcome.error ? { err: outcome.error } : {}),
      }, 'callback.attempt');
      if (outcome.kind === 'success') return { status: outcome.status, attempts: n };
      if (outcome.kind === 'rejected') {
        throw new JobError('callback_rejected', { detail: { status: outcome.status, body: outcome.body, method, path, attempts: n } });
      }
      last = outcome;
      if (n < maxAttempts) {
        await sleep(backoffMs(n), call.signal).catch((error: unknown) => {
          throw call.signal.aborted ? call.signal.reason ?? error : error;
        });
      }
    }
    throw new JobError('callback_failed', {
      cause: last?.error ?? undefined,
      detail: { method, path, attempts: maxAttempts, lastStatus: last?.status ?? null, lastReason: last?.label ?? null, elapsedMs: Date.now() - started },
    });
  }

  return {
    proxyDecision,
    patchQuote: (reference, body, call) => send('PATCH', `/quotes/${encodeURIComponent(reference)}`, 'callbacks/quote-patch', body, call),
    postResults: (jobId, document, call) => send('POST', `/assessments/${encodeURIComponent(jobId)}/results`, 'callbacks/assessment-results', document, call),
    close: async () => {
      if (owned) await owned.close();
    },
  };
}
