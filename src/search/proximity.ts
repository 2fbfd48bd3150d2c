// Words found together. bm25 weighs each word on its own, so for "video generation" a paper with
// "video" in its title five times ("Referring Video Segmentation") outranked a dozen papers titled
// "… Video Generation". The engine's best RERANK_DEPTH matches are therefore re-ranked here, the
// same on both engines: each pair of consecutive query words found together (at most one word
// apart, in either order, stop words aside, stems compared) in the title or the abstract raises the
// paper's score by a share `together` of it, and by `title` more when it is in the title, each
// divided over the query's pairs. A pair in the title counts wherever it counts in the abstract, so
// the title's own weight in bm25 keeps title matches first. The shares are the best of a grid on
// CSFCube and known items (`npm run eval:search`, docs/search.md): the title alone, tripling the
// score of a title with all the pairs. The benchmarks barely tell the settings apart (long passage
// queries; titles found anyway): its worth is for short phrases such as "video generation".
import { terms } from './embedding/builtin.ts';

export interface ProximityWeights {
  together: number; // in the title or the abstract
  title: number; // in the title, besides
}
export const PROXIMITY: ProximityWeights = { together: 0, title: 2 };

/** How many of the engine's best matches are re-ranked: those a first page or fusion reads. */
export const RERANK_DEPTH = 101;

/** Stems at most this many positions apart count as together ("video generation", "generation of long videos"). */
const NEAR = 2;

type Pair = readonly [string, string];

/** The query's consecutive word pairs, as stems; none for a single word. */
export function wordPairs(optional: string[]): Pair[] {
  const stems = terms(optional.join(' '));
  const pairs: Pair[] = [];
  for (let i = 1; i < stems.length; i++) if (stems[i - 1] !== stems[i]) pairs.push([stems[i - 1]!, stems[i]!]);
  return pairs;
}

/** The share of the pairs found together in any of the texts. */
function togetherShare(texts: string[], pairs: Pair[]): number {
  const positions = texts.map((text) => {
    const at = new Map<string, number[]>();
    terms(text).forEach((stem, i) => at.set(stem, [...(at.get(stem) ?? []), i]));
    return at;
  });
  const near = ([a, b]: Pair) =>
    positions.some((at) => (at.get(a) ?? []).some((i) => (at.get(b) ?? []).some((j) => Math.abs(i - j) <= NEAR)));
  return pairs.filter(near).length / pairs.length;
}

/** The factor a paper's keyword score is multiplied by: 1 when no pair is found together. */
export function proximityFactor(paper: { title: string; abstract: string }, pairs: Pair[], weights: ProximityWeights): number {
  if (pairs.length === 0) return 1;
  return 1 + weights.together * togetherShare([paper.title, paper.abstract], pairs) + weights.title * togetherShare([paper.title], pairs);
}
