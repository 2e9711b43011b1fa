// gcn.md §10.4 U5–U7: the survey file checks, through the production reader (lib/input) and, for
// the TmpImp default, on into the assessment document.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTemplate, type TestDatabase } from '../../support/pg.js';
import { readSurveyPonds } from '../../../lib/input/index.js';
import { runGcnAssessment } from '../../../lib/assessments/gcn/run.js';
import { JobError } from '../../../lib/errors.js';
import { defaultLimits } from './fixtures.js';
import { gcnConfig, insertLayer, ORIGIN, RAG_ZONES, resetGcnLayers, site, square, WIDE_EDGE } from './helpers.js';

const BNG = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } };

function pondsFile(properties: Record<string, unknown>[]): { name: string; bytes: Buffer } {
  const features = properties.map((p, i) => ({ type: 'Feature', properties: p, geometry: { type: 'Point', coordinates: [ORIGIN[0] + 25 + i, ORIGIN[1] + 25] } }));
  return { name: 'ponds.geojson', bytes: Buffer.from(JSON.stringify({ type: 'FeatureCollection', crs: BNG, features })) };
}

const read = (properties: Record<string, unknown>[]) => readSurveyPonds(pondsFile(properties), { signal: new AbortController().signal, limits: defaultLimits() });

async function rejection(properties: Record<string, unknown>[]): Promise<JobError> {
  try {
    await read(properties);
  } catch (error) {
    assert.ok(error instanceof JobError, String(error));
    return error;
  }
  assert.fail('the survey file was accepted');
}

describe('survey ponds file (gcn.md §10.4 U5–U7)', () => {
  let db: TestDatabase;
  before(async () => { db = await cloneTemplate(); });
  after(async () => { await db.drop(); });

  test('U5 no PANS column → invalid_survey_ponds missing_pans_column', async () => {
    const error = await rejection([{ TmpImp: 'F' }]);
    assert.equal(error.code, 'invalid_survey_ponds');
    assert.equal(error.kind, 'input');
    assert.equal(error.detail.reason, 'missing_pans_column');
  });

  test('U6 bad PANS, bad TmpImp or null PANS → the value reason, with the feature index', async () => {
    for (const [props, reason, index] of [
      [[{ PANS: 'P', TmpImp: 'F' }, { PANS: 'X', TmpImp: 'F' }], 'invalid_pans_value', 1],
      [[{ PANS: 'P', TmpImp: 'Y' }], 'invalid_tmpimp_value', 0],
      [[{ PANS: 'A', TmpImp: 'F' }, { PANS: 'A', TmpImp: 'F' }, { PANS: null, TmpImp: 'F' }], 'invalid_pans_value', 2],
    ] as const) {
      const error = await rejection(props as unknown as Record<string, unknown>[]);
      assert.equal(error.code, 'invalid_survey_ponds');
      assert.equal(error.detail.reason, reason);
      const offenders = error.detail.offenders as { feature_index: number }[];
      assert.equal(offenders[0]?.feature_index, index);
    }
  });

  test('U7 no TmpImp column → every pond F and gcn_tmpimp_defaulted in the document', async () => {
    const { ponds, warnings } = await read([{ PANS: 'P' }, { PANS: 'A' }]);
    assert.deepEqual(ponds.map((p) => p.tmpImp), ['F', 'F']);
    await resetGcnLayers(db.sql);
    await insertLayer(db.sql, 'gcn_risk_zones', 1, RAG_ZONES);
    await insertLayer(db.sql, 'edp_edges', 1, [WIDE_EDGE]);
    const doc = await runGcnAssessment({ rlb: [site(square(0, 100, 0, 100))], surveyPonds: ponds, surveyWarnings: warnings, uniqueRef: 'U7', config: gcnConfig(), sql: db.sql, signal: new AbortController().signal });
    assert.deepEqual(doc.warnings.map((w) => [w.code, w.count]), [['gcn_tmpimp_defaulted', 2]]);
    assert.deepEqual(doc.pond_frequency.map((r) => `${r.PANS}|${r.TmpImp}`).sort(), ['A|F', 'P|F']);
  });
});
