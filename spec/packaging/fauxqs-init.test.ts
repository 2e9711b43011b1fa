// dev/fauxqs-init.json (compose's `aws` service and the demo): the queue, its DLQ and redrive,
// the bucket and the quote topic, loaded by fauxqs 1.9.2 and checked through the real SDK and
// against the values ecs-task-def.json deploys.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../support/data.js';
import { TEST_CREDENTIALS } from '../support/aws.js';
import { environmentOf, readTaskDefinition, workerContainer } from './task-definition.js';

const region = 'eu-west-2';
const deployed = environmentOf(workerContainer(readTaskDefinition()));
const queueName = deployed.SQS_QUEUE_NAME ?? '';

describe('dev/fauxqs-init.json', () => {
  let server: FauxqsServer;
  let endpoint: string;
  let sqs: SQSClient;
  let s3: S3Client;
  let queueUrl: string;
  let dlqUrl: string;

  before(async () => {
    server = await startFauxqs({ port: 0, logger: false, init: path.join(REPO_ROOT, 'dev/fauxqs-init.json') });
    endpoint = `http://127.0.0.1:${server.port}`;
    sqs = new SQSClient({ region, endpoint, credentials: TEST_CREDENTIALS });
    s3 = new S3Client({ region, endpoint, credentials: TEST_CREDENTIALS, forcePathStyle: true });
    queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl ?? '';
    dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: `${queueName}-dlq` }))).QueueUrl ?? '';
  });

  after(async () => {
    sqs.destroy();
    s3.destroy();
    await server.stop();
  });

  async function receive(url: string): Promise<{ Body?: string; ReceiptHandle?: string }[]> {
    const result = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0, VisibilityTimeout: 0, MaxNumberOfMessages: 1 }));
    return result.Messages ?? [];
  }

  test('the job queue redrives to its DLQ after SQS_MAX_RECEIVE_COUNT receives', async () => {
    const { Attributes: main = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    const { Attributes: dlq = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
    const redrive = JSON.parse(main.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    assert.equal(redrive.deadLetterTargetArn, dlq.QueueArn);
    assert.equal(Number(redrive.maxReceiveCount), Number(deployed.SQS_MAX_RECEIVE_COUNT));
    assert.equal(main.VisibilityTimeout, deployed.SQS_VISIBILITY_TIMEOUT);

    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"job_id":"redrive-check"}' }));
    for (let attempt = 1; attempt <= Number(deployed.SQS_MAX_RECEIVE_COUNT); attempt += 1) {
      assert.equal((await receive(queueUrl)).length, 1, `receive ${attempt}`);
    }
    assert.deepEqual(await receive(queueUrl), [], 'one receive too many moves the message to the DLQ');
    assert.deepEqual((await receive(dlqUrl)).map((m) => m.Body), ['{"job_id":"redrive-check"}']);
  });

  test('the input bucket exists', async () => {
    const head = await s3.send(new HeadBucketCommand({ Bucket: deployed.AWS_S3_INPUT_BUCKET }));
    assert.equal(head.$metadata.httpStatusCode, 200);
  });

  test('a quote published to nrf_quote_estimate_request arrives on the job queue as an SNS envelope', async () => {
    const topicArn = `arn:aws:sns:${region}:000000000000:nrf_quote_estimate_request`;
    const message = JSON.stringify({ reference: 'NRF-000001' });
    // SNS's query protocol, unsigned: fauxqs checks no credentials and needs no SNS client.
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', TopicArn: topicArn, Message: message }).toString(),
    });
    assert.equal(response.status, 200, await response.text());
    const [delivered] = await receive(queueUrl);
    const envelope = JSON.parse(delivered?.Body ?? '{}') as { Type?: string; TopicArn?: string; Message?: string };
    assert.deepEqual({ Type: envelope.Type, TopicArn: envelope.TopicArn, Message: envelope.Message }, { Type: 'Notification', TopicArn: topicArn, Message: message });
  });
});
