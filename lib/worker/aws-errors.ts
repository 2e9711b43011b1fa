// AWS SDK failures normalised to a few classes (operations.md §2.5), by error.name,
// $metadata.httpStatusCode and Node's `code`. A failed poll says nothing about any message: every
// class except `aborted` only backs the poll off. Ack and release retry the transient classes.

import { coerceError, isAbortError } from '../errors.js';

export type AwsErrorClass = 'aborted' | 'credentials' | 'access' | 'throttling' | 'service' | 'network';

const CREDENTIALS = new Set([
  'CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId',
  'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidSignatureException', 'MissingAuthenticationToken',
  'IncompleteSignature', 'InvalidAccessKeyId', 'TokenRefreshRequired',
]);
const ACCESS = new Set([
  'AccessDenied', 'AccessDeniedException', 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue',
  'KmsAccessDenied', 'KmsAccessDeniedException', 'KMS.AccessDeniedException', 'KmsDisabled', 'KmsNotFound', 'NoSuchBucket',
]);
const THROTTLING = new Set([
  'ThrottlingException', 'Throttling', 'RequestThrottled', 'RequestThrottledException', 'OverLimit',
  'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded',
]);
const SERVICE = new Set(['InternalError', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);
const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH',
  'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);

export interface ClassifiedAwsError {
  class: AwsErrorClass;
  /** The most specific code available: AWS error name, Node code or HTTP status. */
  code: string;
  status: number | null;
  error: Error;
}

function statusOf(error: Error): number | null {
  const meta = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  const status = meta?.httpStatusCode;
  return typeof status === 'number' ? status : null;
}

function nodeCodeOf(error: Error): string | null {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

export function classifyAwsError(value: unknown): ClassifiedAwsError {
  const error = coerceError(value);
  const status = statusOf(error);
  const nodeCode = nodeCodeOf(error);
  const name = error.name;
  const result = (cls: AwsErrorClass, code?: string): ClassifiedAwsError => ({ class: cls, code: code ?? name, status, error });
  if (isAbortError(error)) return result('aborted');
  if (CREDENTIALS.has(name)) return result('credentials');
  if (ACCESS.has(name)) return result('access');
  if (THROTTLING.has(name) || status === 429) return result('throttling');
  if (nodeCode && NETWORK_CODES.has(nodeCode)) return result('network', nodeCode);
  if (NETWORK_NAMES.has(name) || /socket hang up/i.test(error.message)) return result('network');
  if (SERVICE.has(name) || (status !== null && status >= 500)) return result('service');
  if (status === 403) return result('access');
  if (status === 401) return result('credentials');
  // Anything else (an unexpected 4xx, a parse failure in the SDK) is still only a reason to back
  // off the poll; `service` keeps the metric label set closed.
  return result('service', nodeCode ?? name);
}

/** Classes worth another attempt for an ack or release (everything but aborts and access faults). */
export function isRetryableForAck(cls: AwsErrorClass): boolean {
  return cls === 'throttling' || cls === 'service' || cls === 'network' || cls === 'credentials';
}

/** `ReceiptHandleIsInvalid` and its relatives: the lease is gone, the message is someone else's. */
export function isStaleReceipt(value: unknown): boolean {
  const name = coerceError(value).name;
  return name === 'ReceiptHandleIsInvalid' || name === 'MessageNotInflight' || name === 'InvalidReceiptHandle';
}
