// GOV.UK Notify (contracts.md §9): `notifications-node-client` with a per-call axios instance
// (`proxy: false`, our agents, a 10 s timeout and the job's signal), the developer-domain
// allow-list, `GOVUK_NOTIFY_ENABLED`, outcome mapping per §9.4 and reconciliation by reference.
// Logs carry the HTTP status and Notify error types only: never the recipient, the
// personalisation or the key.

import axios, { isAxiosError } from 'axios';
import type Logger from 'bunyan';
import notifications from 'notifications-node-client';
import type { NotifyConfig, ProxyConfig } from '../config.js';
import { ERROR_CATALOGUE, JobError } from '../errors.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { createNodeAgents, type NodeAgents, type ProxyDecision } from '../net/http.js';
import { validatePayload, type PayloadValidator } from './schemas.js';
import type { EmailKind, Personalisation } from './personalisation.js';

const { NotifyClient } = notifications;
const NOTIFY_TIMEOUT_MS = 10_000;

export type NotifyStatusLabel = '201' | '4xx' | '429' | '5xx' | 'timeout' | 'network' | 'skipped';
export type SkipReason = 'disabled' | 'domain_not_allowed' | 'not_configured';

export type SendOutcome =
  | { status: 'sent'; id: string }
  | { status: 'skipped'; reason: SkipReason }
  | { status: 'failed_permanent'; errorType: string };

export interface SendEmailArgs {
  /** Developer address for completed/rejected; defaults to GOVUK_NOTIFY_SUPPORT_EMAIL for failed. */
  recipient?: string | null;
  personalisation: Personalisation;
  /** `{jobId}:{kind}` (personalisation.ts notifyReference). */
  reference: string;
}

export interface FoundNotification {
  id: string;
  status: string;
  createdAt: string | null;
}

export interface Notifier {
  sendEmail(kind: EmailKind, args: SendEmailArgs, signal: AbortSignal): Promise<SendOutcome>;
  /** The newest notification with exactly this reference, or null (§9.3 reconciliation). */
  findByReference(reference: string, signal: AbortSignal): Promise<FoundNotification | null>;
  /**
   * The ledger's entry point (contracts.md §7.5 rule 6): when the side-effect row was left
   * `pending` by an earlier attempt, look the reference up first and report the found notification
   * as sent; otherwise (or when nothing is found) send.
   */
  reconcileOrSend(kind: EmailKind, args: SendEmailArgs, previous: { pending: boolean }, signal: AbortSignal): Promise<SendOutcome & { reconciled: boolean }>;
  /** Developer-domain allow-list (support e-mails are exempt). */
  isDeveloperRecipientAllowed(recipient: string): boolean;
  readonly proxyDecision: ProxyDecision;
  close(): void;
}

export interface NotifyClientOptions {
  proxy?: ProxyConfig;
  /** Explicit agents (tests); otherwise built once from `proxy` for the Notify base URL. */
  agents?: NodeAgents;
  metrics?: Pick<WorkerMetrics, 'notifyAttempts'>;
  log?: Logger;
  timeoutMs?: number;
  /** Schema validator; defaults to the process-wide compiled one (schemas.ts). */
  validator?: Pick<PayloadValidator, 'validate'>;
}

/** The domain after the last `@`, lower-cased. */
export function recipientDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
}

interface NotifyErrorBody { status_code?: number; errors?: { error?: string; message?: string }[] }

function errorTypeOf(data: unknown): string {
  const first = (data as NotifyErrorBody | null)?.errors?.[0]?.error;
  return typeof first === 'string' && /^[A-Za-z]+$/.test(first) ? first : 'Unknown';
}

type Classified =
  | { kind: 'permanent'; label: NotifyStatusLabel; status: number; errorType: string }
  | { kind: 'transient'; label: NotifyStatusLabel; status: number | null; errorType: string | null; reason: string };

function classify(error: unknown): Classified | null {
  if (!isAxiosError(error)) return null;
  const response = error.response;
  if (response) {
    const status = response.status;
    const errorType = errorTypeOf(response.data);
    if (status === 400) return { kind: 'permanent', label: '4xx', status, errorType };
    const label: NotifyStatusLabel = status === 429 ? '429' : status >= 500 ? '5xx' : '4xx';
    return { kind: 'transient', label, status, errorType, reason: `http_${status}` };
  }
  const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
  return { kind: 'transient', label: timedOut ? 'timeout' : 'network', status: null, errorType: null, reason: timedOut ? 'timeout' : 'network' };
}

function notifyFailed(c: Extract<Classified, { kind: 'transient' }>, operation: string, cause: unknown): JobError {
  return new JobError('notify_failed', {
    cause,
    // Timeouts and resets may have reached Notify: the ledger reconciles by reference first.
    detail: { operation, status: c.status, errorType: c.errorType, reason: c.reason, outcomeUnknown: c.status === null },
  });
}

