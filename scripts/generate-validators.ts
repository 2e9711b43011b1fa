// Writes lib/delivery/generated/validators.js: the worker's JSON Schema validators precompiled
// from schemas/ (lib/delivery/schema-compiler.ts). Run after changing a schema:
//   npm run generate:validators
// spec/delivery/generated-validators.test.ts fails while the file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateValidatorsModule } from '../lib/delivery/schema-compiler.js';

const target = fileURLToPath(new URL('../lib/delivery/generated/validators.js', import.meta.url));
const source = generateValidatorsModule();
writeFileSync(target, source);
process.stdout.write(`wrote ${target} (${source.length} bytes)\n`);
