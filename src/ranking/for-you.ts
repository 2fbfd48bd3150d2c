// "For you": a member's own ranking of a day's or a week's list. What they liked (upvoted, saved to a
// list, submitted; the topics they named, until they have liked 5 papers) and what they marked "not
// interested" train their taste (taste.ts) over the search embeddings; the list is ranked by it, and
// each paper says which liked paper (or topic) it is nearest. A member's model is kept in
// member_taste and forgotten whenever what they like changes (forgetTaste, called by every action
// that changes it): the next ranking learns it again, in milliseconds, on whichever process serves
// it. Papers marked "not interested" leave the ranking. Without an embedding model, or before a
// member has liked anything or named a topic, there is no ranking (null): the page says how to start.
import { inAnyCategory } from '../arxiv/ids.ts';
import type { Database } from '../storage/db.ts';
import type { Paper } from '../model/paper.ts';
import { listPapers } from '../storage/papers.ts';
import { type Embedder, type EmbeddingSettings } from '../search/embedding/embedder.ts';
import { embedderFor, modelMatches } from '../search/embedding/providers.ts';
import { randomSample } from '../search/embedding/relevance.ts';
import { modelInState, vectorsOf, type ModelRow } from '../search/embedding/vectors.ts';
import { decodeVector } from '../search/embedding/dialect/engine.ts';
import { background, MAX_LIKED, scoreBlock, stack, trainTaste, type Background } from './taste.ts';

/** Why a paper is on a member's list: the liked paper or topic it is nearest, or that they liked it themselves. */
export interface Reason {
  kind: 'upvoted' | 'saved' | 'submitted' | 'topic';
  /** The liked paper's title, or the topic. */
  text: string;
  arxivId?: string;
  itself?: boolean; // the paper is one the member liked
}

export interface ForYouList {
  papers: Paper[];
  total: number;
  reasons: Map<number, Reason>; // by paper id, for the papers of this page
}

/** Below this many liked papers, the member's topics count as liked too. */
const TOPICS_UNTIL = 5;
/** A week holds about 2,500 papers; a month's list is not ranked for one reader. */
const MAX_CANDIDATES = 5_000;

interface Liked {
  paperId: number;
  kind: Reason['kind'];
  at: string;
}

