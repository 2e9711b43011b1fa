// Correlation id (contracts.md §4.2): the first usable value of the SQS attribute, the SNS
// attribute, the body's traceId, else a fresh UUID v4. An unusable value is skipped with a warning
// and never reaches a header.

import { randomUUID } from 'node:crypto';
import type { CorrelationSource } from '../types.js';
import { isJsonObject, type JsonObject } from './violations.js';

const USABLE = /^[A-Za-z0-9._:-]{1,128}$/;

export interface Correlation {
  id: string;
  source: CorrelationSource;
}

/** A skipped candidate; its value is not kept (it may be anything a producer put there). */
export interface CorrelationSkip {
  source: Exclude<CorrelationSource, 'generated'>;
  reason: 'not_a_string' | 'unusable';
  length: number | null;
}

export interface CorrelationCandidates {
  sqsAttribute: unknown;
  snsAttribute: unknown;
  bodyTraceId: unknown;
}

export function isUsableCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && USABLE.test(value);
}

export function chooseCorrelation(candidates: CorrelationCandidates, generate: () => string = randomUUID): { correlation: Correlation; skipped: CorrelationSkip[] } {
  const skipped: CorrelationSkip[] = [];
  const ordered: [Exclude<CorrelationSource, 'generated'>, unknown][] = [
    ['sqs-attribute', candidates.sqsAttribute],
    ['sns-attribute', candidates.snsAttribute],
    ['body', candidates.bodyTraceId],
  ];
  for (const [source, value] of ordered) {
    if (value === undefined || value === null) continue;
    if (isUsableCorrelationId(value)) return { correlation: { id: value, source }, skipped };
    skipped.push({ source, reason: typeof value === 'string' ? 'unusable' : 'not_a_string', length: typeof value === 'string' ? value.length : null });
  }
  return { correlation: { id: generate(), source: 'generated' }, skipped };
}

/** `MessageAttributes.CorrelationId.Value` of an SNS envelope when its `Type` is `String`. */
export function snsCorrelationAttribute(envelope: JsonObject | null): unknown {
  if (!envelope) return undefined;
  const attributes = envelope.MessageAttributes;
  if (!isJsonObject(attributes)) return undefined;
  const entry = attributes.CorrelationId;
  if (!isJsonObject(entry) || entry.Type !== 'String') return undefined;
  return entry.Value;
}
