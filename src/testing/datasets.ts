// Where the shared real datasets are (../shared/datasets from the project root, as in CI).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));

export function datasetPath(relative: string): string {
  const path = root + relative;
  if (!existsSync(path)) throw new Error(`dataset file missing: ${path} (tests read ../shared/datasets)`);
  return path;
}
