// The fakes' own Ajv over the shipped schemas/ files: deliberately independent of
// lib/delivery/schemas.ts, so a fault in the worker's validator cannot hide in the fake too.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from '../data.js';
import { useDecimalMultipleOf } from '../../../lib/delivery/decimal-keyword.js';

type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats));

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? schemaFiles(full) : name.endsWith('.schema.json') ? [full] : [];
  });
}

/** Compiles every file under schemas/ and returns a getter by path relative to schemas/. */
export function loadShippedSchemas(dir: string = path.join(REPO_ROOT, 'schemas')): (relative: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true, multipleOfPrecision: 9, allowUnionTypes: true });
  addFormats(ajv);
  // Same decimal semantics as nrf-backend's Joi precision(2) (docs/decisions.md).
  useDecimalMultipleOf(ajv);
  const ids = new Map<string, string>();
  for (const file of schemaFiles(dir)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id: string };
    ajv.addSchema(schema);
    ids.set(path.relative(dir, file).split(path.sep).join('/'), schema.$id);
  }
  return (relative) => {
    const id = ids.get(relative);
    const fn = id ? ajv.getSchema(id) : undefined;
    if (!fn) throw new Error(`no shipped schema ${relative}`);
    return fn;
  };
}
