// The trace id a message's log scope opens with (contracts.md §4.2). The rule itself lives with
// the message parser (lib/jobs/parse/correlation.ts); the worker applies it before the pipeline
// runs, so even a message that never becomes a Job logs under its own id. A generated id is
// visible to the pipeline as `context.current().traceId`, so Job.correlationId can reuse it.

import { chooseCorrelation, snsCorrelationAttribute, type Correlation, type CorrelationSkip } from '../jobs/parse/correlation.js';
import { decodeBody } from '../jobs/parse/decode.js';

export interface CorrelationInput {
  body: string;
  /** SQS message attributes, string values only. */
  attributes: Record<string, string>;
}

export function correlationFor(message: CorrelationInput): { correlation: Correlation; skipped: CorrelationSkip[] } {
  const decoded = decodeBody(message.body);
  return chooseCorrelation({
    sqsAttribute: message.attributes.CorrelationId,
    snsAttribute: snsCorrelationAttribute(decoded.envelope),
    bodyTraceId: decoded.body?.traceId,
  });
}
