// SQS and S3 clients (operations.md §2.1, §5.4): an explicit endpoint for emulators (local only),
// `useQueueUrlAsEndpoint: false` so emulator queue URLs with *.localhost hosts are never dialled,
// path-style S3, and a NodeHttpHandler with real timeouts and the proxy decision of lib/net.

import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Config } from '../config.js';
import { createNodeAgents, type NodeAgents } from '../net/http.js';

export interface AwsClients {
  sqs: SQSClient;
  s3: S3Client;
  /** Destination and proxy decision per client, for the start-up log. */
  decisions: Record<'sqs' | 's3', { destination: string; proxy: string | null }>;
  destroy(): void;
}

export function awsDestinations(config: Pick<Config, 'sqs' | 's3'>): { sqs: string; s3: string } {
  if (config.sqs.endpoint) return { sqs: config.sqs.endpoint, s3: config.s3.endpoint ?? config.sqs.endpoint };
  return { sqs: `https://sqs.${config.sqs.region}.amazonaws.com`, s3: `https://s3.${config.s3.region}.amazonaws.com` };
}

function handler(agents: NodeAgents, requestTimeoutMs: number): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: 5_000,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
    httpAgent: agents.httpAgent,
    httpsAgent: agents.httpsAgent,
  });
}

export function createAwsClients(config: Pick<Config, 'sqs' | 's3' | 'proxy'>): AwsClients {
  const destinations = awsDestinations(config);
  const sqsAgents = createNodeAgents(destinations.sqs, config.proxy);
  const s3Agents = createNodeAgents(destinations.s3, config.proxy);
  const endpoint = config.sqs.endpoint ?? undefined;
  const sqs = new SQSClient({
    region: config.sqs.region,
    ...(endpoint ? { endpoint, useQueueUrlAsEndpoint: false } : {}),
    // A long poll must never be cut by the socket: wait time plus 10 s.
    requestHandler: handler(sqsAgents, (config.sqs.waitTimeSeconds + 10) * 1000),
  });
  const s3 = new S3Client({
    region: config.s3.region,
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    requestHandler: handler(s3Agents, 60_000),
  });
  return {
    sqs,
    s3,
    decisions: {
      sqs: { destination: sqsAgents.destination, proxy: sqsAgents.proxy },
      s3: { destination: s3Agents.destination, proxy: s3Agents.proxy },
    },
    destroy(): void {
      sqs.destroy();
      s3.destroy();
      sqsAgents.destroy();
      s3Agents.destroy();
    },
  };
}
