// The demo papers a new instance starts with (`npm start`): 14 days of real arXiv listings with real
// Hugging Face upvotes, built by scripts/build-demo-data.ts. Loaded only into an empty database.
import { importPaths, type ImportSummary } from '../importer/import.ts';
import type { Database } from '../storage/db.ts';
import { countPapers } from '../storage/papers.ts';
import { projectPath } from '../util/project.ts';

export const DEMO_FILE = projectPath('src/demo/demo-papers.jsonl.gz');

/** Imports the demo papers when the database has none; returns what was imported, or null. */
export async function loadDemoData(database: Database): Promise<ImportSummary | null> {
  if ((await countPapers(database)) > 0) return null;
  return importPaths(database, [DEMO_FILE]);
}
