// The decimal `multipleOf` as an Ajv keyword (docs/decisions.md, "multipleOf"): the same keyword
// name and the same errors as Ajv's own, with the check of decimal-multiple.ts. Kept apart from
// that module so the worker's precompiled validators import the check without loading Ajv.

import { _, str, Name, type Ajv2020, type CodeKeywordDefinition, type KeywordCxt } from 'ajv/dist/2020.js';
import { isDecimalMultiple } from './decimal-multiple.js';

/**
 * Name the generated validators module imports `isDecimalMultiple` under. Precompiled
 * (standalone) validators cannot carry a function reference, only code, so the keyword names its
 * check both ways: `ref` for validators compiled at run time, `code` for the generated module
 * (scripts/generate-validators.ts adds the matching import).
 */
export const DECIMAL_MULTIPLE_IMPORT = 'isDecimalMultiple';

/** Replaces Ajv's built-in `multipleOf` with the decimal check above (same keyword, same errors). */
export function useDecimalMultipleOf(ajv: Ajv2020): Ajv2020 {
  ajv.removeKeyword('multipleOf');
  const definition: CodeKeywordDefinition = {
    keyword: 'multipleOf',
    type: 'number',
    schemaType: 'number',
    error: {
      message: ({ schemaCode }) => str`must be multiple of ${schemaCode}`,
      params: ({ schemaCode }) => _`{multipleOf: ${schemaCode}}`,
    },
    code(cxt: KeywordCxt) {
      const check = cxt.gen.scopeValue('func', { ref: isDecimalMultiple, code: _`${new Name(DECIMAL_MULTIPLE_IMPORT)}` });
      cxt.fail(_`!${check}(${cxt.data}, ${cxt.schemaCode})`);
    },
  };
  ajv.addKeyword(definition);
  return ajv;
}
