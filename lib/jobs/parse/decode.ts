// Body decoding steps 1–4 of contracts.md §1.2, in order: size, JSON, object, SNS envelope, shape.
// The first failure ends decoding; the schema tables (step 5) live in file-job.ts / quote-job.ts.

import { isJsonObject, type JsonObject, type Violation } from './violations.js';

export const MAX_BODY_BYTES = 262_144;

export type Shape = 'file' | 'quote';

export type Decoded =
  | { ok: true; shape: Shape; body: JsonObject; envelope: JsonObject | null }
  /** `body`/`envelope` are whatever was decoded before the failure (for correlation and partials). */
  | { ok: false; violation: Violation; body: JsonObject | null; envelope: JsonObject | null };

export function decodeBody(raw: string): Decoded {
  const fail = (field: string, reason: string, body: JsonObject | null = null, envelope: JsonObject | null = null): Decoded => ({
    ok: false,
    violation: { field, reason },
    body,
    envelope,
  });

  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) return fail('body', 'too_large');
  const outer = parseJson(raw);
  if (!outer.ok) return fail('body', 'not_json');
  if (!isJsonObject(outer.value)) return fail('body', 'not_object');

  let body = outer.value;
  let envelope: JsonObject | null = null;
  if (Object.hasOwn(body, 'Type')) {
    envelope = body;
    if (envelope.Type !== 'Notification') return fail('Type', 'unsupported_sns_type', null, envelope);
    if (typeof envelope.Message !== 'string') return fail('Message', 'missing', null, envelope);
    const inner = parseJson(envelope.Message);
    if (!inner.ok || !isJsonObject(inner.value)) return fail('Message', 'not_json', null, envelope);
    body = inner.value;
  }

  const hasJobId = Object.hasOwn(body, 'job_id');
  const hasReference = Object.hasOwn(body, 'reference');
  if (hasJobId && hasReference) return fail('body', 'ambiguous_shape', body, envelope);
  if (hasJobId) return { ok: true, shape: 'file', body, envelope };
  if (hasReference || Object.hasOwn(body, 'boundaryGeojson')) return { ok: true, shape: 'quote', body, envelope };
  return fail('body', 'unknown_shape', body, envelope);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
