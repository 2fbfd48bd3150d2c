// The project's folder (the one with package.json), whether the code runs from src/ through tsx or
// compiled into build/ (`npm run build`, bin/load.js): files that live beside the code (migrations,
// static files, the docs, the demo data) are found from here, never from a module's own place.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function findRoot(from: URL): URL {
  for (let dir = from; ; dir = new URL('../', dir)) {
    if (existsSync(fileURLToPath(new URL('package.json', dir)))) return dir;
    if (dir.pathname === '/') throw new Error(`no package.json above ${fileURLToPath(from)}`);
  }
}

const PROJECT_ROOT = findRoot(new URL('./', import.meta.url));

/** A file or folder (ending in /) of the project, by its path from the project's folder. */
export function projectFile(path: string): URL {
  return new URL(path, PROJECT_ROOT);
}

/** The same, as a file-system path. */
export function projectPath(path: string): string {
  return fileURLToPath(projectFile(path));
}

/** The installed version, as package.json says: what `--version` prints and ingest's User-Agent names. */
export const VERSION = (JSON.parse(readFileSync(projectFile('package.json'), 'utf8')) as { version: string }).version;
