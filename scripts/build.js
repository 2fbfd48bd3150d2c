// `npm run build` (and `npm install`, through `prepare`): compiles src/ into build/src/ with esbuild,
// file by file, so `paperboy` runs plain JavaScript without tsx (bin/load.js). build/manifest.json
// records a digest of each source: once any source changes, bin/load.js runs the sources
// again until the next build. Tests and the benchmarks always run the sources.
import { rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';
import { sourceFiles } from '../bin/load.js';

const sources = sourceFiles();
const result = await build({
  entryPoints: sources.map((s) => s.path),
  outdir: 'build/src',
  outbase: 'src',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  write: false,
  logLevel: 'warning',
});
rmSync('build', { recursive: true, force: true });
// Compiled modules import each other as .js: `from './routes.ts'` becomes `from './routes.js'`.
const relativeTs = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']+?)\.tsx?\2/g;
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.text.replace(relativeTs, '$1$2$3.js$2'));
}
writeFileSync('build/manifest.json', JSON.stringify({ sources }, null, 1));
console.log(`built ${sources.length} modules into build/src`);
