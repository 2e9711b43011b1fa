// The chaos run's messages: valid jobs (nutrient file jobs as GeoJSON and zipped shapefiles, quote
// jobs, GCN survey and national jobs) and about 5 % poison (bad JSON, bad schema, hostile files),
// each poison with the error code the contracts say it must be dead-lettered with.

import { randomUUID } from 'node:crypto';
import type { Polygon } from 'geojson';
import type { LocalAws } from '../../spec/support/aws.js';
import { buildRawZip } from '../../spec/input/support/raw-zip.js';
import { shapefileZip, zipFiles } from '../../spec/input/support/builders.js';
import { fileJobBody, type JobSpec } from '../lib/jobs.js';
import { geojsonFile, type BenchSite } from '../lib/sites.js';
import { seededRandom } from '../lib/stats.js';

export interface PlannedMessage {
  spec: JobSpec;
  /** Ledger key the verification looks for (null for bodies without an id). */
  key: string | null;
  kind: 'nutrient-file' | 'quote' | 'gcn-survey' | 'gcn-national' | 'poison';
  poison: { name: string; code: string } | null;
}

export interface GcnInputs {
  boundary: { ext: string; bytes: Buffer };
  ponds: { ext: string; bytes: Buffer };
}

export interface WorkloadInputs {
  fileSites: BenchSite[];
  quoteSites: Polygon[];
  gcn: GcnInputs;
}

const CRS = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } };

export function quoteBody(reference: string, polygon: Polygon, units: number): Record<string, unknown> {
  return {
    reference,
    boundaryGeojson: { boundaryGeometryOriginal: { ...polygon, crs: CRS }, intersectingEdps: [] },
    developmentTypes: ['housing'], housingUnits: units, peopleCount: units * 2,
  };
}

/** A file job whose input is uploaded by `prepare` under a fixed key (hostile or missing objects). */
function rawFileJob(label: string, key: string, email: string): { body: Record<string, unknown>; jobId: string } {
  const jobId = `poison-${randomUUID()}`;
  return { jobId, body: fileJobBody(jobId, key.replace('{id}', jobId), 'nutrient', 10, email, null) };
}

interface HostileFile { name: string; code: string; ext: string; bytes: () => Promise<Buffer> }

const SQUARE = [[[620000, 300000], [620100, 300000], [620100, 300100], [620000, 300100], [620000, 300000]]];

const HOSTILE: HostileFile[] = [
  { name: 'zip-path-traversal', code: 'zip_unsafe_path', ext: 'zip', bytes: () => Promise.resolve(buildRawZip([{ name: '../../etc/site.shp', data: Buffer.from('x') }])) },
  { name: 'zip-nested', code: 'zip_nested_zip', ext: 'zip', bytes: async () => zipFiles({ 'inner.zip': await zipFiles({ 'a.txt': 'a' }) }) },
  { name: 'zip-bomb', code: 'zip_entry_too_large', ext: 'zip', bytes: async () => zipFiles({ 'site.shp': Buffer.alloc(25 * 1024 * 1024) }) },
  { name: 'not-a-zip', code: 'invalid_zip', ext: 'zip', bytes: () => Promise.resolve(Buffer.from('this is not a zip archive at all')) },
  { name: 'zip-no-shapefile', code: 'zip_missing_shapefile', ext: 'zip', bytes: async () => zipFiles({ 'readme.txt': 'no shapes here' }) },
  { name: 'shapefile-missing-parts', code: 'zip_missing_shapefile_parts', ext: 'zip', bytes: () => shapefileZip([SQUARE], [{ id: 1 }], { omit: ['.shx'] }) },
  { name: 'unsupported-extension', code: 'unsupported_file_type', ext: 'txt', bytes: () => Promise.resolve(Buffer.from('hello')) },
  { name: 'bow-tie', code: 'self_intersecting_geometry', ext: 'geojson', bytes: () => Promise.resolve(geojsonFile([{ type: 'Polygon', coordinates: [[[620000, 300000], [620100, 300100], [620100, 300000], [620000, 300100], [620000, 300000]]] }])) },
  { name: 'point-geometry', code: 'unsupported_geometry_type', ext: 'geojson', bytes: () => Promise.resolve(Buffer.from(JSON.stringify({ type: 'FeatureCollection', crs: CRS, features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [620000, 300000] } }] }))) },
  { name: 'outside-britain', code: 'coordinates_out_of_range', ext: 'geojson', bytes: () => Promise.resolve(geojsonFile([{ type: 'Polygon', coordinates: [[[9e6, 9e6], [9e6 + 100, 9e6], [9e6 + 100, 9e6 + 100], [9e6, 9e6 + 100], [9e6, 9e6]]] }])) },
  { name: 'not-json-geojson', code: 'unreadable_geometry_file', ext: 'geojson', bytes: () => Promise.resolve(Buffer.from('{"type": "FeatureCollection", "features": [')) },
];

