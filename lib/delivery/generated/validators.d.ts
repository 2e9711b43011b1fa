// Types of the generated validators.js (scripts/generate-validators.ts); written by hand because
// the module itself is generated JavaScript.
import type { CompiledValidator, SchemaId } from '../payload-validator.js';

export declare const VALIDATORS: Record<SchemaId, CompiledValidator>;
export declare const URIS: Record<SchemaId, string>;
