// End-of-run checks of the chaos run, from what the outside world saw (the fake backend's calls,
// the fake Notify's store, the DLQ) and from the ledger: every valid job succeeded exactly once,
// no side effect happened twice, every poison message is dead-lettered with its reason.

import { ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import type { Stack } from '../../spec/support/stack.js';
import type { PlannedMessage } from './workload.js';

export interface SentMessage {
  planned: PlannedMessage;
  messageId: string;
  /** Ledger key: planned key, `file:{job_id}` for generated file jobs, `msg:{id}` for id-less bodies. */
  key: string;
  /** Callback route id (job id or quote reference), when the message has one. */
  callbackId: string | null;
}

export interface DlqMessage {
  messageId: string;
  body: string;
  receiveCount: number;
}

/** Receives (and deletes) everything in the DLQ. */
export async function drainDlq(stack: Stack): Promise<DlqMessage[]> {
  const out: DlqMessage[] = [];
  for (let empty = 0; empty < 2;) {
    const res = await stack.aws.sqs.send(new ReceiveMessageCommand({
      QueueUrl: stack.aws.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }));
    const messages = res.Messages ?? [];
    if (messages.length === 0) {
      empty += 1;
      continue;
    }
    for (const m of messages) {
      out.push({ messageId: m.MessageId ?? '', body: m.Body ?? '', receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0) });
      await stack.aws.sqs.send(new DeleteMessageCommand({ QueueUrl: stack.aws.dlqUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return out;
}

export interface Verification {
  valid: number;
  validSucceeded: number;
  validNotSucceeded: { key: string; kind: string; state: string | null; errorCode: string | null }[];
  poison: number;
  poisonInDlq: number;
  poisonMissing: { name: string; key: string }[];
  poisonWrongReason: { name: string; expected: string; recorded: string | null }[];
  validInDlq: string[];
  duplicateCallbacks: { id: string; accepted: number }[];
  duplicateEmails: { reference: string; count: number }[];
  missingCallbacks: string[];
  missingEmails: string[];
  /** Poison with a developer or support channel whose REJECTED / FAILED e-mail is missing. */
  poisonMissingNotice: string[];
  emailsSent: number;
  callbacksAccepted: number;
  callbackAttempts: number;
  ok: boolean;
}

interface LedgerRow { job_key: string; state: string; error_code: string | null }

export async function verify(stack: Stack, sent: readonly SentMessage[], dlq: readonly DlqMessage[]): Promise<Verification> {
  const ledger = new Map((await stack.sql<LedgerRow[]>`SELECT job_key, state, error_code FROM nrf_worker.job_ledger`).map((r) => [r.job_key, r]));
  const accepted = new Map<string, number>();
  const calls = stack.backend.calls();
  for (const call of stack.backend.accepted()) {
    if (call.param) accepted.set(`${call.route}:${call.param}`, (accepted.get(`${call.route}:${call.param}`) ?? 0) + 1);
  }
  const emails = new Map<string, number>();
  for (const n of stack.notify.notifications()) {
    const reference = n.reference ?? '(none)';
    emails.set(reference, (emails.get(reference) ?? 0) + 1);
  }
  const inDlq = new Set(dlq.map((m) => m.messageId));
  const dlqBodies = new Set(dlq.map((m) => m.body));
  const v: Verification = {
    valid: 0, validSucceeded: 0, validNotSucceeded: [], poison: 0, poisonInDlq: 0, poisonMissing: [], poisonWrongReason: [], validInDlq: [],
    duplicateCallbacks: [], duplicateEmails: [], missingCallbacks: [], missingEmails: [], poisonMissingNotice: [],
    emailsSent: stack.notify.notifications().length, callbacksAccepted: stack.backend.accepted().length, callbackAttempts: calls.length, ok: false,
  };
  for (const s of sent) {
    const row = ledger.get(s.key);
    if (s.planned.poison) {
      v.poison += 1;
      const found = inDlq.has(s.messageId) || dlqBodies.has(s.planned.spec.kind === 'raw' ? s.planned.spec.body : '');
      if (found) v.poisonInDlq += 1;
      else v.poisonMissing.push({ name: s.planned.poison.name, key: s.key });
      if (row?.error_code !== s.planned.poison.code) v.poisonWrongReason.push({ name: s.planned.poison.name, expected: s.planned.poison.code, recorded: row?.error_code ?? null });
      // contracts.md §9.1: a rejected file job with an id and an address tells the developer; a
      // rejected quote tells support. Bodies without an id have nobody to tell.
      const id = s.key.startsWith('file:') || s.key.startsWith('quote:') ? s.key.slice(s.key.indexOf(':') + 1) : null;
      const notice = id === null ? null : s.key.startsWith('file:') ? `${id}:rejected` : `${id}:failed`;
      if (notice !== null && (emails.get(notice) ?? 0) === 0) v.poisonMissingNotice.push(notice);
      continue;
    }
    v.valid += 1;
    if (row?.state === 'succeeded') v.validSucceeded += 1;
    else v.validNotSucceeded.push({ key: s.key, kind: s.planned.kind, state: row?.state ?? null, errorCode: row?.error_code ?? null });
    if (inDlq.has(s.messageId)) v.validInDlq.push(s.key);
    const route = s.planned.kind === 'quote' ? 'quote' : 'results';
    const count = accepted.get(`${route}:${s.callbackId ?? ''}`) ?? 0;
    if (count === 0) v.missingCallbacks.push(s.key);
    if (s.planned.kind !== 'quote' && (emails.get(`${s.callbackId ?? ''}:completed`) ?? 0) === 0) v.missingEmails.push(s.key);
  }
  for (const [id, count] of accepted) if (count > 1) v.duplicateCallbacks.push({ id, accepted: count });
  for (const [reference, count] of emails) if (count > 1) v.duplicateEmails.push({ reference, count });
  v.ok = v.validSucceeded === v.valid && v.poisonInDlq === v.poison && v.poisonWrongReason.length === 0 && v.validInDlq.length === 0
    && v.duplicateCallbacks.length === 0 && v.duplicateEmails.length === 0 && v.missingCallbacks.length === 0 && v.missingEmails.length === 0
    && v.poisonMissingNotice.length === 0;
  return v;
}
