import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAwsError, isStaleReceipt } from '../../lib/worker/aws-errors.js';
import { awsError } from './helpers.js';

describe('AWS error classes (operations.md §2.5)', () => {
  const cases: Array<[Error, string]> = [
    [Object.assign(new Error('x'), { name: 'AbortError' }), 'aborted'],
    [awsError('CredentialsProviderError'), 'credentials'],
    [awsError('ExpiredTokenException', 400), 'credentials'],
    [awsError('InvalidClientTokenId', 403), 'credentials'],
    [awsError('UnrecognizedClientException', 400), 'credentials'],
    [awsError('SignatureDoesNotMatch', 403), 'credentials'],
    [awsError('AccessDenied', 403), 'access'],
    [awsError('AccessDeniedException', 400), 'access'],
    [awsError('QueueDoesNotExist', 400), 'access'],
    [awsError('AWS.SimpleQueueService.NonExistentQueue', 400), 'access'],
    [awsError('KmsAccessDenied', 400), 'access'],
    [awsError('ThrottlingException', 400), 'throttling'],
    [awsError('RequestThrottled', 403), 'throttling'],
    [awsError('OverLimit', 403), 'throttling'],
    [awsError('Whatever', 429), 'throttling'],
    [awsError('InternalError', 500), 'service'],
    [awsError('ServiceUnavailable', 503), 'service'],
    [awsError('Unknown', 502), 'service'],
    [awsError('Error', undefined, 'ECONNRESET'), 'network'],
    [awsError('Error', undefined, 'ECONNREFUSED'), 'network'],
    [awsError('Error', undefined, 'ETIMEDOUT'), 'network'],
    [awsError('Error', undefined, 'EPIPE'), 'network'],
    [awsError('Error', undefined, 'ENOTFOUND'), 'network'],
    [awsError('Error', undefined, 'EAI_AGAIN'), 'network'],
    [awsError('TimeoutError'), 'network'],
    [new Error('socket hang up'), 'network'],
  ];
  for (const [error, expected] of cases) {
    test(`${error.name}${(error as { code?: string }).code ? ` (${(error as { code?: string }).code})` : ''} → ${expected}`, () => {
      assert.equal(classifyAwsError(error).class, expected);
    });
  }

  test('a Node code hidden in the cause chain still counts as network; the code is reported', () => {
    const wrapped = new Error('request failed', { cause: awsError('Error', undefined, 'ECONNRESET') });
    assert.deepEqual([classifyAwsError(wrapped).class, classifyAwsError(wrapped).code], ['network', 'ECONNRESET']);
  });

  test('stale receipt names', () => {
    assert.ok(isStaleReceipt(awsError('ReceiptHandleIsInvalid')));
    assert.ok(!isStaleReceipt(awsError('InternalError')));
  });
});
