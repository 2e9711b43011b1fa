// The schema ids the worker validates against and the validator shape shared by the precompiled
// validators (schemas.ts) and validators Ajv compiles at run time (schema-compiler.ts).

import type { ErrorObject } from 'ajv/dist/2020.js';

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

/** Every id a payload is validated against: the files, then the personalisation definitions. */
export const ALL_SCHEMA_IDS: readonly SchemaId[] = [
  ...(Object.keys(SCHEMA_FILES) as SchemaFileId[]),
  'notify/personalisation#completed', 'notify/personalisation#rejected', 'notify/personalisation#failed',
];

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

function toViolations(errors: readonly ErrorObject[] | null | undefined): SchemaViolation[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath === '' ? '/' : e.instancePath,
    keyword: e.keyword,
    message: e.keyword === 'additionalProperties'
      ? `must NOT have additional property ${JSON.stringify((e.params as { additionalProperty?: string }).additionalProperty)}`
      : e.message ?? 'is invalid',
  }));
}

/** A validate function as Ajv makes it, compiled now or precompiled: errors of the last call. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly ErrorObject[] | null;
}

/** Wraps one validate function per schema id (precompiled or compiled by Ajv) as a validator. */
export function validatorFrom(functions: Record<SchemaId, CompiledValidator>, uris: Record<SchemaId, string>): PayloadValidator {
  return {
    uriOf(schemaId) {
      const uri = uris[schemaId];
      if (!uri) throw new Error(`unknown schema ${schemaId}`);
      return uri;
    },
    validate(schemaId, body) {
      const fn = functions[schemaId];
      if (!fn) throw new Error(`unknown schema ${schemaId}`);
      return fn(body) ? { valid: true } : { valid: false, violations: toViolations(fn.errors) };
    },
  };
}
