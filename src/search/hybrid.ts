// Semantic and hybrid ranking. Hybrid search (the default) fuses the keyword (bm25) and semantic
// (nearest vectors) rankings: each list's scores become z-scores over its top 100 (the keyword
// list's squared first), a paper missing from a list gets that list's lowest, and the two are
// summed with shares that lean toward the list whose best paper stands out more (an exact title
// match, say). Optionally the fused top papers' vectors are added to the query's and the semantic
// list searched again (relevance feedback). The shipped settings (FUSION) are the ones 5-fold
// cross-validation chose over CSFCube and held-out known items in `npm run eval:search`
// (docs/search.md). Filters and the query's required and excluded words bind semantic results as
// they bind keyword ones, and a paper found by meaning alone must stand out from the query's
// similarity to papers at random (relevance.ts): no padding.
import type { Database } from '../storage/db.ts';
import { normalize } from './embedding/builtin.ts';
import { type Embedder, type EmbeddingSettings } from './embedding/embedder.ts';
import { embedderFor, modelMatches } from './embedding/providers.ts';
import { canSearchVectors, modelInState, vectorsOf, type ModelRow } from './embedding/vectors.ts';
import { countPassing, nearest } from './embedding/nearest.ts';
import type { Allowed, Restriction } from './restriction.ts';
import { relevanceFloor } from './embedding/relevance.ts';
import { allowedPapers, constrainedPapers, keywordRanking, MAX_COUNT, type Ranked, type SearchFilters } from './keyword.ts';
import type { ParsedQuery } from './query.ts';

export type SearchMode = 'hybrid' | 'keyword' | 'semantic';
export const SEARCH_MODES: SearchMode[] = ['hybrid', 'keyword', 'semantic'];

/** How deep each list is read for fusion, at least. */
const DEPTH = 100;

/** The three steps' settings; `npm run eval:search` chooses among others by cross-validation. */
export interface FusionSettings {
  firstWeight: number; // semantic's share in step 1
  feedbackPapers: number; // the fused top n that step 2 adds to the query vector; 0 skips steps 1 and 2
  finalWeight: number; // semantic's share in step 3
  /**
   * How far each list's own evidence moves the shares: a list whose best paper stands out (its
   * z-score e) weighs more, by e^evidence (0: fixed shares). An exact title match stands out in
   * the keyword list; a question's best keyword match seldom does.
   */
  evidence: number;
  /**
   * The power the keyword list's scores are raised to before they become z-scores (1: as they are).
   * bm25 sets a query's few papers that share its rare words far above a long, flat tail of papers
   * that share a word or two; squared, the head keeps its lead and the tail counts for less against
   * the semantic list's order.
   */
  keywordPower: number;
}

export const FUSION: FusionSettings = { firstWeight: 0.5, feedbackPapers: 0, finalWeight: 0.75, evidence: 1, keywordPower: 2 };

export interface FusedHit extends Ranked {
  keyword: boolean; // matched the keyword query
  semantic: boolean; // among the nearest vectors
}

export interface SemanticIndex {
  model: ModelRow;
  embedder: Embedder;
}

/** The model to search with, or null when semantic search is off, not built yet or not possible here. */
export async function semanticIndex(database: Database, settings: EmbeddingSettings): Promise<SemanticIndex | null> {
  if (settings.EMBEDDER === 'none') return null;
  const model = await modelInState(database, 'active');
  if (!model || !modelMatches(model, settings) || !(await canSearchVectors(database))) return null;
  return { model, embedder: await embedderFor(database, model, settings) };
}

/**
 * z-scores over the list's top DEPTH; a list of one scores it 0. Scores raised to a `power` other
 * than 1 (bm25's, never negative) count as 0 below 0, so that squaring cannot turn an order round.
 */
function zScores(list: Ranked[], power = 1): { scores: Map<number, number>; floor: number } {
  const raised = list.map((r) => (power === 1 ? r.score : Math.max(0, r.score) ** power));
  const top = raised.slice(0, DEPTH);
  const mean = top.reduce((sum, x) => sum + x, 0) / (top.length || 1);
  const sd = Math.sqrt(top.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (top.length || 1)) || 1;
  const scores = new Map(list.map((r, i) => [r.id, (raised[i]! - mean) / sd]));
  return { scores, floor: Math.min(0, ...scores.values()) };
}

