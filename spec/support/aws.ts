// fauxqs 1.9.2 in-process (operations.md §7.2): a queue with a DLQ (redrive maxReceiveCount 3),
// a bucket, and real AWS SDK clients pointed at it.

import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';

export interface LocalAws {
  server: FauxqsServer;
  endpoint: string;
  region: string;
  queueName: string;
  queueUrl: string;
  dlqName: string;
  dlqUrl: string;
  bucket: string;
  sqs: SQSClient;
  s3: S3Client;
  /** Environment for a worker process pointed at this emulator. */
  env: Record<string, string>;
  putObject(key: string, body: Buffer | string): Promise<void>;
  stop(): Promise<void>;
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startLocalAws(options: { visibilityTimeout?: number; maxReceiveCount?: number; queueName?: string; bucket?: string } = {}): Promise<LocalAws> {
  const region = 'eu-west-2';
  const server = await startFauxqs({ port: 0, logger: false, messageSpies: true, defaultRegion: region });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const queueName = options.queueName ?? 'nrf-impact-assessment-jobs';
  const dlqName = `${queueName}-dlq`;
  const dlq = server.createQueue(dlqName, { region });
  const queue = server.createQueue(queueName, {
    region,
    attributes: {
      VisibilityTimeout: String(options.visibilityTimeout ?? 30),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: options.maxReceiveCount ?? 3 }),
    },
  });
  const bucket = options.bucket ?? 'nrf-inputs';
  server.createBucket(bucket);
  const sqs = new SQSClient({ region, endpoint, credentials: TEST_CREDENTIALS, useQueueUrlAsEndpoint: false });
  const s3 = new S3Client({ region, endpoint, credentials: TEST_CREDENTIALS, forcePathStyle: true });
  return {
    server,
    endpoint,
    region,
    queueName,
    queueUrl: queue.queueUrl,
    dlqName,
    dlqUrl: dlq.queueUrl,
    bucket,
    sqs,
    s3,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      SQS_QUEUE_URL: queue.queueUrl,
      AWS_S3_INPUT_BUCKET: bucket,
    },
    async putObject(key: string, body: Buffer | string): Promise<void> {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async stop(): Promise<void> {
      sqs.destroy();
      s3.destroy();
      await server.stop();
    },
  };
}
