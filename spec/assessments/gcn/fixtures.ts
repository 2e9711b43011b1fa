// The public GCN fixtures, read in place through the production readers and loader: the
// boundary and survey ponds via lib/input, reference layers via lib/reference (the template
// database already holds one active version of each).

import { loadConfig, type InputLimits } from '../../../lib/config.js';
import type { Sql } from '../../../lib/db/sql.js';
import type { Site, SurveyPond, InputWarning } from '../../../lib/geo/types.js';
import { readBoundaryFromPath, readSurveyPonds } from '../../../lib/input/index.js';
import { loadReferenceFiles } from '../../../lib/reference/loader.js';
import { sharedPath } from '../../support/data.js';

export const SURVEY_BOUNDARY = (): string => sharedPath('inputs/gcn/SiteBoundaries/SiteBoundary_00001.shp');
export const SURVEY_PONDS = (): string => sharedPath('inputs/gcn/SitePonds/SitePonds_00001.shp');

/** The default input limits, as the configuration schema states them. */
export function defaultLimits(): InputLimits {
  return loadConfig({ AWS_S3_INPUT_BUCKET: 'spec', BACKEND_BASE_URL: 'http://127.0.0.1:9' }, { role: 'cli', optional: ['SQS_QUEUE_URL'] }).input;
}

/** Loads the fixture GeoPackage of `table` as a new version through the reference loader. */
export async function loadFixtureLayer(sql: Sql, table: 'gcn_risk_zones' | 'edp_edges', activate = true): Promise<number> {
  const [report] = await loadReferenceFiles(sql, [sharedPath('reference', `${table}.gpkg`)], { activate });
  if (!report || !report.qcPassed) throw new Error(`fixture ${table} did not load cleanly`);
  return report.version;
}

export async function surveySites(sql: Sql): Promise<Site[]> {
  const result = await readBoundaryFromPath(SURVEY_BOUNDARY(), { sql, keepAttributes: true, signal: AbortSignal.timeout(60_000), limits: defaultLimits() });
  return result.sites;
}

export async function surveyPonds(): Promise<{ ponds: SurveyPond[]; warnings: InputWarning[] }> {
  const result = await readSurveyPonds(SURVEY_PONDS(), { signal: AbortSignal.timeout(60_000), limits: defaultLimits() });
  return { ponds: result.ponds, warnings: result.warnings };
}
