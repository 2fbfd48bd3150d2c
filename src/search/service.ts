// One entry point for searching, shared by the page and the API: checks the parameters (each error
// names its parameter), parses the query and runs it.
import type { Database } from '../storage/db.ts';
import { isValidDate } from '../util/dates.ts';
import { HttpError } from '../web/errors.ts';
import { keywordSearch, MAX_COUNT, type SearchFilters, type SearchHit } from './keyword.ts';
import { parseQuery, QueryError, soughtWords, type ParsedQuery } from './query.ts';

export interface SearchParams {
  q?: string;
  from?: string;
  to?: string;
  category?: string;
  author?: string;
}

export interface SearchResult {
  query: ParsedQuery;
  hits: SearchHit[];
  total: number;
  capped: boolean;
  words: string[];
}

function bad(parameter: string, message: string): HttpError {
  return new HttpError(400, 'Invalid search', message, parameter);
}

/** Checks the filters; throws an HttpError naming the parameter at fault. */
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
    if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(category)) throw bad('category', 'category must be an arXiv category such as cs.CL, or an archive such as cs');
    filters.category = category;
  }
  const author = params.author?.trim();
  if (author) {
    if (author.length > 100) throw bad('author', 'author must be at most 100 characters');
    filters.author = author;
  }
  return filters;
}

export async function search(database: Database, params: SearchParams, limit: number, offset: number): Promise<SearchResult> {
  const filters = searchFilters(params);
  let query: ParsedQuery;
  try {
    query = parseQuery(params.q ?? '');
  } catch (err) {
    if (err instanceof QueryError) throw bad('q', err.message);
    throw err;
  }
  const { hits, total } = await keywordSearch(database, query, filters, limit, offset);
  return { query, hits, total, capped: total >= MAX_COUNT, words: soughtWords(query) };
}
