// JSON Schema validation of every payload the worker sends or accepts (contracts.md §8.4): Ajv in
// strict mode for draft 2020-12, all errors, multipleOf precision 9, ajv-formats. `multipleOf` is
// checked on decimal digits (decimal-multiple.ts), because the float check refuses valid amounts
// above £1M. The fake backend loads the very same files, so a contract mismatch fails tests the
// way production would.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { useDecimalMultipleOf } from './decimal-multiple.js';

/** Logical schema ids: the file under schemas/ without `.schema.json`, optionally `#definition`. */
export const SCHEMA_FILES = {
  'messages/file-job': 'messages/file-job.schema.json',
  'messages/quote-job': 'messages/quote-job.schema.json',
  'callbacks/quote-patch': 'callbacks/quote-patch.schema.json',
  'callbacks/assessment-results': 'callbacks/assessment-results.schema.json',
  'notify/personalisation': 'notify/personalisation.schema.json',
} as const;

export type SchemaFileId = keyof typeof SCHEMA_FILES;
export type SchemaId = SchemaFileId | 'notify/personalisation#completed' | 'notify/personalisation#rejected' | 'notify/personalisation#failed';

export interface SchemaViolation {
  /** JSON Pointer into the payload (`/edps/0/levyGbp/modelVersion`), `/` for the root. */
  path: string;
  keyword: string;
  message: string;
}

export type ValidationResult = { valid: true } | { valid: false; violations: SchemaViolation[] };

export interface PayloadValidator {
  validate(schemaId: SchemaId, body: unknown): ValidationResult;
  /** The `$id` URI of a logical schema id (for errors and the fake's 400 bodies). */
  uriOf(schemaId: SchemaId): string;
}

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats));

/** Finds `schemas/` next to the sources or the build (lib/… and dist/lib/… both work). */
export function findSchemasDir(start: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'schemas');
    if (existsSync(path.join(candidate, SCHEMA_FILES['callbacks/quote-patch']))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`schemas/ directory not found above ${start}`);
}

function toViolations(errors: ErrorObject[] | null | undefined): SchemaViolation[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath === '' ? '/' : e.instancePath,
    keyword: e.keyword,
    message: e.keyword === 'additionalProperties'
      ? `must NOT have additional property ${JSON.stringify((e.params as { additionalProperty?: string }).additionalProperty)}`
      : e.message ?? 'is invalid',
  }));
}

/** Compiles every shipped schema once; validators are immutable after construction. */
export function createPayloadValidator(schemasDir: string = findSchemasDir()): PayloadValidator {
  const ajv = new Ajv2020({ strict: true, allErrors: true, multipleOfPrecision: 9, allowUnionTypes: true });
  addFormats(ajv);
  useDecimalMultipleOf(ajv);
  const uris = new Map<SchemaFileId, string>();
  for (const [id, file] of Object.entries(SCHEMA_FILES) as [SchemaFileId, string][]) {
    const schema = JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8')) as { $id: string };
    ajv.addSchema(schema);
    uris.set(id, schema.$id);
  }
  const compiled = new Map<SchemaId, ValidateFunction>();
  const uriOf = (schemaId: SchemaId): string => {
    const [file, definition] = schemaId.split('#') as [SchemaFileId, string | undefined];
    const uri = uris.get(file);
    if (!uri) throw new Error(`unknown schema ${schemaId}`);
    return definition ? `${uri}#/$defs/${definition}` : uri;
  };
  for (const id of [...Object.keys(SCHEMA_FILES), 'notify/personalisation#completed', 'notify/personalisation#rejected', 'notify/personalisation#failed'] as SchemaId[]) {
    const fn = ajv.getSchema(uriOf(id));
    if (!fn) throw new Error(`schema ${id} did not compile`);
    compiled.set(id, fn);
  }
  return {
    uriOf,
    validate(schemaId, body) {
      const fn = compiled.get(schemaId);
      if (!fn) throw new Error(`unknown schema ${schemaId}`);
      return fn(body) ? { valid: true } : { valid: false, violations: toViolations(fn.errors) };
    },
  };
}

// Compiling the schemas costs tens of milliseconds, so the default validator is built on first use
// and then reused; it holds no state that changes after construction.
let defaultValidator: PayloadValidator | undefined;

/** Validates a payload against a shipped schema with the process-wide (immutable) validator. */
export function validatePayload(schemaId: SchemaId, body: unknown): ValidationResult {
  defaultValidator ??= createPayloadValidator();
  return defaultValidator.validate(schemaId, body);
}
