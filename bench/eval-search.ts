// `npm run eval:search`: search quality on CSFCube (../shared/datasets/csfcube-dev; expert grades
// 0-3 for query-by-example search of CS papers). Protocol, as in the search issue: the instance holds
// the 74.7k arxiv-daily-cs papers beside the 4,205 CSFCube papers (so term statistics come from a
// realistic corpus), and only CSFCube papers are ranked, the query paper itself left out. Two kinds
// of query: the facet sentences of the query paper, and the whole query paper (title + abstract,
// what "similar papers" does). Reports nDCG@10 (linear gains, as pytrec_eval) and recall@100
// (grade ≥ 1 counts as relevant). Keyword, semantic (the built-in model, trained here on all the
// papers the instance holds, as `paperboy embed` does) and hybrid rankings are compared.
//
// EVAL_DATABASE_URL=pglite:DIR (or a PostgreSQL server with pgvector, whose public schema is emptied
// first) measures the same on PostgreSQL.
//
// CSFCube papers are not arXiv papers: for this evaluation they are stored under made-up ids
// (9912.NNNNN) and the category `csfcube` in a throw-away database. CSFCube is CC BY-NC 4.0 and is
// used for evaluation only; nothing of it is shipped.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPaths } from '../src/importer/import.ts';
import { embedPapers } from '../src/search/embedding/job.ts';
import { rankHybrid, rankSemantic, semanticIndex, type FusedHit } from '../src/search/hybrid.ts';
import { keywordRanking } from '../src/search/keyword.ts';
import { passageQuery } from '../src/search/similar.ts';
import { openDatabase } from '../src/storage/open.ts';
import { migrate } from '../src/storage/migrate.ts';
import { datasetPath } from '../src/testing/datasets.ts';

interface Query {
  query_id: string;
  paper_id: string;
  facet: string;
  title: string;
  abstract_sentences: { facet: string; text: string }[];
  facet_sentence_idx: number[];
}

const lines = (path: string) => readFileSync(datasetPath(path), 'utf8').split('\n').filter(Boolean);
const corpus = lines('csfcube-dev/corpus.jsonl').map((l) => JSON.parse(l) as { paper_id: string; title: string; abstract: string });
const queries = lines('csfcube-dev/queries.jsonl').map((l) => JSON.parse(l) as Query);
const grades = new Map<string, Map<string, number>>();
for (const line of lines('csfcube-dev/qrels.tsv').slice(1)) {
  const [query, paper, grade] = line.split('\t');
  if (!grades.has(query!)) grades.set(query!, new Map());
  grades.get(query!)!.set(paper!, Number(grade));
}

const arxivIdOf = new Map(corpus.map((p, i) => [p.paper_id, `9912.${String(i + 1).padStart(5, '0')}`]));
const paperIdOf = new Map([...arxivIdOf].map(([paper, arxiv]) => [arxiv, paper]));

function ndcg(ranked: string[], judged: Map<string, number>, k: number): number {
  const dcg = ranked.slice(0, k).reduce((sum, id, i) => sum + (judged.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...judged.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

function recall(ranked: string[], judged: Map<string, number>, k: number): number {
  const relevant = [...judged].filter(([, g]) => g >= 1).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

const dir = mkdtempSync(join(tmpdir(), 'paperboy-eval-'));
const database = await openDatabase(process.env.EVAL_DATABASE_URL ?? `sqlite:${join(dir, 'eval.db')}`);
if (process.env.EVAL_DATABASE_URL) await database.runScript('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'); // a PostgreSQL one, emptied
await migrate(database);
process.stderr.write('loading the 74.7k-paper corpus and the CSFCube papers…\n');
await importPaths(database, [datasetPath('arxiv-daily-cs/papers.jsonl.gz')]);
writeFileSync(
  join(dir, 'csfcube.jsonl'),
  corpus
    .map((p) =>
      JSON.stringify({
        id: arxivIdOf.get(p.paper_id),
        title: p.title,
        summary: p.abstract || p.title,
        authors: ['CSFCube'],
        categories: ['csfcube'],
        abs: '',
      }),
    )
    .join('\n'),
);
const loaded = await importPaths(database, [join(dir, 'csfcube.jsonl')]);
if (loaded.rejected > 0) process.stderr.write(`${loaded.rejected} CSFCube papers could not be loaded\n`);

const settings = { EMBEDDER: 'builtin' } as const;
let started = performance.now();
const embedded = await embedPapers(database, settings);
process.stderr.write(
  `trained ${embedded.model} and embedded ${embedded.embedded} papers in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
const index = (await semanticIndex(database, settings))!;

const kinds = {
  facet: (q: Query) => q.facet_sentence_idx.map((i) => q.abstract_sentences[i]!.text).join(' '),
  'whole paper': (q: Query) => `${q.title}\n${q.abstract_sentences.map((s) => s.text).join(' ')}`,
};
const keywordQuery = (kind: string, q: Query) =>
  kind === 'facet' ? passageQuery(kinds.facet(q)) : passageQuery(q.abstract_sentences.map((s) => s.text).join(' '), q.title);
const filters = { category: 'csfcube' };
const DEPTH = 101;
const rankers: Record<string, (kind: string, q: Query, vector: Float32Array) => Promise<{ id: number }[]>> = {
  keyword: async (kind, q) => (await keywordRanking(database, keywordQuery(kind, q), filters, DEPTH)).ranked,
  semantic: (_kind, _q, vector) => rankSemantic(database, index, { keywordQuery: passageQuery(''), vector, filters, depth: DEPTH }),
  hybrid: (kind, q, vector): Promise<FusedHit[]> =>
    rankHybrid(database, index, { keywordQuery: keywordQuery(kind, q), vector, filters, depth: DEPTH }),
};
const idToArxiv = new Map(
  (await database.db.selectFrom('paper').select(['id', 'arxiv_id']).where('arxiv_id', 'like', '9912.%').execute()).map((r) => [
    Number(r.id),
    r.arxiv_id,
  ]),
);

console.log(
  `CSFCube dev: ${queries.length} queries, ${corpus.length} candidate papers, ranked within a ${(74_727 + corpus.length).toLocaleString('en-US')}-paper instance`,
);
const results: Record<string, Record<string, number>> = {};
for (const [name, rank] of Object.entries(rankers)) {
  for (const kind of Object.keys(kinds)) {
    let sumNdcg = 0;
    let sumRecall = 0;
    started = performance.now();
    for (const q of queries) {
      const [vector] = await index.embedder.embed([kinds[kind as keyof typeof kinds](q)]);
      const ranked = (await rank(kind, q, vector!)).map((r) => paperIdOf.get(idToArxiv.get(r.id)!)!).filter((id) => id !== q.paper_id);
      const judged = grades.get(q.query_id) ?? new Map();
      sumNdcg += ndcg(ranked, judged, 10);
      sumRecall += recall(ranked, judged, 100);
    }
    results[`${name} ${kind}`] = { ndcg: sumNdcg / queries.length, recall: sumRecall / queries.length };
    const gain =
      name === 'keyword' ? '' : `  (${((sumNdcg / queries.length / results[`keyword ${kind}`]!.ndcg! - 1) * 100).toFixed(1)}% vs keyword)`;
    console.log(
      `${name.padEnd(8)} ${kind.padEnd(12)} nDCG@10 ${(sumNdcg / queries.length).toFixed(3)}  recall@100 ${(sumRecall / queries.length).toFixed(3)}${gain}  ${((performance.now() - started) / queries.length).toFixed(0)} ms/query`,
    );
  }
}
await database.close();