export function createNotifyClient(config: NotifyConfig, options: NotifyClientOptions = {}): Notifier {
  const agents = options.agents ?? createNodeAgents(config.baseUrl, options.proxy ?? { httpProxy: null, httpsProxy: null, noProxy: null });
  const ownsAgents = options.agents === undefined;
  const timeout = options.timeoutMs ?? NOTIFY_TIMEOUT_MS;
  const validate = options.validator ? options.validator.validate.bind(options.validator) : validatePayload;
  const allowed = config.allowedDomains.map((d) => d.trim().toLowerCase()).filter((d) => d !== '');

  // A client per call, so the job's signal reaches axios; construction is cheap (no I/O).
  function clientFor(signal: AbortSignal): InstanceType<typeof NotifyClient> {
    const client = new NotifyClient(config.baseUrl, config.apiKey ?? '');
    const http = axios.create({ proxy: false, timeout, httpAgent: agents.httpAgent, httpsAgent: agents.httpsAgent, signal });
    // The client's typings import axios as CommonJS; the instance is the same object at runtime.
    client.setClient(http as unknown as Parameters<typeof client.setClient>[0]);
    return client;
  }

  function count(kind: EmailKind, status: NotifyStatusLabel): void {
    options.metrics?.notifyAttempts.inc({ template: kind, status });
  }

  function logAttempt(kind: EmailKind, outcome: string, fields: Record<string, unknown>): void {
    options.log?.[outcome === 'success' || outcome === 'skipped' ? 'info' : 'warn']({ event: { action: 'notify.attempt', outcome, reason: fields.reason }, template: kind, ...fields }, 'notify.attempt');
  }

  const isDeveloperRecipientAllowed = (recipient: string): boolean => allowed.length === 0 || allowed.includes(recipientDomain(recipient));

  function skip(kind: EmailKind, reason: SkipReason): SendOutcome {
    count(kind, 'skipped');
    logAttempt(kind, 'skipped', { reason });
    return { status: 'skipped', reason };
  }

  const notifier: Notifier = {
    proxyDecision: { destination: agents.destination, proxied: agents.proxied, proxy: agents.proxy },
    isDeveloperRecipientAllowed,
    close: () => {
      if (ownsAgents) agents.destroy();
    },

    async sendEmail(kind, args, signal) {
      signal.throwIfAborted();
      if (!config.enabled) return skip(kind, 'disabled');
      const recipient = kind === 'failed' ? args.recipient ?? config.supportEmail : args.recipient;
      const templateId = config.templates[kind];
      if (!config.apiKey || !templateId || !recipient) return skip(kind, 'not_configured');
      if (kind !== 'failed' && !isDeveloperRecipientAllowed(recipient)) return skip(kind, 'domain_not_allowed');
      const check = validate(`notify/personalisation#${kind}`, args.personalisation);
      if (!check.valid) {
        const cause = new Error(`personalisation fails notify/personalisation#${kind}`);
        cause.name = 'PayloadSchemaError';
        throw new JobError('internal_error', {
          cause,
          message: ERROR_CATALOGUE.internal_error.message.replace('{exceptionClass}', cause.name),
          detail: { exceptionClass: cause.name, schema: `notify/personalisation#${kind}`, violations: check.violations.slice(0, 20) },
        });
      }
      const started = Date.now();
      try {
        const response = await clientFor(signal).sendEmail(templateId, recipient, { personalisation: args.personalisation, reference: args.reference });
        count(kind, '201');
        logAttempt(kind, 'success', { 'http.response.status_code': response.status, durationMs: Date.now() - started });
        return { status: 'sent', id: response.data.id };
      } catch (error) {
        if (signal.aborted) throw signal.reason ?? error;
        const c = classify(error);
        if (!c) throw error;
        count(kind, c.label);
        logAttempt(kind, 'failure', { 'http.response.status_code': c.status ?? undefined, errorType: c.errorType, reason: c.kind === 'transient' ? c.reason : 'rejected', durationMs: Date.now() - started });
        if (c.kind === 'permanent') return { status: 'failed_permanent', errorType: c.errorType };
        throw notifyFailed(c, 'send', error);
      }
    },

    async reconcileOrSend(kind, args, previous, signal) {
      if (previous.pending && config.enabled) {
        const found = await notifier.findByReference(args.reference, signal);
        if (found) {
          logAttempt(kind, 'success', { reason: 'reconciled' });
          return { status: 'sent', id: found.id, reconciled: true };
        }
      }
      return { ...(await this.sendEmail(kind, args, signal)), reconciled: false };
    },

    async findByReference(reference, signal) {
      signal.throwIfAborted();
      if (!config.enabled || !config.apiKey) return null;
      try {
        const response = await clientFor(signal).getNotifications('email', undefined, reference);
        const found = response.data.notifications.find((n) => n.reference === reference);
        return found ? { id: found.id, status: found.status, createdAt: found.created_at ?? null } : null;
      } catch (error) {
        if (signal.aborted) throw signal.reason ?? error;
        const c = classify(error);
        if (!c) throw error;
        throw notifyFailed(c.kind === 'transient' ? c : { ...c, kind: 'transient', reason: `http_${c.status}` }, 'lookup', error);
      }
    },
  };
  return notifier;
}
