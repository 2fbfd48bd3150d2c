// Loads one of the project's TypeScript modules: compiled, from build/, when `npm run build` (which
// `npm install` runs) made it from the sources as they are now; else from src/ through tsx, so an
// edited source file is what runs, build or no build. Compiled code starts faster and each process
// holds about 50 MB less (tsx's compiler thread and transformed sources), which counts once per
// server worker.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);

/**
 * Every source file that is compiled, with a digest of its text: what build/manifest.json records.
 * Digests, not modification times, which copies (a container image's layers) do not always keep.
 */
export function sourceFiles() {
  const src = fileURLToPath(new URL('src/', root));
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith('testing/'))
    .sort()
    .map((f) => ({
      path: `src/${f}`,
      sha1: createHash('sha1')
        .update(readFileSync(`${src}${f}`))
        .digest('base64'),
    }));
}

function buildIsCurrent() {
  if (process.env.PAPERBOY_FROM_SOURCE) return false;
  try {
    const manifest = JSON.parse(readFileSync(new URL('build/manifest.json', root), 'utf8'));
    return JSON.stringify(manifest.sources) === JSON.stringify(sourceFiles());
  } catch {
    return false;
  }
}

/** Imports `src/….ts` (a path from the project's folder), compiled or through tsx. */
export async function load(source) {
  if (buildIsCurrent()) return import(new URL(`build/${source.replace(/\.tsx?$/, '.js')}`, root).href);
  const { register } = await import('tsx/esm/api');
  // The project's tsconfig wherever the command is run from (a service's working directory is
  // seldom the clone): without it tsx would not know how to compile the pages' JSX.
  register({ tsconfig: fileURLToPath(new URL('tsconfig.json', root)) });
  return import(new URL(source, root).href);
}
