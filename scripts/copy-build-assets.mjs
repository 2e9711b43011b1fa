// `npm run build` post-step: the compiled modules read some files relative to themselves
// (lib/db/migrate.ts: '../reference/migrations/'; lib/config.ts: '../package.json'), so the
// build output has to mirror them one level down, in dist/. Copies:
//   lib/**   every non-TypeScript file (the SQL migrations, any .sql/.json beside a module)
//   schemas/ the JSON Schemas, so '../../schemas/' from dist/lib/<area>/ resolves as from lib/<area>/
//   a minimal package.json (name, version, type) so SERVICE_VERSION defaults correctly
// Usage: node scripts/copy-build-assets.mjs [OUT_DIR]   (default: dist)
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const outDir = path.resolve(process.argv[2] ?? 'dist');
if (!existsSync(path.join(outDir, 'lib'))) {
  process.stderr.write(`copy-build-assets: ${outDir}/lib does not exist; run tsc first\n`);
  process.exit(1);
}

cpSync('lib', path.join(outDir, 'lib'), {
  recursive: true,
  // Directories pass (their names never end in .ts); only TypeScript sources stay behind.
  filter: (source) => !source.endsWith('.ts'),
});
if (existsSync('schemas')) cpSync('schemas', path.join(outDir, 'schemas'), { recursive: true });

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const manifest = { name: pkg.name, version: pkg.version, private: true, type: pkg.type };
writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