export function fuse(keyword: Ranked[], semantic: Ranked[], semanticWeight: number, evidence = 0, keywordPower = 1): FusedHit[] {
  const k = zScores(keyword, keywordPower);
  const s = zScores(semantic);
  // The shares, moved toward the list whose best paper stands out more (its top z-score).
  const strength = (list: Ranked[], z: { scores: Map<number, number> }) =>
    Math.max(0.5, list.length ? z.scores.get(list[0]!.id)! : 0) ** evidence;
  const toSemantic = semanticWeight * strength(semantic, s);
  const toKeyword = (1 - semanticWeight) * strength(keyword, k);
  const weight = toSemantic + toKeyword > 0 ? toSemantic / (toSemantic + toKeyword) : semanticWeight;
  const ids = new Set([...keyword.map((r) => r.id), ...semantic.map((r) => r.id)]);
  return [...ids]
    .map((id) => ({
      id,
      score: (1 - weight) * (k.scores.get(id) ?? k.floor) + weight * (s.scores.get(id) ?? s.floor),
      keyword: k.scores.has(id),
      semantic: s.scores.has(id),
    }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

/** The filters and the query's constraints, as subqueries a semantic candidate must be in. */
export function semanticRestriction(database: Database, query: ParsedQuery, filters: SearchFilters): Restriction {
  return {
    allowed: [allowedPapers(database, query, filters), constrainedPapers(database, query, filters)].filter((a): a is Allowed => a !== null),
  };
}

export interface RankRequest {
  keywordQuery: ParsedQuery; // what bm25 looks for
  vector: Float32Array; // the query's embedding
  filters: SearchFilters;
  depth: number; // how many results are wanted, at most
  excludeId?: number; // the paper itself, for similar papers
  count?: boolean; // count every keyword match (at most MAX_COUNT) for the total
}

/** The best `depth` papers, and how many there are: a lower bound when `capped`. */
export interface Ranking {
  hits: FusedHit[];
  total: number;
  capped: boolean;
}

/** The papers read from a list: at least DEPTH (what fusion needs, and what a count is made over), one more to see whether more follow. */
const window = (request: RankRequest) => Math.min(MAX_COUNT, Math.max(DEPTH, request.depth)) + 1;

export async function rankSemantic(database: Database, index: SemanticIndex, request: RankRequest): Promise<Ranking> {
  const read = window(request);
  const [found, floor] = await Promise.all([
    nearest(database, index.model, request.vector, read, semanticRestriction(database, request.keywordQuery, request.filters)),
    relevanceFloor(database, index.model, request.vector),
  ]);
  const kept = found.filter((r) => r.id !== request.excludeId && r.score >= floor);
  const capped = found.length === read && found.at(-1)!.score >= floor; // the list was cut by its length, not by relevance
  return {
    hits: kept.slice(0, request.depth).map((r) => ({ ...r, keyword: false, semantic: true })),
    total: kept.length,
    capped,
  };
}

export async function rankHybrid(
  database: Database,
  index: SemanticIndex,
  request: RankRequest,
  fusion: FusionSettings = FUSION,
): Promise<Ranking> {
  const depth = window(request);
  const restrict = await countPassing(database, semanticRestriction(database, request.keywordQuery, request.filters), depth); // for both searches
  const without = (list: Ranked[]) => list.filter((r) => r.id !== request.excludeId);
  const hasWords = request.keywordQuery.optional.length + request.keywordQuery.required.length > 0;
  const [keyword, semantic, floor] = await Promise.all([
    hasWords
      ? keywordRanking(database, request.keywordQuery, request.filters, depth, { count: request.count ?? false, dropCommonWords: true })
      : Promise.resolve({ ranked: [], total: 0 }),
    nearest(database, index.model, request.vector, depth, restrict),
    relevanceFloor(database, index.model, request.vector),
  ]);
  let second = semantic;
  if (fusion.feedbackPapers > 0 && semantic.length > 0) {
    const first = fuse(without(keyword.ranked), without(semantic), fusion.firstWeight, fusion.evidence, fusion.keywordPower);
    const feedback = await vectorsOf(
      database,
      index.model.id,
      first.slice(0, fusion.feedbackPapers).map((r) => r.id),
    );
    const expanded = Float32Array.from(request.vector);
    for (const v of feedback.values()) for (let i = 0; i < expanded.length; i++) expanded[i]! += v[i]! / feedback.size;
    second = await nearest(database, index.model, normalize(expanded), depth, restrict);
  }
  // Papers found by meaning alone must stand out (relevance.ts); keyword matches stay.
  const relevant = new Set(second.filter((r) => r.score >= floor).map((r) => r.id));
  const fused = fuse(
    without(keyword.ranked),
    without(second),
    semantic.length ? fusion.finalWeight : 0,
    fusion.evidence,
    fusion.keywordPower,
  )
    .map((h) => ({ ...h, semantic: relevant.has(h.id) }))
    .filter((h) => h.keyword || h.semantic);
  const byWords = request.count ? keyword.total : fused.filter((h) => h.keyword).length;
  const moreByWords = request.count ? keyword.total >= MAX_COUNT : keyword.ranked.length === depth;
  const moreByMeaning = second.length === depth && second.at(-1)!.score >= floor;
  return {
    hits: fused.slice(0, request.depth),
    total: byWords + fused.filter((h) => !h.keyword).length,
    capped: moreByWords || moreByMeaning,
  };
}