export interface Workload {
  messages: PlannedMessage[];
  /** Uploads hostile inputs that the poison messages name by key. */
  prepare(aws: LocalAws): Promise<void>;
}

/** `valid` jobs plus ⌈valid × 5 / 95⌉ poison messages, interleaved deterministically. */
export async function buildWorkload(inputs: WorkloadInputs, valid: number, seed = 27700): Promise<Workload> {
  const random = seededRandom(seed);
  const messages: PlannedMessage[] = [];
  let quoteNo = 100_000;
  for (let i = 0; i < valid; i += 1) {
    const roll = random();
    if (roll < 0.62) {
      const site = inputs.fileSites[i % inputs.fileSites.length] as BenchSite;
      const zipped = random() < 0.25;
      const input = zipped
        ? { ext: 'zip', bytes: await shapefileZip([site.polygon.coordinates], [{ id: i }], { stem: 'boundary' }) }
        : { ext: 'geojson', bytes: geojsonFile([site.polygon]) };
      messages.push({ spec: { kind: 'file', label: site.name, type: 'nutrient', input, dwellings: site.dwellings, email: `dev-${i}@example.com` }, key: null, kind: 'nutrient-file', poison: null });
    } else if (roll < 0.88) {
      quoteNo += 1;
      const reference = `NRL-${quoteNo}`;
      const polygon = inputs.quoteSites[i % inputs.quoteSites.length] as Polygon;
      messages.push({ spec: { kind: 'quote', label: reference, body: quoteBody(reference, polygon, 1 + (i % 40)) }, key: `quote:${reference}`, kind: 'quote', poison: null });
    } else {
      const survey = random() < 0.5;
      messages.push({
        spec: { kind: 'file', label: survey ? 'gcn-survey' : 'gcn-national', type: 'gcn', input: inputs.gcn.boundary, ...(survey ? { ponds: inputs.gcn.ponds } : {}), dwellings: 20, email: `gcn-${i}@example.com` },
        key: null, kind: survey ? 'gcn-survey' : 'gcn-national', poison: null,
      });
    }
  }
  const poisonCount = Math.ceil((valid * 5) / 95);
  const uploads: { key: string; bytes: () => Promise<Buffer> }[] = [];
  for (let p = 0; p < poisonCount; p += 1) {
    const variant = p % (HOSTILE.length + 5);
    let message: PlannedMessage;
    if (variant === 0) {
      message = { spec: { kind: 'raw', label: 'bad-json', body: `{"job_id": "broken-${p}", "s3_input_key": ` }, key: null, kind: 'poison', poison: { name: 'bad-json', code: 'invalid_message' } };
    } else if (variant === 1) {
      message = { spec: { kind: 'raw', label: 'not-an-object', body: `[${p}, "not", "a", "job"]` }, key: null, kind: 'poison', poison: { name: 'not-an-object', code: 'invalid_message' } };
    } else if (variant === 2) {
      const { jobId, body } = rawFileJob('missing-dwellings', 'jobs/{id}/input.geojson', `poison-${p}@example.com`);
      delete body.number_of_dwellings;
      message = { spec: { kind: 'raw', label: 'missing-dwellings', body: JSON.stringify(body) }, key: `file:${jobId}`, kind: 'poison', poison: { name: 'file-missing-dwellings', code: 'invalid_message' } };
    } else if (variant === 3) {
      const reference = `NRF-${900_000 + p}`;
      const body = quoteBody(reference, inputs.quoteSites[0] as Polygon, 5);
      delete body.housingUnits;
      message = { spec: { kind: 'raw', label: 'quote-missing-units', body: JSON.stringify(body) }, key: `quote:${reference}`, kind: 'poison', poison: { name: 'quote-missing-units', code: 'invalid_message' } };
    } else if (variant === 4) {
      const { jobId, body } = rawFileJob('missing-object', 'jobs/{id}/never-uploaded.geojson', `poison-${p}@example.com`);
      message = { spec: { kind: 'raw', label: 'missing-object', body: JSON.stringify(body) }, key: `file:${jobId}`, kind: 'poison', poison: { name: 'missing-object', code: 's3_download_failed' } };
    } else {
      const hostile = HOSTILE[variant - 5] as HostileFile;
      const { jobId, body } = rawFileJob(hostile.name, `jobs/{id}/input.${hostile.ext}`, `poison-${p}@example.com`);
      uploads.push({ key: String(body.s3_input_key), bytes: hostile.bytes });
      message = { spec: { kind: 'raw', label: hostile.name, body: JSON.stringify(body) }, key: `file:${jobId}`, kind: 'poison', poison: { name: hostile.name, code: hostile.code } };
    }
    // Spread the poison evenly through the queue.
    messages.splice(Math.floor(((p + 0.5) / poisonCount) * messages.length), 0, message);
  }
  return {
    messages,
    async prepare(aws) {
      for (const upload of uploads) await aws.putObject(upload.key, await upload.bytes());
    },
  };
}
