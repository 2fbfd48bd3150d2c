// bm25 over every word of a query, for the few papers hybrid search's keyword list holds. That list
// is found by the query's telling words only (keyword.ts: words in many papers would have the engine
// score most of the corpus), and ranked by them alone a passage's best matches were ordered by a
// handful of rare words. So its papers are scored again here as FTS5 scores them (the formula and
// field weights of migration 0004, which PostgreSQL's follows): a hundred papers' words cost a
// search about 3 ms, where the engine would read every posting of the common words. What it changed
// on the benchmarks is in docs/search.md.
// How many papers hold each word comes from the engine; for words in many papers SQLite stops
// counting (keyword/sqlite.ts), so those are estimated from a sample of the papers, kept an hour.
import { isTerm, stemOf, terms } from './embedding/builtin.ts';
import { words } from './query.ts';

const K1 = 1.2;
const B = 0.75;
/** Field weights, as the engines weigh them: a word in the title counts five times, in the authors twice. */
const WEIGHTS = { title: 5, authors: 2, abstract: 1 } as const;

export interface PaperText {
  title: string;
  abstract: string;
  authors: string[];
}

/** What a sample of the papers says: how many of them hold each stem, and their mean length in words. */
export interface WordSample {
  papers: number;
  holding: Map<string, number>;
  meanLength: number;
}

export function sampleWords(papers: PaperText[]): WordSample {
  const holding = new Map<string, number>();
  let length = 0;
  for (const paper of papers) {
    const texts = [paper.title, paper.authors.join(' '), paper.abstract];
    length += texts.reduce((sum, text) => sum + words(text).length, 0);
    for (const stem of new Set(texts.flatMap(terms))) holding.set(stem, (holding.get(stem) ?? 0) + 1);
  }
  return { papers: papers.length, holding, meanLength: papers.length ? length / papers.length : 1 };
}

/**
 * Each searched word's stem and its idf, ln((N - n + 0.5) / (n + 0.5)) and at least 1e-6 as FTS5
 * has it. `counted` is the engine's count, a lower bound above `exactUpTo`; there the sample's share
 * of papers holding the word, if higher, is used instead.
 */
export function wordWeights(
  words: string[],
  counted: (word: string) => number,
  exactUpTo: number,
  papers: number,
  sample: WordSample,
): Map<string, number> {
  const weights = new Map<string, number>();
  for (const word of words) {
    const stem = terms(word)[0];
    if (stem === undefined || weights.has(stem)) continue;
    let n = counted(word);
    if (n > exactUpTo && sample.papers > 0) n = Math.max(n, (papers * (sample.holding.get(stem) ?? 0)) / sample.papers);
    weights.set(stem, Math.max(1e-6, Math.log((papers - n + 0.5) / (n + 0.5))));
  }
  return weights;
}

/**
 * The paper's bm25 over the weighted words (its fields' counts weighed, then saturated; its length
 * in words, as the sample's). Only words that could stem to a weighted stem are stemmed: a stem keeps
 * all but at most the last two letters of its word ("ability" → "abl"), so a word must start with
 * that much of one, and with its first two letters to begin with (a set lookup). Stemming every
 * word of a hundred abstracts cost a search about 5 ms.
 */
export function bm25(paper: PaperText, weights: Map<string, number>, meanLength: number): number {
  const prefixes = [...weights.keys()].map((stem) => stem.slice(0, Math.max(1, stem.length - 2)));
  const starts = new Set(prefixes.map(start));
  const counts = new Map<string, number>();
  let length = 0;
  for (const [text, weight] of [
    [paper.title, WEIGHTS.title],
    [paper.authors.join(' '), WEIGHTS.authors],
    [paper.abstract, WEIGHTS.abstract],
  ] as const) {
    const found = words(text);
    length += found.length;
    for (const w of found) {
      if (!(starts.has(start(w)) || starts.has(w.charCodeAt(0))) || !prefixes.some((p) => w.startsWith(p)) || !isTerm(w)) continue;
      const stem = stemOf(w);
      if (weights.has(stem)) counts.set(stem, (counts.get(stem) ?? 0) + weight);
    }
  }
  const norm = K1 * (1 - B + (B * length) / (meanLength || 1));
  let score = 0;
  for (const [stem, f] of counts) score += (weights.get(stem)! * f * (K1 + 1)) / (f + norm);
  return score;
}

/** A word's first two letters as a number (one letter's for a one-letter prefix). */
const start = (w: string): number => (w.length > 1 ? w.charCodeAt(0) * 65536 + w.charCodeAt(1) : w.charCodeAt(0));
