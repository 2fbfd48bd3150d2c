// `npm run eval:recommend`: how well "For you" (src/ranking/taste.ts) ranks a day's list for one
// reader, measured on real people's choices. Hugging Face's daily papers name who submitted each paper
// (pseudonyms: ../shared/datasets/hf-daily-papers). A submitter's earlier submissions are what they
// liked; each later day on which they submitted, that day's whole list is ranked for them and the
// papers they submitted are the right answers. recall@10 and nDCG@10 (binary gains), averaged per
// submitter and then over submitters (so the two curators who submitted a thousand papers each count
// once), against ranking the day by its upvotes (what every reader sees without "For you") and against
// the day's list at random (the expectation, computed exactly).
//
// The one setting, the ridge λ, is chosen by 5-fold cross-validation over submitters: each fold is
// scored with the λ that did best on the other four, and only those held-out scores are reported. The
// shipped λ (TASTE_RIDGE) is shown too, marked in-sample. The embedder is the built-in model trained
// on the papers' texts (no labels; an instance trains on every paper it has); EVAL_EMBEDDER=openai or
// onnx with the usual EMBEDDING_* settings measures another.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { deserializeBuiltin, embedWithBuiltin, serializeBuiltin, trainBuiltin } from '../src/search/embedding/builtin.ts';
import { paperText, type EmbeddingSettings } from '../src/search/embedding/embedder.ts';
import { externalEmbedder } from '../src/search/embedding/providers.ts';
import { background, MAX_LIKED, scoreBlock, stack, TASTE_RIDGE, trainTaste, type Background } from '../src/ranking/taste.ts';
import { datasetPath } from '../src/testing/datasets.ts';

interface HfPaper {
  id: string;
  title: string;
  summary: string;
  dailyDate: string;
  upvotes: number;
  submittedBy: string | null;
}

/** A submitter's day: what they liked before it, the day's list, and what they submitted that day. */
interface Case {
  submitter: string;
  history: number[];
  candidates: number[];
  chosen: Set<number>;
}

