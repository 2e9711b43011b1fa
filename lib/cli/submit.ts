// `bin/worker submit FILE --type nutrient|gcn --dwellings N --email E [--name NAME] [--survey-ponds FILE]`:
// uploads the boundary (and survey ponds) to the input bucket and sends a file job (contracts.md §2).

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig, type Config } from '../config.js';
import { parseArgs, reportConfigError } from './common.js';

export interface SubmitOptions {
  file: string;
  type: 'nutrient' | 'gcn';
  dwellings: number;
  email: string;
  name: string;
  dwellingType: string;
  surveyPonds: string | null;
}

function parseSubmitArgs(args: string[]): SubmitOptions {
  const { positional, flags } = parseArgs(args);
  const file = positional[0];
  const type = flags.get('type');
  const dwellings = Number(flags.get('dwellings'));
  const email = flags.get('email');
  if (!file) throw new Error('usage: bin/worker submit FILE --type nutrient|gcn --dwellings N --email E');
  if (type !== 'nutrient' && type !== 'gcn') throw new Error('--type must be nutrient or gcn');
  if (!Number.isInteger(dwellings) || dwellings < 1) throw new Error('--dwellings must be a whole number ≥ 1');
  if (typeof email !== 'string') throw new Error('--email is required');
  const name = flags.get('name');
  const dwellingType = flags.get('dwelling-type');
  const ponds = flags.get('survey-ponds');
  return {
    file, type, dwellings, email,
    name: typeof name === 'string' ? name : path.parse(file).name,
    dwellingType: typeof dwellingType === 'string' ? dwellingType : 'house',
    surveyPonds: typeof ponds === 'string' ? ponds : null,
  };
}

function awsClients(config: Config): { s3: S3Client; sqs: SQSClient } {
  const endpoint = config.sqs.endpoint ?? undefined;
  return {
    s3: new S3Client({ region: config.s3.region, endpoint, forcePathStyle: endpoint !== undefined }),
    sqs: new SQSClient({ region: config.sqs.region, endpoint, useQueueUrlAsEndpoint: endpoint === undefined }),
  };
}

/** Uploads the file(s) and sends the job; returns the job id. */
export async function submitFileJob(config: Config, options: SubmitOptions): Promise<string> {
  const { s3, sqs } = awsClients(config);
  try {
    const jobId = randomUUID();
    const upload = async (file: string, stem: string): Promise<string> => {
      const key = `jobs/${jobId}/${stem}${path.extname(file).toLowerCase()}`;
      await s3.send(new PutObjectCommand({ Bucket: config.s3.inputBucket, Key: key, Body: await readFile(file) }));
      return key;
    };
    const inputKey = await upload(options.file, 'input');
    const pondsKey = options.surveyPonds ? await upload(options.surveyPonds, 'ponds') : null;
    const queueUrl = config.sqs.queueUrl ?? (await sqs.send(new GetQueueUrlCommand({ QueueName: config.sqs.queueName ?? '' }))).QueueUrl;
    const body = {
      job_id: jobId,
      s3_input_key: inputKey,
      developer_email: options.email,
      submitted_at: new Date().toISOString(),
      development_name: options.name,
      dwelling_type: options.dwellingType,
      number_of_dwellings: options.dwellings,
      assessment_type: options.type,
      ...(pondsKey ? { s3_survey_ponds_key: pondsKey } : {}),
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }));
    return jobId;
  } finally {
    s3.destroy();
    sqs.destroy();
  }
}

export async function submitCommand(args: string[]): Promise<number> {
  const config = reportConfigError(() => loadConfig(process.env, { role: 'cli', optional: ['BACKEND_BASE_URL'] }));
  if (!config) return 78;
  let options: SubmitOptions;
  try {
    options = parseSubmitArgs(args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 64;
  }
  const jobId = await submitFileJob(config, options);
  process.stdout.write(`${JSON.stringify({ jobId })}\n`);
  return 0;
}
