// What people type in the search box, parsed once into a structure each backend compiles for itself.
//   kv cache compression        words: any may match, more matches rank higher
//   "mixture of experts"        a phrase, required
//   -survey                     excluded
//   ti:diffusion  au:"yann lecun"  cat:cs.CL   field-restricted (title, authors) or a category filter
// Only letters and digits reach a search engine (each backend quotes them itself), so FTS syntax,
// SQL-looking text and stray quotes in the input are plain words, never syntax.
import { extractArxivId, isCategory } from '../arxiv/ids.ts';

export type Field = 'any' | 'title' | 'authors';

export interface Clause {
  field: Field;
  words: string[]; // a phrase when more than one
}

export interface ParsedQuery {
  optional: string[]; // plain words
  required: Clause[]; // phrases and field-restricted words
  excluded: Clause[];
  categories: string[];
}

export class QueryError extends Error {}

export const MAX_QUERY_LENGTH = 2_000; // a pasted abstract fits
const MAX_CLAUSES = 32;
const FIELDS: Record<string, Field | 'category'> = { ti: 'title', au: 'authors', cat: 'category' };

// Common English words that say nothing about a paper; dropped from the optional words only.
export const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have how in into is it its of on or our that the their this to using via was we what when which with without'.split(
    ' ',
  ),
);

// The words of a question or a request ("why do…", "how can I make…", "papers about…", "what is…"):
// they say what the reader wants done, not what the paper is about, so like stop words they are never
// searched for. Otherwise "how to make LLM inference cheaper" ranks papers about making things, and a
// question of common words would require its rarest, "make".
export const QUESTION_WORDS = new Set(
  'why who whom whose where do does did doing done can could should would will may might must shall were been being am make makes making made get gets getting got find finding show me my i you your there some any anything something thing things stuff way ways up papers paper articles article research studies study recent latest new best good about explain tell'.split(
    ' ',
  ),
);

/**
 * Letters and digits, lower-cased, Latin accents folded (both indexes fold them too): the only part
 * of the input a search engine sees.
 */
export function words(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase();
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** An arXiv id or URL typed in the box: the reader wants that paper, not a search. */
export function arxivIdIn(text: string): string | null {
  return extractArxivId(text.trim())?.id ?? null;
}

export function parseQuery(text: string): ParsedQuery {
  if (text.length > MAX_QUERY_LENGTH) throw new QueryError(`The search is too long: keep it under ${MAX_QUERY_LENGTH} characters.`);
  const parsed: ParsedQuery = { optional: [], required: [], excluded: [], categories: [] };
  // A term: optional '-', optional field prefix, then a "quoted phrase" (closing quote optional) or a bare word.
  const term = /(-?)(?:(ti|au|cat):)?(?:"([^"]*)"?|(\S+))/gi;
  for (const m of text.matchAll(term)) {
    const [, minus, prefix, quoted, bare] = m;
    const field = prefix ? FIELDS[prefix.toLowerCase()]! : 'any';
    if (field === 'category') {
      const category = (quoted ?? bare ?? '').trim();
      if (isCategory(category)) parsed.categories.push(category);
      else throw new QueryError(`“${category.slice(0, 40)}” is not an arXiv category such as cs.CL.`);
      continue;
    }
    const found = words(quoted ?? bare ?? '');
    if (found.length === 0) continue;
    const clause = { field, words: found };
    if (minus) parsed.excluded.push(clause);
    else if (field !== 'any' || quoted !== undefined) parsed.required.push(clause);
    else parsed.optional.push(...found);
  }
  const common = parsed.optional.length > 0;
  // Long questions and pasted abstracts are fine: their first distinct meaningful words are searched.
  parsed.optional = [...new Set(parsed.optional.filter((w) => !STOP_WORDS.has(w) && !QUESTION_WORDS.has(w)))].slice(0, MAX_CLAUSES);
  const restricted = parsed.required.length + parsed.excluded.length;
  if (restricted > MAX_CLAUSES || [...parsed.required, ...parsed.excluded].some((c) => c.words.length > MAX_CLAUSES)) {
    throw new QueryError(`The search has too many phrases or restricted terms: use at most ${MAX_CLAUSES}.`);
  }
  // `cat:cs.CL` alone browses the category, newest first.
  if (parsed.optional.length === 0 && parsed.required.length === 0 && parsed.categories.length === 0) {
    if (parsed.excluded.length) throw new QueryError('Say what to look for, not only what to leave out.');
    throw new QueryError(
      common ? 'Those words are too common to search for: add a more specific one, or "quote a phrase".' : 'Type some words to search for.',
    );
  }
  return parsed;
}

/** The words a result is highlighted by: everything looked for, nothing excluded. */
export function soughtWords(query: ParsedQuery): string[] {
  return [...new Set([...query.optional, ...query.required.flatMap((c) => c.words)])];
}
