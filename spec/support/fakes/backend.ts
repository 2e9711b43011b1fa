// A local stand-in for nrf-backend's callback routes (operations.md §7.4, contracts.md §8): checks
// x-api-key and the tracing header, validates bodies with Ajv against the shipped schemas (400
// with the Ajv errors), records every call, and injects faults on request. Starts on port 0.
//   PATCH /quotes/:reference              → 200 empty body (upsert; a repeat is harmless)
//   POST  /assessments/:jobId/results     → 201 first time, 200 for the same document, 409 otherwise
//   GET/DELETE /_fake/calls               → inspect / reset calls, stored documents and faults
//   POST/DELETE /_fake/faults             → inject a fault (JSON Fault) / clear all faults

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { loadShippedSchemas } from './schemas.js';

export type Fault =
  /** The next `times` answers (default 1) carry this status (5xx, 408, 429, 4xx…). */
  | { type: 'status'; status: number; times?: number; body?: string }
  /** The next `times` requests are answered only after `delayMs` (then handled normally). */
  | { type: 'slow'; delayMs: number; times?: number }
  /** The next `times` connections are destroyed without an answer. */
  | { type: 'drop'; times?: number }
  /** Every request is dropped until the faults are cleared. */
  | { type: 'down' };

export interface RecordedCall {
  method: string;
  path: string;
  route: 'quote' | 'results' | 'unknown';
  param: string | null;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON, or undefined when the body was not JSON. */
  body: unknown;
  /** The answered status, or `dropped`. */
  status: number | 'dropped';
  fault: Fault['type'] | null;
  receivedAt: string;
}

export interface FakeBackendOptions {
  apiKey?: string | null;
  tracingHeader?: string;
  port?: number;
  host?: string;
  /** When given, PATCH for any other reference answers 404 (unknown quote). */
  knownQuotes?: Iterable<string>;
  schemasDir?: string;
}

export interface FakeBackend {
  url: string;
  calls(): RecordedCall[];
  /** Calls answered 2xx. */
  accepted(): RecordedCall[];
  inject(fault: Fault): void;
  clearFaults(): void;
  reset(): void;
  stop(): Promise<void>;
}

interface PendingFault { fault: Fault; remaining: number }

function send(res: http.ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, text ? { 'content-type': 'application/json' } : {});
  res.end(text);
}

function hapiError(status: number, error: string, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { statusCode: status, error, message, ...extra };
}

export async function startFakeBackend(options: FakeBackendOptions = {}): Promise<FakeBackend> {
  const apiKey = options.apiKey === undefined ? 'test-backend-key' : options.apiKey;
  const tracingHeader = (options.tracingHeader ?? 'x-cdp-request-id').toLowerCase();
  const known = options.knownQuotes ? new Set(options.knownQuotes) : null;
  const schema = loadShippedSchemas(options.schemasDir);
  const validators = { quote: schema('callbacks/quote-patch.schema.json'), results: schema('callbacks/assessment-results.schema.json') };
  let calls: RecordedCall[] = [];
  let faults: PendingFault[] = [];
  const quotes = new Map<string, unknown>();
  const results = new Map<string, unknown>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  function takeFault(): Fault | null {
    const down = faults.find((f) => f.fault.type === 'down');
    if (down) return down.fault;
    const next = faults[0];
    if (!next) return null;
    next.remaining -= 1;
    if (next.remaining <= 0) faults.shift();
    return next.fault;
  }

  function route(method: string, path: string): Pick<RecordedCall, 'route' | 'param'> {
    const quote = /^\/quotes\/([^/]+)$/.exec(path);
    if (quote && method === 'PATCH') return { route: 'quote', param: decodeURIComponent(quote[1] ?? '') };
    const result = /^\/assessments\/([^/]+)\/results$/.exec(path);
    if (result && method === 'POST') return { route: 'results', param: decodeURIComponent(result[1] ?? '') };
    return { route: 'unknown', param: null };
  }

  function handleCallback(call: RecordedCall, req: http.IncomingMessage): [number, unknown] {
    if (apiKey !== null && req.headers['x-api-key'] !== apiKey) return [401, hapiError(401, 'Unauthorized', 'Missing or invalid x-api-key')];
    if (!req.headers[tracingHeader]) return [400, hapiError(400, 'Bad Request', `Missing ${tracingHeader} header`)];
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return [415, hapiError(415, 'Unsupported Media Type', 'Expected application/json')];
    if (call.body === undefined) return [400, hapiError(400, 'Bad Request', 'Invalid request payload JSON format')];
    const validate = call.route === 'quote' ? validators.quote : validators.results;
    if (!validate(call.body)) {
      return [400, hapiError(400, 'Bad Request', 'Invalid request payload input', { validation: { source: 'payload', errors: validate.errors } })];
    }
    const param = call.param ?? '';
    if (call.route === 'quote') {
      if (known && !known.has(param)) return [404, hapiError(404, 'Not Found', 'Quote not found')];
      quotes.set(param, call.body);
      return [200, undefined];
    }
    if ((call.body as { jobId?: unknown }).jobId !== param) return [400, hapiError(400, 'Bad Request', 'jobId in the body differs from the path')];
    if (!results.has(param)) {
      results.set(param, call.body);
      return [201, undefined];
    }
    return isDeepStrictEqual(results.get(param), call.body) ? [200, undefined] : [409, hapiError(409, 'Conflict', 'A different result document is already stored')];
  }

  function respond(req: http.IncomingMessage, res: http.ServerResponse, call: RecordedCall, fault: Fault | null): void {
    if (fault?.type === 'drop' || fault?.type === 'down') {
      call.status = 'dropped';
      req.socket.destroy();
      return;
    }
    const [status, body] = fault?.type === 'status' ? [fault.status, fault.body ?? hapiError(fault.status, 'Injected', `injected ${fault.status}`)] : handleCallback(call, req);
    call.status = status;
    if (!res.destroyed) send(res, status, body);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (url.pathname === '/_fake/calls') {
        if (method === 'DELETE') {
          calls = [];
          faults = [];
          quotes.clear();
          results.clear();
          send(res, 204);
        } else send(res, 200, { calls });
        return;
      }
      if (url.pathname === '/_fake/faults') {
        if (method === 'DELETE') faults = [];
        else faults.push(toPending(JSON.parse(rawBody) as Fault));
        send(res, 204);
        return;
      }
      let body: unknown;
      try {
        body = rawBody === '' ? undefined : JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const call: RecordedCall = {
        method, path: url.pathname, ...route(method, url.pathname), headers: req.headers, rawBody, body,
        status: 0, fault: null, receivedAt: new Date().toISOString(),
      };
      calls.push(call);
      if (call.route === 'unknown') {
        call.status = 404;
        send(res, 404, hapiError(404, 'Not Found', 'Not Found'));
        return;
      }
      const fault = takeFault();
      call.fault = fault?.type ?? null;
      if (fault?.type === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond(req, res, call, null);
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
      respond(req, res, call, fault);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;

  return {
    url: `http://${address.address}:${address.port}`,
    calls: () => [...calls],
    accepted: () => calls.filter((c) => typeof c.status === 'number' && c.status >= 200 && c.status < 300),
    inject: (fault) => void faults.push(toPending(fault)),
    clearFaults: () => void (faults = []),
    reset: () => {
      calls = [];
      faults = [];
      quotes.clear();
      results.clear();
    },
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function toPending(fault: Fault): PendingFault {
  return { fault, remaining: fault.type === 'down' ? Number.POSITIVE_INFINITY : fault.times ?? 1 };
}
