// One entry point for searching, shared by the page and the API: checks the parameters (each error
// names its parameter), parses the query and runs it.
import { isCategory } from '../arxiv/ids.ts';
import type { Database } from '../storage/db.ts';
import { isValidDate } from '../util/dates.ts';
import { InvalidInput } from '../util/errors.ts';
import type { EmbeddingSettings } from './embedding/embedder.ts';
import { FUSION, rankHybrid, rankSemantic, SEARCH_MODES, semanticIndex, type FusionSettings, type SearchMode } from './hybrid.ts';
import { filteredRanking, keywordRanking, MAX_COUNT, rankedPapers, type SearchFilters, type SearchHit } from './keyword.ts';
import { inOtherWords, mayBeInOtherWords, type OtherWordsRequest } from './other-words.ts';
import { parseQuery, QueryError, soughtWords, type ParsedQuery } from './query.ts';

export interface SearchParams {
  q?: string;
  from?: string;
  to?: string;
  category?: string;
  author?: string;
  mode?: string;
}

export interface SearchResult {
  query: ParsedQuery;
  hits: SearchHit[];
  total: number;
  capped: boolean;
  words: string[];
  /** The ranking used: hybrid falls back to keyword while no embedding model is ready. */
  mode: SearchMode;
}

function bad(parameter: string, message: string): InvalidInput {
  return new InvalidInput('Invalid search', message, parameter);
}

/** Checks the filters; throws an InvalidInput naming the parameter at fault. */
export function searchFilters(params: SearchParams): SearchFilters {
  const filters: SearchFilters = {};
  for (const name of ['from', 'to'] as const) {
    const value = params[name]?.trim();
    if (!value) continue;
    if (!isValidDate(value)) throw bad(name, `${name} must be a date, YYYY-MM-DD`);
    filters[name] = value;
  }
  if (filters.from && filters.to && filters.from > filters.to) throw bad('to', 'to must not be before from');
  const category = params.category?.trim();
  if (category) {
    if (!isCategory(category)) throw bad('category', 'category must be an arXiv category such as cs.CL, or an archive such as cs');
    filters.category = category;
  }
  const author = params.author?.trim();
  if (author) {
    if (author.length > 100) throw bad('author', 'author must be at most 100 characters');
    filters.author = author;
  }
  return filters;
}

/** The mode asked for; throws an InvalidInput naming `mode` when it is not one. */
export function searchMode(value: string | undefined): SearchMode {
  const mode = value?.trim() || 'hybrid';
  if (!(SEARCH_MODES as string[]).includes(mode)) throw bad('mode', `mode must be one of ${SEARCH_MODES.join(', ')}`);
  return mode as SearchMode;
}

/** The query the parameters ask for, checked; throws an InvalidInput naming the parameter at fault. */
function searchRequest(params: SearchParams) {
  const filters = searchFilters(params);
  const requested = searchMode(params.mode);
  try {
    const query = parseQuery(params.q ?? '');
    return { filters, requested, query, words: soughtWords(query) };
  } catch (err) {
    if (err instanceof QueryError) throw bad('q', err.message);
    throw err;
  }
}

export async function search(
  database: Database,
  embedding: EmbeddingSettings,
  params: SearchParams,
  limit: number,
  offset: number,
  fusion: FusionSettings = FUSION,
): Promise<SearchResult> {
  const { filters, requested, query, words } = searchRequest(params);
  if (words.length === 0) {
    const { ranked, total } = await filteredRanking(database, query, filters, limit, offset);
    const hits = await rankedPapers(
      database,
      ranked.map((r) => ({ ...r, keyword: false })),
    );
    return { query, hits, total, capped: total >= MAX_COUNT, words, mode: 'keyword' };
  }
  const index = requested === 'keyword' ? null : await semanticIndex(database, embedding);
  if (requested === 'semantic' && !index) {
    throw new InvalidInput(
      'Semantic search unavailable',
      'Semantic search is not available here yet: the embedding model has not been built (paperboy embed) or the database cannot search vectors.',
      'mode',
    );
  }
  if (!index) {
    const { ranked, total } = await keywordRanking(database, query, filters, limit, { offset });
    const hits = await rankedPapers(database, ranked);
    return { query, hits, total, capped: total >= MAX_COUNT, words, mode: 'keyword' };
  }
  const [vector] = await index.embedder.embed([words.join(' ')]);
  const depth = Math.min(MAX_COUNT, offset + limit);
  const request = { keywordQuery: query, vector: vector!, filters, depth, count: true };
  const ranking =
    requested === 'semantic' ? await rankSemantic(database, index, request) : await rankHybrid(database, index, request, fusion);
  const hits = await rankedPapers(database, ranking.hits.slice(offset, offset + limit));
  return { query, hits, total: ranking.total, capped: ranking.capped, words, mode: requested };
}

/**
 * Papers on the topic of the search that use none of its words (other-words.ts): the search page
 * loads them beside its results. None when words only are asked for, or when semantic search is off.
 */
export async function searchOtherWords(
  database: Database,
  embedding: EmbeddingSettings,
  params: SearchParams,
  request: OtherWordsRequest,
): Promise<{ words: string[]; hits: SearchHit[] }> {
  const { filters, requested, query, words } = searchRequest(params);
  const index = requested === 'keyword' || !mayBeInOtherWords(query, words) ? null : await semanticIndex(database, embedding);
  if (!index) return { words, hits: [] };
  const [vector] = await index.embedder.embed([words.join(' ')]);
  return { words, hits: await inOtherWords(database, index, query, words, vector!, filters, request) };
}
