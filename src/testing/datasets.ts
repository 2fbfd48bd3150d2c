// Where the shared real datasets are (../shared/datasets from the project root, as in CI).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));

export function datasetPath(relative: string): string {
  const path = root + relative;
  if (!existsSync(path)) throw new Error(`dataset file missing: ${path} (tests read ../shared/datasets)`);
  return path;
}

/** The first `count` papers of the 74.7k arxiv-daily-cs corpus, as a JSONL file the importer takes. */
export function corpusSample(count: number): string {
  const lines = gunzipSync(readFileSync(datasetPath('arxiv-daily-cs/papers.jsonl.gz')))
    .toString('utf8')
    .split('\n', count);
  const path = join(mkdtempSync(join(tmpdir(), 'paperboy-sample-')), 'papers.jsonl');
  writeFileSync(path, lines.join('\n'));
  return path;
}