const MIN_HISTORY = 5;
const FOLDS = 5;
const K = 10;
const RIDGES = [0.01, 0.03, 0.1, 0.3, 1, 3];
const SAMPLE = 1000;
const log = (line: string) => process.stderr.write(`${line}\n`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

function load(): HfPaper[] {
  const text = gunzipSync(readFileSync(datasetPath('hf-daily-papers/papers.jsonl.gz'))).toString('utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HfPaper);
}

function cases(papers: HfPaper[]): Case[] {
  const byDay = new Map<string, number[]>();
  papers.forEach((p, i) => byDay.set(p.dailyDate, [...(byDay.get(p.dailyDate) ?? []), i]));
  const bySubmitter = new Map<string, number[]>();
  papers.forEach((p, i) => p.submittedBy && bySubmitter.set(p.submittedBy, [...(bySubmitter.get(p.submittedBy) ?? []), i]));
  const out: Case[] = [];
  for (const [submitter, mine] of bySubmitter) {
    const days = [...new Set(mine.map((i) => papers[i]!.dailyDate))].sort();
    for (const day of days) {
      const history = mine.filter((i) => papers[i]!.dailyDate < day).slice(-MAX_LIKED);
      if (history.length < MIN_HISTORY) continue;
      const candidates = byDay.get(day)!;
      const chosen = new Set(mine.filter((i) => papers[i]!.dailyDate === day));
      if (candidates.length > chosen.size) out.push({ submitter, history, candidates, chosen });
    }
  }
  return out;
}

function metrics(ranked: number[], chosen: Set<number>): { recall: number; ndcg: number } {
  let dcg = 0;
  let found = 0;
  ranked.slice(0, K).forEach((i, rank) => {
    if (chosen.has(i)) {
      found++;
      dcg += 1 / Math.log2(rank + 2);
    }
  });
  let ideal = 0;
  for (let rank = 0; rank < Math.min(K, chosen.size); rank++) ideal += 1 / Math.log2(rank + 2);
  return { recall: found / chosen.size, ndcg: dcg / ideal };
}

/** A random order's expected recall@K and nDCG@K: each position holds a chosen paper with probability m/n. */
function atRandom(c: Case): { recall: number; ndcg: number } {
  const n = c.candidates.length;
  const m = c.chosen.size;
  let ideal = 0;
  for (let rank = 0; rank < Math.min(K, m); rank++) ideal += 1 / Math.log2(rank + 2);
  let dcg = 0;
  for (let rank = 0; rank < Math.min(K, n); rank++) dcg += m / n / Math.log2(rank + 2);
  return { recall: Math.min(K, n) / n, ndcg: dcg / ideal };
}

type Ranker = (c: Case) => number[];

/** Per submitter, then over submitters. */
function evaluate(all: Case[], rank: Ranker | 'random'): { recall: number; ndcg: number } {
  const per = new Map<string, { recall: number[]; ndcg: number[] }>();
  for (const c of all) {
    const m = rank === 'random' ? atRandom(c) : metrics(rank(c), c.chosen);
    const entry = per.get(c.submitter) ?? { recall: [], ndcg: [] };
    entry.recall.push(m.recall);
    entry.ndcg.push(m.ndcg);
    per.set(c.submitter, entry);
  }
  const values = [...per.values()];
  return { recall: mean(values.map((v) => mean(v.recall))), ndcg: mean(values.map((v) => mean(v.ndcg))) };
}

async function embedAll(papers: HfPaper[]): Promise<Float32Array[]> {
  const texts = papers.map((p) => paperText({ title: p.title, abstract: p.summary }));
  const kind = process.env.EVAL_EMBEDDER ?? 'builtin';
  if (kind === 'builtin') {
    const started = performance.now();
    const model = deserializeBuiltin(serializeBuiltin(await trainBuiltin(texts))); // as stored: int8 rows
    log(`built-in model trained on ${texts.length} papers in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const index = new Map(model.vocabulary.map((t, i) => [t, i]));
    return texts.map((t) => embedWithBuiltin(model, t, index));
  }
  const embedder = externalEmbedder({ ...(process.env as unknown as EmbeddingSettings), EMBEDDER: kind as EmbeddingSettings['EMBEDDER'] });
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 64) out.push(...(await embedder.embed(texts.slice(i, i + 64))));
  return out;
}

/** Ranks a case's list by a weight vector over the papers' vectors, best first. */
function rankByWeights(c: Case, weights: Float32Array, vectors: Float32Array[]): number[] {
  const scores = scoreBlock(
    weights,
    stack(
      c.candidates.map((i) => vectors[i]!),
      weights.length,
    ),
  );
  return c.candidates
    .map((id, j) => ({ id, s: scores[j]! }))
    .sort((a, b) => b.s - a.s)
    .map((x) => x.id);
}

function tasteRanker(vectors: Float32Array[], base: Background, ridge: number): Ranker {
  return (c) => rankByWeights(c, trainTaste({ liked: c.history.map((i) => vectors[i]!), disliked: [] }, base, ridge)!, vectors);
}

function centroidRanker(vectors: Float32Array[], d: number): Ranker {
  return (c) => {
    const centroid = new Float32Array(d);
    for (const i of c.history) vectors[i]!.forEach((x, j) => (centroid[j]! += x));
    return rankByWeights(c, centroid, vectors);
  };
}

function foldOf(submitter: string): number {
  let h = 0;
  for (const ch of submitter) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % FOLDS;
}

const papers = load();
const all = cases(papers);
log(
  `${papers.length} papers, ${new Set(all.map((c) => c.submitter)).size} submitters with ≥ ${MIN_HISTORY} earlier submissions, ${all.length} submitter-days`,
);
const vectors = await embedAll(papers);
const step = Math.max(1, Math.floor(papers.length / SAMPLE));
const base = background(vectors.filter((_, i) => i % step === 0));

const byUpvotes: Ranker = (c) => [...c.candidates].sort((a, b) => papers[b]!.upvotes - papers[a]!.upvotes || a - b);
const heldOut: { recall: number[]; ndcg: number[]; chosen: number[] } = { recall: [], ndcg: [], chosen: [] };
for (let fold = 0; fold < FOLDS; fold++) {
  const train = all.filter((c) => foldOf(c.submitter) !== fold);
  const test = all.filter((c) => foldOf(c.submitter) === fold);
  const best = RIDGES.map((ridge) => ({ ridge, ndcg: evaluate(train, tasteRanker(vectors, base, ridge)).ndcg })).sort(
    (a, b) => b.ndcg - a.ndcg,
  )[0]!;
  const scored = evaluate(test, tasteRanker(vectors, base, best.ridge));
  // Folds differ in size: weigh each by its submitters so the total is the mean over submitters.
  const submitters = new Set(test.map((c) => c.submitter)).size;
  for (let s = 0; s < submitters; s++) {
    heldOut.recall.push(scored.recall);
    heldOut.ndcg.push(scored.ndcg);
  }
  heldOut.chosen.push(best.ridge);
  log(`fold ${fold + 1}: λ = ${best.ridge}, held out nDCG@10 ${scored.ndcg.toFixed(3)} over ${submitters} submitters`);
}

const rows: [string, { recall: number; ndcg: number }][] = [
  ['at random (expected)', evaluate(all, 'random')],
  ['by upvotes', evaluate(all, byUpvotes)],
  ['centroid of liked papers', evaluate(all, centroidRanker(vectors, base.dimensions))],
  [`For you, λ by 5-fold CV (held out; λ chosen ${heldOut.chosen.join(', ')})`, { recall: mean(heldOut.recall), ndcg: mean(heldOut.ndcg) }],
  [`For you, shipped λ = ${TASTE_RIDGE} (in-sample)`, evaluate(all, tasteRanker(vectors, base, TASTE_RIDGE))],
];
const upvotes = rows[1]![1];
const days = all.map((c) => c.candidates.length);
console.log(
  `\nFor you on Hugging Face submitters: ${all.length} submitter-days, lists of ${Math.min(...days)}–${Math.max(...days)} papers (mean ${mean(days).toFixed(0)})\n`,
);
console.log('| ranking | recall@10 | nDCG@10 | × upvotes (nDCG) |');
console.log('|---|---|---|---|');
for (const [name, m] of rows)
  console.log(`| ${name} | ${m.recall.toFixed(3)} | ${m.ndcg.toFixed(3)} | ${(m.ndcg / upvotes.ndcg).toFixed(2)}× |`);