/** What the member liked, most recent first, each paper once (its most recent reason). */
async function likedPapers(database: Database, member: { id: number; name: string }): Promise<Liked[]> {
  const db = database.db;
  const [upvoted, saved, submitted] = await Promise.all([
    db.selectFrom('upvote').select(['paper_id as paperId', 'created_at as at']).where('member_id', '=', member.id).execute(),
    db
      .selectFrom('reading_list_paper')
      .innerJoin('reading_list', 'reading_list.id', 'reading_list_paper.list_id')
      .select(['reading_list_paper.paper_id as paperId', 'reading_list_paper.added_at as at'])
      .where('reading_list.member_id', '=', member.id)
      .execute(),
    db.selectFrom('listing').select(['paper_id as paperId', 'listed_at as at']).where('submitted_by', '=', member.name).execute(),
  ]);
  const all: Liked[] = [
    ...upvoted.map((r) => ({ paperId: Number(r.paperId), kind: 'upvoted' as const, at: String(r.at) })),
    ...saved.map((r) => ({ paperId: Number(r.paperId), kind: 'saved' as const, at: String(r.at) })),
    ...submitted.map((r) => ({ paperId: Number(r.paperId), kind: 'submitted' as const, at: String(r.at) })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const seen = new Set<number>();
  return all.filter((l) => !seen.has(l.paperId) && seen.add(l.paperId)).slice(0, MAX_LIKED);
}

async function notInterestedIn(database: Database, memberId: number): Promise<number[]> {
  const rows = await database.db
    .selectFrom('not_interested')
    .select('paper_id')
    .where('member_id', '=', memberId)
    .orderBy('created_at', 'desc')
    .limit(MAX_LIKED)
    .execute();
  return rows.map((r) => Number(r.paper_id));
}

/** Marks a paper "not interested" (or takes that back). The caller forgets the member's taste. */
export async function setNotInterested(database: Database, memberId: number, paperId: number, on: boolean, now: Date): Promise<void> {
  if (on)
    await database.db
      .insertInto('not_interested')
      .values({ member_id: memberId, paper_id: paperId, created_at: now.toISOString() })
      .onConflict((oc) => oc.doNothing())
      .execute();
  else await database.db.deleteFrom('not_interested').where('member_id', '=', memberId).where('paper_id', '=', paperId).execute();
}

/** Which of these papers the member marked "not interested". */
export async function notInterestedAmong(database: Database, memberId: number, paperIds: number[]): Promise<Set<number>> {
  if (paperIds.length === 0) return new Set();
  const rows = await database.db
    .selectFrom('not_interested')
    .select('paper_id')
    .where('member_id', '=', memberId)
    .where('paper_id', 'in', paperIds)
    .execute();
  return new Set(rows.map((r) => Number(r.paper_id)));
}

/** What the member likes changed: their model is learned again when next needed. */
export async function forgetTaste(database: Database, memberId: number): Promise<void> {
  await database.db.deleteFrom('member_taste').where('member_id', '=', memberId).execute();
}

/** The model For you ranks with: the active embedding model, if it is the one configured. */
export interface TasteIndex {
  model: ModelRow;
  embedder: () => Promise<Embedder>;
  background: Background;
}

const backgrounds = new WeakMap<Float32Array[], Background>();

export async function tasteIndex(database: Database, settings: EmbeddingSettings): Promise<TasteIndex | null> {
  if (settings.EMBEDDER === 'none') return null;
  const model = await modelInState(database, 'active');
  if (!model || !modelMatches(model, settings)) return null;
  const sample = await randomSample(database, model);
  let base = backgrounds.get(sample);
  if (!base) backgrounds.set(sample, (base = background(sample)));
  return { model, embedder: () => embedderFor(database, model, settings), background: base };
}

/** A member as For you needs them. */
export interface Reader {
  id: number;
  name: string;
  topics: string[];
}

interface Examples {
  liked: Liked[];
  vectors: Map<number, Float32Array>; // liked and disliked papers'
  disliked: number[];
  topics: { topic: string; vector: Float32Array }[];
}

async function examplesOf(database: Database, index: TasteIndex, reader: Reader): Promise<Examples> {
  const [liked, disliked] = await Promise.all([likedPapers(database, reader), notInterestedIn(database, reader.id)]);
  const vectors = await vectorsOf(
    database,
    index.model.id,
    [...liked, ...disliked.map((paperId) => ({ paperId }))].map((l) => l.paperId),
  );
  const useTopics = reader.topics.length > 0 && liked.filter((l) => vectors.has(l.paperId)).length < TOPICS_UNTIL;
  const embedded = useTopics ? await (await index.embedder()).embed(reader.topics) : [];
  const topics = reader.topics.map((topic, i) => ({ topic, vector: embedded[i]! })).filter((t) => t.vector?.some((x) => x !== 0));
  return { liked, vectors, disliked, topics };
}

function learn(examples: Examples, index: TasteIndex): Float32Array | null {
  const liked = [...examples.liked.map((l) => examples.vectors.get(l.paperId)), ...examples.topics.map((t) => t.vector)];
  const disliked = examples.disliked.map((id) => examples.vectors.get(id));
  return trainTaste({ liked: liked.filter((v) => v !== undefined), disliked: disliked.filter((v) => v !== undefined) }, index.background);
}

/**
 * The member's stored model, or one learned now (and stored); null when they like nothing yet.
 * `examples`, when the caller has read them already (for reasons), are not read again.
 */
export async function tasteOf(
  database: Database,
  index: TasteIndex,
  reader: Reader,
  now: Date,
  examples?: Examples,
): Promise<Float32Array | null> {
  const row = await database.db
    .selectFrom('member_taste')
    .select(['weights', 'model_id'])
    .where('member_id', '=', reader.id)
    .executeTakeFirst();
  if (row && Number(row.model_id) === index.model.id) return decodeVector(row.weights);
  const weights = learn(examples ?? (await examplesOf(database, index, reader)), index);
  if (!weights) return null;
  const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  await database.db
    .insertInto('member_taste')
    .values({ member_id: reader.id, model_id: index.model.id, weights: bytes, trained_at: now.toISOString() })
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ model_id: index.model.id, weights: bytes, trained_at: now.toISOString() }))
    .execute();
  return weights;
}

/** The period's papers in the member's categories, each with its vector (papers without one rank last). */
export interface Candidates {
  papers: Paper[];
  vectors: (Float32Array | undefined)[];
}

export async function candidates(
  database: Database,
  index: TasteIndex,
  period: { from: string; to: string },
  categories: string[],
): Promise<Candidates> {
  const { papers } = await listPapers(database, { ...period, categories, limit: MAX_CANDIDATES, offset: 0 });
  const vectors = await vectorsOf(
    database,
    index.model.id,
    papers.map((p) => p.id),
  );
  return { papers, vectors: papers.map((p) => vectors.get(p.id)) };
}

