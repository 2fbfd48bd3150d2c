// Semantic and hybrid ranking. Hybrid search (the default) is three steps, chosen by measurement on
// CSFCube (docs/search.md):
//  1. keyword (bm25) and semantic (nearest vectors) rankings are fused: each list's scores become
//     z-scores over its top 100, a paper missing from a list gets that list's lowest, and the sum
//     weighs both equally;
//  2. relevance feedback: the query vector plus the mean vector of the fused top 5 (Rocchio, β = 1)
//     is searched again, which finds papers that say the same thing in other words;
//  3. the final order fuses keyword with that second semantic list, semantic weighing 0.85.
// Filters and the query's required and excluded words bind semantic results as they bind keyword ones.
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
}
export const FUSION: FusionSettings = { firstWeight: 0.5, feedbackPapers: 5, finalWeight: 0.85 };

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

export function fuse(keyword: Ranked[], semantic: Ranked[], semanticWeight: number): FusedHit[] {
  const k = zScores(keyword);
  const s = zScores(semantic);
  const ids = new Set([...keyword.map((r) => r.id), ...semantic.map((r) => r.id)]);
  return [...ids]
    .map((id) => ({
      id,
      score: (1 - semanticWeight) * (k.scores.get(id) ?? k.floor) + semanticWeight * (s.scores.get(id) ?? s.floor),
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

  if (fusion.feedbackPapers === 0) return fuse(keyword, semantic, fusion.finalWeight).slice(0, request.depth);
  const first = fuse(keyword, semantic, fusion.firstWeight);
  const feedback = await vectorsOf(
    database,
    index.model.id,
    first.slice(0, fusion.feedbackPapers).map((r) => r.id),
  );
  const expanded = Float32Array.from(request.vector);
  for (const v of feedback.values()) for (let i = 0; i < expanded.length; i++) expanded[i]! += v[i]! / feedback.size;
  const second = without(await nearest(database, index.model, normalize(expanded), depth, restrict));
  return fuse(keyword, second, fusion.finalWeight).slice(0, request.depth);
}
