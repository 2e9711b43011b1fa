// The handful of jobs the demo sends: a nutrient file job, a quote job in an SNS envelope, a GCN
// survey-route file job and one broken boundary. Built from the public samples when they are
// present, else from the synthetic world's own sites.

import { randomInt, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import type { Geometry } from 'geojson';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DEMO_SITES } from './world.js';

export type DemoJobName = 'nutrient file job' | 'quote job (SNS)' | 'GCN survey job' | 'broken boundary';

export interface DemoJob {
  name: DemoJobName;
  /** Ledger key: `file:{job_id}` or `quote:{reference}`. */
  key: string;
  id: string;
  kind: 'file' | 'quote';
  /** What should happen, for the summary and the exit status. */
  expect: 'succeeded' | 'rejected';
  describe: string;
}

interface FileUpload {
  name: string;
  bytes: Buffer;
}

interface DemoInputs {
  nutrient: FileUpload;
  quoteGeometry: Geometry;
  gcnSite: FileUpload;
  gcnPonds: FileUpload;
  broken: FileUpload;
}

const BNG = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } };

function geojson(features: { geometry: Geometry; properties?: Record<string, unknown> }[]): Buffer {
  return Buffer.from(JSON.stringify({
    type: 'FeatureCollection', crs: BNG,
    features: features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: f.properties ?? {} })),
  }));
}

/** Zips every file of a shapefile's folder whose stem matches (the way a developer uploads it). */
async function zipShapefile(dir: string, stem: string): Promise<Buffer> {
  const zip = new JSZip();
  for (const name of await readdir(dir)) {
    if (path.parse(name).name === stem) zip.file(name, await readFile(path.join(dir, name)));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function syntheticInputs(): DemoInputs {
  return {
    nutrient: { name: 'input.geojson', bytes: geojson([{ geometry: DEMO_SITES.nutrient }]) },
    quoteGeometry: { ...DEMO_SITES.quote, ...{ crs: BNG } },
    gcnSite: { name: 'input.geojson', bytes: geojson(DEMO_SITES.gcnSites.map((geometry) => ({ geometry }))) },
    gcnPonds: {
      name: 'ponds.geojson',
      bytes: geojson(DEMO_SITES.gcnPonds.map(([x, y, pans, tmpImp]) => ({
        geometry: { type: 'Point', coordinates: [600000 + x, 300000 + y] }, properties: { PANS: pans, TmpImp: tmpImp },
      }))),
    },
    broken: { name: 'input.geojson', bytes: geojson([{ geometry: DEMO_SITES.bowTie }]) },
  };
}

async function publicInputs(dataDir: string): Promise<DemoInputs> {
  const inputs = path.join(dataDir, 'inputs');
  const smallSite = JSON.parse(await readFile(path.join(inputs, 'nutrients/BnW_small_under_1_hectare_geojson/BnW_small_under_1_hectare.geojson'), 'utf8')) as { features: { geometry: Geometry }[] };
  const quoteGeometry = smallSite.features[0]?.geometry;
  if (!quoteGeometry) throw new Error('the small-site GeoJSON has no feature');
  return {
    nutrient: { name: 'input.zip', bytes: await readFile(path.join(inputs, 'nutrients/BnW_small_under_1_hectare.zip')) },
    quoteGeometry: { ...quoteGeometry, ...{ crs: BNG } } as Geometry,
    gcnSite: { name: 'input.zip', bytes: await zipShapefile(path.join(inputs, 'gcn/SiteBoundaries'), 'SiteBoundary_00001') },
    gcnPonds: { name: 'ponds.zip', bytes: await zipShapefile(path.join(inputs, 'gcn/SitePonds'), 'SitePonds_00001') },
    broken: syntheticInputs().broken,
  };
}

export interface SendContext {
  sqs: SQSClient;
  s3: S3Client;
  queueUrl: string;
  bucket: string;
  developerEmail: string;
}

async function sendFileJob(ctx: SendContext, name: DemoJobName, assessmentType: 'nutrient' | 'gcn', input: FileUpload, ponds: FileUpload | null, dwellings: number, expect: DemoJob['expect'], describe: string): Promise<DemoJob> {
  const jobId = randomUUID();
  const put = async (file: FileUpload, stem: string): Promise<string> => {
    const key = `jobs/${jobId}/${stem}${path.extname(file.name)}`;
    await ctx.s3.send(new PutObjectCommand({ Bucket: ctx.bucket, Key: key, Body: file.bytes }));
    return key;
  };
  const body = {
    job_id: jobId,
    s3_input_key: await put(input, 'input'),
    developer_email: ctx.developerEmail,
    submitted_at: new Date().toISOString(),
    development_name: `Demo: ${name}`,
    dwelling_type: 'house',
    number_of_dwellings: dwellings,
    assessment_type: assessmentType,
    ...(ponds ? { s3_survey_ponds_key: await put(ponds, 'ponds') } : {}),
  };
  await ctx.sqs.send(new SendMessageCommand({ QueueUrl: ctx.queueUrl, MessageBody: JSON.stringify(body) }));
  return { name, key: `file:${jobId}`, id: jobId, kind: 'file', expect, describe };
}

async function sendQuoteJob(ctx: SendContext, geometry: Geometry): Promise<DemoJob> {
  const reference = `NRL-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  const traceId = randomUUID().replaceAll('-', '');
  const body = { reference, boundaryGeojson: { boundaryGeometryOriginal: geometry, intersectingEdps: [] }, developmentTypes: ['housing'], housingUnits: 19, peopleCount: 46, traceId };
  // nrf-backend publishes to SNS; the SQS subscription delivers the envelope (contracts.md §3).
  const envelope = {
    Type: 'Notification', MessageId: randomUUID(), TopicArn: 'arn:aws:sns:eu-west-2:000000000000:nrf_quote_estimate_request',
    Message: JSON.stringify(body), Timestamp: new Date().toISOString(), SignatureVersion: '1',
    MessageAttributes: { CorrelationId: { Type: 'String', Value: traceId } },
  };
  await ctx.sqs.send(new SendMessageCommand({ QueueUrl: ctx.queueUrl, MessageBody: JSON.stringify(envelope) }));
  return { name: 'quote job (SNS)', key: `quote:${reference}`, id: reference, kind: 'quote', expect: 'succeeded', describe: `quote ${reference}, 19 homes, inline polygon` };
}

/** Uploads the inputs and sends the four jobs; returns them in sending order. */
export async function sendDemoJobs(ctx: SendContext, dataDir: string | null): Promise<DemoJob[]> {
  const inputs = dataDir ? await publicInputs(dataDir) : syntheticInputs();
  const source = dataDir ? 'public sample' : 'synthetic site';
  return [
    await sendFileJob(ctx, 'nutrient file job', 'nutrient', inputs.nutrient, null, 1, 'succeeded', `${source} ${inputs.nutrient.name}, 1 home`),
    await sendQuoteJob(ctx, inputs.quoteGeometry),
    await sendFileJob(ctx, 'GCN survey job', 'gcn', inputs.gcnSite, inputs.gcnPonds, 10, 'succeeded', `${source} boundary + surveyed ponds`),
    await sendFileJob(ctx, 'broken boundary', 'nutrient', inputs.broken, null, 5, 'rejected', 'a bow-tie polygon (edges cross)'),
  ];
}
