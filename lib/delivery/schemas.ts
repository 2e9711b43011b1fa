// JSON Schema validation of every payload the worker sends or accepts (contracts.md §8.4): Ajv in
// strict mode for draft 2020-12, all errors, ajv-formats, and `multipleOf` checked on decimal
// digits (decimal-multiple.ts), because the float check refuses valid amounts above £1M. The
// worker runs validators precompiled from schemas/ (lib/delivery/generated/validators.js, made by
// scripts/generate-validators.ts through schema-compiler.ts), so it never loads Ajv's compiler.
// The fake backend compiles the very same files itself, so a contract mismatch fails tests the
// way production would.

import { URIS, VALIDATORS } from './generated/validators.js';
import { validatorFrom, type PayloadValidator, type SchemaId, type ValidationResult } from './payload-validator.js';

export { ALL_SCHEMA_IDS, SCHEMA_FILES, validatorFrom, type CompiledValidator, type PayloadValidator, type SchemaFileId, type SchemaId, type SchemaViolation, type ValidationResult } from './payload-validator.js';

/** The worker's validator: the precompiled functions; immutable, shared by the process. */
export const payloadValidator: PayloadValidator = validatorFrom(VALIDATORS, URIS);

/** Validates a payload against a shipped schema with the precompiled validators. */
export function validatePayload(schemaId: SchemaId, body: unknown): ValidationResult {
  return payloadValidator.validate(schemaId, body);
}
