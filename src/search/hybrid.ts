// Semantic and hybrid ranking. Hybrid search (the default) fuses the keyword (bm25) and semantic
// (nearest vectors) rankings: each list's scores become z-scores over its top 100, a paper missing
// from a list gets that list's lowest, and the two are summed with shares that lean toward the list
// whose best paper stands out more (an exact title match, say). Optionally the fused top papers'
// vectors are added to the query's and the semantic list searched again (relevance feedback). The
// shipped settings (FUSION) are the ones 5-fold cross-validation chose over CSFCube and held-out
// known items in `npm run eval:search` (docs/search.md). Filters and the query's required and
// excluded words bind semantic results as they bind keyword ones.
import type { Database } from '../storage/db.ts';
import { normalize } from './embedding/builtin.ts';
import { type Embedder, type EmbeddingSettings } from './embedding/embedder.ts';
import { embedderFor, modelMatches } from './embedding/providers.ts';
import { canSearchVectors, modelInState, vectorsOf, type ModelRow } from './embedding/vectors.ts';
import { countPassing, nearest, type Allowed, type Restriction } from './embedding/nearest.ts';
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
}
export const FUSION: FusionSettings = { firstWeight: 0.5, feedbackPapers: 0, finalWeight: 0.65, evidence: 1 };

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

/** z-scores over the list's top DEPTH; a list of one scores it 0. */
function zScores(list: Ranked[]): { scores: Map<number, number>; floor: number } {
  const top = list.slice(0, DEPTH);
  const mean = top.reduce((sum, r) => sum + r.score, 0) / (top.length || 1);
  const sd = Math.sqrt(top.reduce((sum, r) => sum + (r.score - mean) ** 2, 0) / (top.length || 1)) || 1;
  const scores = new Map(list.map((r) => [r.id, (r.score - mean) / sd]));
  return { scores, floor: Math.min(0, ...scores.values()) };
}

export function fuse(keyword: Ranked[], semantic: Ranked[], semanticWeight: number, evidence = 0): FusedHit[] {
  const k = zScores(keyword);
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
function restriction(database: Database, query: ParsedQuery, filters: SearchFilters): Restriction {
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
}

export async function rankSemantic(database: Database, index: SemanticIndex, request: RankRequest): Promise<FusedHit[]> {
  const found = await nearest(
    database,
    index.model,
    request.vector,
    request.depth + 1,
    restriction(database, request.keywordQuery, request.filters),
  );
  return found
    .filter((r) => r.id !== request.excludeId)
    .slice(0, request.depth)
    .map((r) => ({ ...r, keyword: false, semantic: true }));
}

export async function rankHybrid(
  database: Database,
  index: SemanticIndex,
  request: RankRequest,
  fusion: FusionSettings = FUSION,
): Promise<FusedHit[]> {
  const depth = Math.min(MAX_COUNT, Math.max(DEPTH, request.depth)) + 1;
  const restrict = await countPassing(database, restriction(database, request.keywordQuery, request.filters), depth); // for both searches
  const without = (list: Ranked[]) => list.filter((r) => r.id !== request.excludeId);
  const [keyword, semantic] = await Promise.all([
    request.keywordQuery.optional.length + request.keywordQuery.required.length > 0
      ? keywordRanking(database, request.keywordQuery, request.filters, depth, { count: false, dropCommonWords: true }).then((r) =>
          without(r.ranked),
        )
      : Promise.resolve([]),
    nearest(database, index.model, request.vector, depth, restrict).then(without),
  ]);
  if (semantic.length === 0) return fuse(keyword, [], 0).slice(0, request.depth);

  if (fusion.feedbackPapers === 0) return fuse(keyword, semantic, fusion.finalWeight, fusion.evidence).slice(0, request.depth);
  const first = fuse(keyword, semantic, fusion.firstWeight, fusion.evidence);
  const feedback = await vectorsOf(
    database,
    index.model.id,
    first.slice(0, fusion.feedbackPapers).map((r) => r.id),
  );
  const expanded = Float32Array.from(request.vector);
  for (const v of feedback.values()) for (let i = 0; i < expanded.length; i++) expanded[i]! += v[i]! / feedback.size;
  const second = without(await nearest(database, index.model, normalize(expanded), depth, restrict));
  return fuse(keyword, second, fusion.finalWeight, fusion.evidence).slice(0, request.depth);
}
