// An author's papers, for their page and feeds. The engine's author index finds the candidates
// (papers with every word of the name among their authors); the exact name, compared without case
// and accents, decides. Newest first.
import { sql } from 'kysely';
import type { Database } from '../storage/db.ts';
import { selectPapers, toPaper } from '../storage/papers.ts';
import type { Paper } from '../model/paper.ts';
import { constrainedPapers } from './keyword.ts';
import { words } from './query.ts';

/** Candidates read before the exact-name check: enough for the most prolific authors of a large instance. */
const MAX_CANDIDATES = 5_000;

/** The same name, whatever its case, accents, spacing or punctuation (the index's words). */
function sameAuthor(a: string, b: string): boolean {
  return words(a).join(' ') === words(b).join(' ');
}

export async function authorPapers(database: Database, name: string, limit: number): Promise<{ papers: Paper[]; total: number }> {
  const candidates = constrainedPapers(database, { optional: [], required: [], excluded: [], categories: [] }, { author: name });
  if (!candidates) return { papers: [], total: 0 };
  const rows = await selectPapers(database.db)
    .where('paper.id', 'in', candidates)
    .orderBy(sql`paper.published_at IS NULL`)
    .orderBy('paper.published_at', 'desc')
    .orderBy('paper.arxiv_id', 'desc')
    .limit(MAX_CANDIDATES)
    .execute();
  const papers = rows.map(toPaper).filter((p) => p.authors.some((a) => sameAuthor(a, name)));
  return { papers: papers.slice(0, limit), total: papers.length };
}
