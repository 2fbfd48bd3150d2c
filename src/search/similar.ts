// Query by example: a paper (or any passage) turned into a keyword query of its most telling words,
// which the engine's bm25 then weighs by rarity (title words count double), fused with the nearest
// vectors when there is an embedding model. This is what "similar papers" runs, and what the
// evaluation calls a whole-paper query.
import type { Database } from '../storage/db.ts';
import type { Paper } from '../model/paper.ts';
import { paperText, type EmbeddingSettings } from './embedding/embedder.ts';
import { vectorsOf } from './embedding/vectors.ts';
import { rankHybrid, semanticIndex } from './hybrid.ts';
import { keywordSearch, rankedPapers, type SearchFilters, type SearchHit } from './keyword.ts';
import { STOP_WORDS, words, type ParsedQuery } from './query.ts';

const MAX_WORDS = 32;

/** The passage's distinct words, most frequent first (title words weigh double), stop words out. */
export function passageQuery(text: string, title = ''): ParsedQuery {
  const counts = new Map<string, number>();
  const add = (w: string, weight: number) => {
    if (w.length < 3 || STOP_WORDS.has(w) || /^\d+$/.test(w)) return;
    counts.set(w, (counts.get(w) ?? 0) + weight);
  };
  for (const w of words(title)) add(w, 2);
  for (const w of words(text)) add(w, 1);
  const optional = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_WORDS)
    .map(([w]) => w);
  return { optional, required: [], excluded: [], categories: [] };
}

/**
 * The papers most like `paper`, the paper itself left out: hybrid (its words and its vector) when
 * there is an embedding model, by its words alone otherwise.
 */
export async function similarPapers(
  database: Database,
  embedding: EmbeddingSettings,
  paper: Paper,
  limit: number,
  filters: SearchFilters = {},
): Promise<SearchHit[]> {
  const query = passageQuery(paper.abstract, paper.title);
  const index = await semanticIndex(database, embedding);
  const id = paper.id;
  if (!index) {
    if (query.optional.length === 0) return [];
    const { hits } = await keywordSearch(database, query, filters, limit + 1);
    return hits.filter((h) => h.paper.arxivId !== paper.arxivId).slice(0, limit);
  }
  const vector = (await vectorsOf(database, index.model.id, [id])).get(id) ?? (await index.embedder.embed([paperText(paper)]))[0]!;
  const { hits } = await rankHybrid(database, index, { keywordQuery: query, vector, filters, depth: limit, excludeId: id });
  return rankedPapers(database, hits);
}