/** The candidates in the member's order, best first: by their model; those without a vector keep the list's order, last. */
export function rankFor(weights: Float32Array, list: Candidates, hidden: Set<number> = new Set()): Paper[] {
  const d = weights.length;
  const withVector = list.papers.flatMap((paper, i) =>
    list.vectors[i] && !hidden.has(paper.id) ? [{ paper, vector: list.vectors[i]! }] : [],
  );
  const scores = scoreBlock(
    weights,
    stack(
      withVector.map((c) => c.vector),
      d,
    ),
  );
  const ranked = withVector.map((c, i) => ({ paper: c.paper, score: scores[i]! })).sort((a, b) => b.score - a.score);
  const rest = list.papers.filter((p, i) => !list.vectors[i] && !hidden.has(p.id));
  return [...ranked.map((r) => r.paper), ...rest];
}

/** For each paper, the liked paper or topic nearest it. */
async function reasonsFor(database: Database, examples: Examples, papers: Paper[], vectors: Map<number, Float32Array>) {
  const liked = examples.liked.filter((l) => examples.vectors.has(l.paperId));
  const titles = new Map(
    (liked.length
      ? await database.db
          .selectFrom('paper')
          .select(['id', 'title', 'arxiv_id'])
          .where(
            'id',
            'in',
            liked.map((l) => l.paperId),
          )
          .execute()
      : []
    ).map((r) => [Number(r.id), r]),
  );
  const sources: { reason: Reason; vector: Float32Array }[] = [
    ...liked.map((l) => ({
      reason: { kind: l.kind, text: titles.get(l.paperId)?.title ?? '', arxivId: titles.get(l.paperId)?.arxiv_id },
      vector: examples.vectors.get(l.paperId)!,
    })),
    ...examples.topics.map((t) => ({ reason: { kind: 'topic' as const, text: t.topic }, vector: t.vector })),
  ];
  const reasons = new Map<number, Reason>();
  const likedHere = new Map(liked.map((l) => [l.paperId, l.kind]));
  for (const paper of papers) {
    const v = vectors.get(paper.id);
    const kind = likedHere.get(paper.id);
    if (kind) reasons.set(paper.id, { kind, text: paper.title, arxivId: paper.arxivId, itself: true });
    if (!v || kind) continue;
    let best: { reason: Reason; score: number } | null = null;
    for (const s of sources) {
      if (s.reason.arxivId === paper.arxivId) continue;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * s.vector[i]!;
      if (!best || dot > best.score) best = { reason: s.reason, score: dot };
    }
    if (best) reasons.set(paper.id, best.reason);
  }
  return reasons;
}

/**
 * A page of the period's list ranked for the member, with the reason for each paper; null when there
 * is no ranking for them (no embedding model, or nothing liked and no topic).
 */
export async function forYou(
  database: Database,
  settings: EmbeddingSettings,
  reader: Reader,
  request: { from: string; to: string; categories: string[]; limit: number; offset: number },
  now: Date,
): Promise<ForYouList | null> {
  const index = await tasteIndex(database, settings);
  if (!index) return null;
  // Read once: they teach the model when it must be learned again, and give every paper its reason.
  const examples = await examplesOf(database, index, reader);
  const weights = await tasteOf(database, index, reader, now, examples);
  if (!weights) return null;
  const list = await candidates(database, index, request, request.categories);
  const hidden = await notInterestedAmong(
    database,
    reader.id,
    list.papers.map((p) => p.id),
  );
  const ranked = rankFor(weights, list, hidden);
  const papers = ranked.slice(request.offset, request.offset + request.limit);
  const vectors = new Map(list.papers.map((p, i) => [p.id, list.vectors[i]] as const).filter((e): e is [number, Float32Array] => !!e[1]));
  return { papers, total: ranked.length, reasons: await reasonsFor(database, examples, papers, vectors) };
}

/** A period's papers ranked for one member after another (a digest run): the model and the papers are read once. */
export type PeriodRanker = (reader: Reader & { categories: string[] }) => Promise<Paper[] | null>;

export async function periodRanker(
  database: Database,
  settings: EmbeddingSettings,
  period: { from: string; to: string },
  now: Date,
): Promise<PeriodRanker> {
  const index = await tasteIndex(database, settings);
  if (!index) return async () => null;
  const list = await candidates(database, index, period, []);
  return async (reader) => {
    const weights = await tasteOf(database, index, reader, now);
    if (!weights) return null;
    const ids = list.papers.map((p) => p.id);
    const hidden = await notInterestedAmong(database, reader.id, ids);
    for (const paper of list.papers) if (!inAnyCategory(paper.categories, reader.categories)) hidden.add(paper.id);
    return rankFor(weights, list, hidden);
  };
}
