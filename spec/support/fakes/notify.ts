// A local GOV.UK Notify (contracts.md §9.5, operations.md §7.3): node:http + jsonwebtoken. JWT
// checks in Notify's order (401 without a bearer token; 403 AuthError for an undecodable token, a
// missing or unknown `iss`, an algorithm other than HS256, a bad signature, or `iat` more than 30 s
// from the real clock captured at module load), a template registry with `((placeholder))` names,
// 400 ValidationError / BadRequestError, the 201 answer, lookup by reference (newest first), and
// failure injection through the recipient's local part:
//   notify-fail-{status}@…  answers that status with Notify's error body (nothing stored)
//   notify-slow-{ms}@…      stores the notification, then answers 201 only after {ms} (outcome unknown)
// GET/DELETE /_fake/notifications inspect and reset the store. Starts on port 0.

import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import jwt from 'jsonwebtoken';

// Captured before any spec can fake the clock, so skew tests cannot pass by moving both sides.
const realNow: () => number = Date.now.bind(Date);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const ERROR_TYPES: Record<number, string> = { 400: 'BadRequestError', 403: 'AuthError', 429: 'RateLimitError', 500: 'Exception' };

export interface FakeTemplate {
  id: string;
  subject: string;
  /** Notify markup: `((name))` placeholders in subject or body. */
  body: string;
  version?: number;
}

export interface StoredNotification {
  id: string;
  reference: string | null;
  email_address: string;
  type: 'email';
  status: 'created';
  template: { id: string; version: number; uri: string };
  personalisation: Record<string, unknown>;
  subject: string;
  body: string;
  created_at: string;
  sent_at: null;
  completed_at: null;
}

export interface FakeNotifyOptions {
  /** API keys the fake accepts (`{name}-{service_id}-{secret}`). */
  apiKeys: string[];
  templates: FakeTemplate[];
  port?: number;
  host?: string;
}

export interface FakeNotify {
  url: string;
  notifications(): StoredNotification[];
  reset(): void;
  stop(): Promise<void>;
}

/** A well-formed Notify API key for a fresh service. */
export function makeNotifyApiKey(name = 'nrf-test', serviceId: string = randomUUID(), secret: string = randomUUID()): string {
  return `${name}-${serviceId}-${secret}`;
}

/** The Notify client's split: secret = last 36 characters, service id = the 36 before the hyphen. */
export function splitApiKey(key: string): { serviceId: string; secret: string } {
  return { serviceId: key.substring(key.length - 73, key.length - 37), secret: key.substring(key.length - 36) };
}

function placeholders(template: FakeTemplate): string[] {
  const names = new Set<string>();
  for (const m of `${template.subject}\n${template.body}`.matchAll(/\(\(([^()]+)\)\)/g)) names.add((m[1] ?? '').trim());
  return [...names];
}

function render(text: string, values: Record<string, unknown>): string {
  return text.replace(/\(\(([^()]+)\)\)/g, (_m, name: string) => {
    const value = values[name.trim()];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value ?? '');
  });
}

type Answer = [number, unknown];
const notifyError = (status: number, error: string, message: string): Answer => [status, { status_code: status, errors: [{ error, message }] }];

