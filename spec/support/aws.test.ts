import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from './aws.js';

describe('local AWS emulator harness', () => {
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws();
  });
  after(async () => {
    await aws.stop();
  });

  test('the queue has a redrive policy to the DLQ with maxReceiveCount 3', async () => {
    const out = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: aws.queueUrl, AttributeNames: ['RedrivePolicy'] }));
    const policy = JSON.parse(out.Attributes?.RedrivePolicy ?? '{}') as { maxReceiveCount?: number | string; deadLetterTargetArn?: string };
    assert.equal(Number(policy.maxReceiveCount), 3);
    assert.match(policy.deadLetterTargetArn ?? '', /-dlq$/);
  });

  test('SQS and S3 round trips use the real SDK clients', async () => {
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queueUrl, MessageBody: '{"hello":1}' }));
    const got = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: aws.queueUrl, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(got.Messages?.[0]?.Body, '{"hello":1}');
    assert.equal(got.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '1');
    await aws.putObject('a/b.txt', 'content');
    const obj = await aws.s3.send(new GetObjectCommand({ Bucket: aws.bucket, Key: 'a/b.txt' }));
    assert.equal(await obj.Body?.transformToString(), 'content');
  });
});
