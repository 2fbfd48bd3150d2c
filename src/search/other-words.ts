// Papers on a search's topic that never use its words. Ranked by the words, a topic query
// ("compression", "alignment") fills every page with papers that say the word, thousands of them,
// and the built-in model puts those nearest too, since its vector for one word is mostly that word's.
// Yet papers on quantization, pruning or distillation are on compression without saying it. So the
// search page shows a few papers near the topic's centre, the mean vector of the papers nearest the
// query, among the papers that have none of its words (and pass its filters), each standing out
// from papers at random (relevance.ts) by OTHER_WORDS_Z, or none is shown.
import type { Database } from '../storage/db.ts';
import { normalize } from './embedding/builtin.ts';
import { nearest } from './embedding/nearest.ts';
import { relevanceFloor } from './embedding/relevance.ts';
import { vectorsOf } from './embedding/vectors.ts';
import { semanticRestriction, type SemanticIndex } from './hybrid.ts';
import { rankedPapers, type SearchFilters, type SearchHit } from './keyword.ts';
import type { ParsedQuery } from './query.ts';

/** The topic's centre is the mean of this many nearest papers: a page of them, so that no single paper decides it. */
const TOPIC_PAPERS = 20;
/** Fewer relevant papers than this and there is no topic to speak of. */
const MIN_TOPIC_PAPERS = 5;
/**
 * How far above papers at random a paper must stand from the topic's centre, in standard deviations.
 * Chosen by `npm run eval:search` leaving one topic of bench/topics.json out at a time: every fold
 * chose 3.5. The 4 a semantic result must reach from the query showed nothing for "compression" and
 * "alignment", whose nearest papers without the word stand 3.6-4 deviations out (docs/search.md).
 */
export const OTHER_WORDS_Z = 3.5;

export interface OtherWordsRequest {
  limit: number;
  z?: number;
}

/** A longer query's words, all left out, rule out most of the papers on its topic. */
const MAX_WORDS = 3;

/** Whether the query can have papers in other words: not with phrases or fields (their words are required, so cannot be left out), nor more than MAX_WORDS words. */
export function mayBeInOtherWords(query: ParsedQuery, words: string[]): boolean {
  return query.required.length === 0 && words.length > 0 && words.length <= MAX_WORDS;
}

/** Up to `limit` papers near the topic of `query` that use none of `words` (a query mayBeInOtherWords). */
export async function inOtherWords(
  database: Database,
  index: SemanticIndex,
  query: ParsedQuery,
  words: string[],
  vector: Float32Array,
  filters: SearchFilters,
  { limit, z = OTHER_WORDS_Z }: OtherWordsRequest,
): Promise<SearchHit[]> {
  const [near, floor] = await Promise.all([
    nearest(database, index.model, vector, TOPIC_PAPERS, semanticRestriction(database, query, filters)),
    relevanceFloor(database, index.model, vector),
  ]);
  const topic = near.filter((r) => r.score >= floor).map((r) => r.id);
  if (topic.length < MIN_TOPIC_PAPERS) return [];
  const vectors = [...(await vectorsOf(database, index.model.id, topic)).values()];
  const centre = new Float32Array(vector.length);
  for (const v of vectors) for (let i = 0; i < centre.length; i++) centre[i]! += v[i]!;
  normalize(centre);
  const unworded: ParsedQuery = { ...query, excluded: [...query.excluded, ...words.map((w) => ({ field: 'any' as const, words: [w] }))] };
  const [found, centreFloor] = await Promise.all([
    nearest(database, index.model, centre, limit, semanticRestriction(database, unworded, filters)),
    relevanceFloor(database, index.model, centre, z),
  ]);
  return rankedPapers(
    database,
    found.filter((r) => r.score >= centreFloor).map((r) => ({ ...r, keyword: false, semantic: true })),
  );
}