export async function startFakeNotify(options: FakeNotifyOptions): Promise<FakeNotify> {
  const services = new Map<string, string[]>();
  for (const key of options.apiKeys) {
    const { serviceId, secret } = splitApiKey(key);
    services.set(serviceId, [...(services.get(serviceId) ?? []), secret]);
  }
  const templates = new Map(options.templates.map((t) => [t.id, t]));
  let store: StoredNotification[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';

  function authenticate(header: string | undefined): Answer | null {
    const bearer = /^Bearer\s+(\S+)$/.exec(header ?? '');
    if (!bearer) return notifyError(401, 'AuthError', 'Unauthorized: authentication token must be provided');
    const token = bearer[1] ?? '';
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') return notifyError(403, 'AuthError', 'Invalid token: signature, api token is not valid');
    const iss = decoded.payload.iss;
    if (typeof iss !== 'string' || iss === '') return notifyError(403, 'AuthError', 'Invalid token: iss field not provided');
    const secrets = services.get(iss);
    if (!secrets) return notifyError(403, 'AuthError', 'Invalid token: service not found');
    if (decoded.header.alg !== 'HS256') return notifyError(403, 'AuthError', 'Invalid token: algorithm used is not HS256');
    const verified = secrets.some((secret) => {
      try {
        jwt.verify(token, secret, { algorithms: ['HS256'], ignoreExpiration: true, ignoreNotBefore: true });
        return true;
      } catch {
        return false;
      }
    });
    if (!verified) return notifyError(403, 'AuthError', 'Invalid token: API key not found');
    const iat = decoded.payload.iat;
    if (typeof iat !== 'number' || Math.abs(realNow() / 1000 - iat) > 30) {
      return notifyError(403, 'AuthError', 'Error: Your system clock must be accurate to within 30 seconds');
    }
    return null;
  }

  function validateSend(body: unknown): Answer | { template: FakeTemplate; email: string; personalisation: Record<string, unknown>; reference: string | null } {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return notifyError(400, 'ValidationError', 'Invalid JSON supplied in POST data');
    const b = body as Record<string, unknown>;
    for (const key of Object.keys(b)) {
      if (!['template_id', 'email_address', 'personalisation', 'reference', 'email_reply_to_id', 'one_click_unsubscribe_url'].includes(key)) {
        return notifyError(400, 'ValidationError', `Additional properties are not allowed (${key} was unexpected)`);
      }
    }
    if (b.template_id === undefined) return notifyError(400, 'ValidationError', 'template_id is a required property');
    if (typeof b.template_id !== 'string' || !UUID.test(b.template_id)) return notifyError(400, 'ValidationError', 'template_id is not a valid UUID');
    if (b.email_address === undefined) return notifyError(400, 'ValidationError', 'email_address is a required property');
    if (typeof b.email_address !== 'string' || !EMAIL.test(b.email_address)) return notifyError(400, 'ValidationError', 'email_address Not a valid email address');
    if (b.personalisation !== undefined && (typeof b.personalisation !== 'object' || b.personalisation === null || Array.isArray(b.personalisation))) {
      return notifyError(400, 'ValidationError', 'personalisation is not of type object');
    }
    if (b.reference !== undefined && (typeof b.reference !== 'string' || b.reference.length > 1000)) return notifyError(400, 'ValidationError', 'reference is not of type string');
    const template = templates.get(b.template_id);
    if (!template) return notifyError(400, 'BadRequestError', 'Template not found');
    const personalisation = (b.personalisation ?? {}) as Record<string, unknown>;
    const missing = placeholders(template).filter((name) => !(name in personalisation));
    if (missing.length > 0) return notifyError(400, 'BadRequestError', `Missing personalisation: ${missing.join(', ')}`);
    return { template, email: b.email_address, personalisation, reference: b.reference ?? null };
  }

  function send(res: http.ServerResponse, [status, body]: Answer): void {
    if (res.destroyed || res.headersSent) return;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, text ? { 'content-type': 'application/json' } : {});
    res.end(text);
  }

  function handleSend(rawBody: string, res: http.ServerResponse): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      send(res, notifyError(400, 'ValidationError', 'Invalid JSON supplied in POST data'));
      return;
    }
    const checked = validateSend(parsed);
    if (Array.isArray(checked)) {
      send(res, checked);
      return;
    }
    const local = checked.email.slice(0, checked.email.lastIndexOf('@')).toLowerCase();
    const fail = /^notify-fail-(\d{3})$/.exec(local);
    if (fail) {
      const status = Number(fail[1]);
      send(res, notifyError(status, ERROR_TYPES[status] ?? (status >= 500 ? 'Exception' : 'BadRequestError'), `injected ${status}`));
      return;
    }
    const { template } = checked;
    const id = randomUUID();
    const version = template.version ?? 1;
    const templateUri = `${baseUrl}/services/fake/templates/${template.id}`;
    const stored: StoredNotification = {
      id, reference: checked.reference, email_address: checked.email, type: 'email', status: 'created',
      template: { id: template.id, version, uri: templateUri }, personalisation: checked.personalisation,
      subject: render(template.subject, checked.personalisation), body: render(template.body, checked.personalisation),
      created_at: new Date(realNow()).toISOString(), sent_at: null, completed_at: null,
    };
    store.push(stored);
    const answer: Answer = [201, {
      id, reference: checked.reference,
      content: { subject: stored.subject, body: stored.body, from_email: 'nrf@notifications.service.gov.uk' },
      uri: `${baseUrl}/v2/notifications/${id}`, template: { id: template.id, version, uri: templateUri }, scheduled_for: null,
    }];
    const slow = /^notify-slow-(\d+)$/.exec(local);
    if (slow) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(res, answer);
      }, Number(slow[1]));
      timers.add(timer);
      return;
    }
    send(res, answer);
  }

  function handleLookup(url: URL): Answer {
    const type = url.searchParams.get('template_type');
    const reference = url.searchParams.get('reference');
    const status = url.searchParams.get('status');
    const found = store
      .filter((n) => (!type || n.type === type) && (reference === null || n.reference === reference) && (!status || n.status === status))
      .reverse();
    return [200, { notifications: found, links: { current: `${baseUrl}${url.pathname}${url.search}` } }];
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      if (url.pathname === '/_fake/notifications') {
        if (method === 'DELETE') {
          store = [];
          send(res, [204, undefined]);
        } else send(res, [200, { notifications: store }]);
        return;
      }
      const routeKnown = url.pathname === '/v2/notifications/email' || url.pathname.startsWith('/v2/notifications');
      if (!routeKnown) {
        send(res, notifyError(404, 'BadRequestError', 'Resource not found'));
        return;
      }
      const denied = authenticate(req.headers.authorization);
      if (denied) {
        send(res, denied);
        return;
      }
      if (method === 'POST' && url.pathname === '/v2/notifications/email') handleSend(Buffer.concat(chunks).toString('utf8'), res);
      else if (method === 'GET' && url.pathname === '/v2/notifications') send(res, handleLookup(url));
      else if (method === 'GET') {
        const one = store.find((n) => `/v2/notifications/${n.id}` === url.pathname);
        send(res, one ? [200, one] : notifyError(404, 'NoResultFound', 'No result found'));
      } else send(res, notifyError(405, 'BadRequestError', 'Method not allowed'));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.address}:${address.port}`;

  return {
    url: baseUrl,
    notifications: () => [...store],
    reset: () => void (store = []),
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
