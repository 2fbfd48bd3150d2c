// Which of the sought words a result contains, for highlighting and for the reason shown with it.
// Matching is by a crude stem (the word less a few final letters), close to what the engines'
// stemmers match: "compression" marks "compressing" and "compressed".
import type { Paper } from '../model/paper.ts';

function stem(word: string): string {
  return word.length > 5 ? word.slice(0, Math.max(4, word.length - 3)) : word;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A global pattern matching any of the words, at word starts, case-insensitively. */
export function matcher(words: string[]): RegExp | undefined {
  if (words.length === 0) return undefined;
  const stems = [...new Set(words.map(stem))].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${stems.join('|')})[\\p{L}\\p{N}]*`, 'giu');
}

/** "Matches kv, cache in the title; compression in the abstract". */
export function keywordReason(paper: Paper, words: string[]): string {
  const found = (text: string) => words.filter((w) => matcher([w])!.test(text));
  const inTitle = found(paper.title);
  const inAbstract = found(paper.abstract).filter((w) => !inTitle.includes(w));
  const inAuthors = found(paper.authors.join(' ')).filter((w) => !inTitle.includes(w) && !inAbstract.includes(w));
  const parts = [
    inTitle.length && `${inTitle.join(', ')} in the title`,
    inAbstract.length && `${inAbstract.join(', ')} in the abstract`,
    inAuthors.length && `${inAuthors.join(', ')} among the authors`,
  ].filter(Boolean);
  return parts.length ? `Keyword match: ${parts.join('; ')}` : 'Keyword match';
}

/** Why a result is there: its words, its meaning, or both. */
export function searchReason(hit: { paper: Paper; keyword?: boolean; semantic?: boolean }, words: string[]): string {
  if (words.length === 0) return 'In the chosen categories, newest first';
  if (hit.semantic && !hit.keyword) return 'Semantically related: close in meaning to the search, whatever its words';
  const reason = keywordReason(hit.paper, words);
  return hit.semantic ? `${reason}; and close in meaning` : reason;
}
