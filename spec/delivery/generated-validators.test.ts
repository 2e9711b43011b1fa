// The worker's precompiled validators (lib/delivery/generated/validators.js) against the schemas
// they come from: the checked-in module is exactly what the generator makes of schemas/ today, and
// on the contract fixtures and mutations of them it answers as Ajv compiling the same files does,
// violation for violation.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/data.js';
import { compilePayloadValidator, generateValidatorsModule } from '../../lib/delivery/schema-compiler.js';
import { ALL_SCHEMA_IDS, payloadValidator, type SchemaId } from '../../lib/delivery/schemas.js';
import { buildQuotePatch } from '../../lib/delivery/quote-patch.js';
import { buildAssessmentResults } from '../../lib/delivery/result-document.js';
import { COMPLETED_NUTRIENT_DOCUMENT, QUOTE_PATCH_INPUT, REJECTED_GCN_DOCUMENT } from '../fixtures/contracts/examples.js';

const GENERATED = path.join(REPO_ROOT, 'lib/delivery/generated/validators.js');
const NEGATIVE = path.join(REPO_ROOT, 'spec/fixtures/contracts/negative');

/** Every value of a document with each leaf replaced in turn by a wrong one: strings, numbers, nulls. */
function* mutations(doc: unknown): Generator<unknown> {
  const json = JSON.stringify(doc);
  const walk = function* (node: unknown, pathKeys: (string | number)[]): Generator<(string | number)[]> {
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) yield* walk(v, [...pathKeys, Array.isArray(node) ? Number(k) : k]);
    } else {
      yield pathKeys;
    }
  };
  for (const keys of walk(doc, [])) {
    for (const replacement of ['x', -1, 12.345, null, 1234567.891]) {
      const copy = JSON.parse(json) as Record<string | number, unknown>;
      let parent: Record<string | number, unknown> = copy;
      for (const k of keys.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      parent[keys.at(-1)!] = replacement;
      yield copy;
    }
  }
}

describe('precompiled payload validators', () => {
  test('the checked-in module is what `npm run generate:validators` makes of schemas/ now', () => {
    assert.equal(readFileSync(GENERATED, 'utf8'), generateValidatorsModule(), 'lib/delivery/generated/validators.js is stale: run `npm run generate:validators`');
  });

  test('every schema id has a precompiled function and the URI Ajv gives it', () => {
    const compiled = compilePayloadValidator();
    for (const id of ALL_SCHEMA_IDS) assert.equal(payloadValidator.uriOf(id), compiled.uriOf(id), id);
  });

  test('precompiled and Ajv-compiled validators agree on the contract fixtures and their mutations', () => {
    const compiled = compilePayloadValidator();
    const cases: [SchemaId, unknown][] = [
      ['callbacks/quote-patch', buildQuotePatch(QUOTE_PATCH_INPUT)],
      ['callbacks/assessment-results', buildAssessmentResults(COMPLETED_NUTRIENT_DOCUMENT)],
      ['callbacks/assessment-results', buildAssessmentResults(REJECTED_GCN_DOCUMENT)],
      ...readdirSync(NEGATIVE).map((f): [SchemaId, unknown] => ['callbacks/quote-patch', JSON.parse(readFileSync(path.join(NEGATIVE, f), 'utf8'))]),
    ];
    let invalid = 0;
    let checked = 0;
    for (const [id, doc] of cases) {
      for (const body of [doc, ...mutations(doc)]) {
        const expected = compiled.validate(id, body);
        assert.deepEqual(payloadValidator.validate(id, body), expected, `${id}: ${JSON.stringify(body).slice(0, 200)}`);
        checked += 1;
        if (!expected.valid) invalid += 1;
      }
    }
    // The mutations must exercise the failure paths, not only the valid one.
    assert.ok(invalid > checked / 2, `${invalid} of ${checked} bodies invalid`);
  });
});
