import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importPaths } from '../importer/import.ts';
import type { Database } from '../storage/db.ts';
import { testBackends } from '../testing/backends.ts';
import { bm25, sampleWords, wordWeights } from './every-word.ts';
import { keywordRanking } from './keyword.ts';
import { parseQuery } from './query.ts';

test('bm25 weighs fields as the engines do, and a word in half the papers or more adds nothing', () => {
  const sample = sampleWords([
    { title: 'Sparse kernels', abstract: 'Kernels.', authors: ['Ada Lovelace'] },
    { title: 'Attention', abstract: 'Attention and sparse models.', authors: ['Alan Turing'] },
    { title: 'Graphs', abstract: 'Graphs.', authors: [] },
    { title: 'Trees', abstract: 'Trees.', authors: [] },
  ]);
  assert.equal(sample.holding.get('spars'), 2);
  assert.equal(sample.meanLength, 16 / 4, 'words of every field');
  // "sparse" counted in 1 paper of 100 (exact); "attention" counted as 5, a lower bound above 4:
  // the sample's share (1 in 4) is higher, so 25 papers.
  const weights = wordWeights(['sparse', 'attention', 'the'], (w) => (w === 'sparse' ? 1 : 5), 4, 100, sample);
  assert.deepEqual([...weights.keys()], ['spars', 'attent']);
  assert.ok(Math.abs(weights.get('spars')! - Math.log(99.5 / 1.5)) < 1e-9);
  assert.ok(Math.abs(weights.get('attent')! - Math.log(75.5 / 25.5)) < 1e-9);
  const score = (title: string, abstract: string, authors: string[] = []) => bm25({ title, abstract, authors }, weights, 3);
  assert.ok(score('Sparse', 'x y') > score('x', 'Sparse y'), 'the title counts five times the abstract');
  assert.ok(score('x', 'y', ['Sparse']) > score('x', 'Sparse y'), 'authors twice');
  assert.ok(score('Sparse attention', 'y') > score('Sparse', 'y'));
  const common = wordWeights(['attention'], () => 60, 4, 100, sample);
  assert.equal(common.get('attent'), 1e-6, 'FTS5 floors the idf of a word in most papers');
});

// Forty papers: "sparse" in two (the telling word), "attention" and "model" in eleven each (too
// common to choose fusion's candidates, rare enough to weigh).
const papers = [
  { id: '2602.00001', title: 'Sparse Kernels', summary: 'Sparse kernels.' },
  { id: '2602.00002', title: 'Sparse Attention Model', summary: 'An attention model with attention.' },
  ...Array.from({ length: 38 }, (_, i) => ({
    id: `2602.${String(i + 3).padStart(5, '0')}`,
    title: `Filler study ${i}`,
    summary: i < 10 ? 'This model uses attention.' : 'Something else entirely about graphs.',
  })),
].map((p) => ({ ...p, authors: ['Grace Hopper'], categories: ['cs.LG'], listing_date: '2026-02-02', abs: '', comment: null }));

for (const backend of testBackends()) {
  describe(`fusion's keyword list on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    before(async () => {
      db = await backend.fresh();
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-every-word-'));
      writeFileSync(join(dir, 'papers.jsonl'), papers.map((p) => JSON.stringify(p)).join('\n'));
      await importPaths(db, [join(dir, 'papers.jsonl')]);
    });
    after(() => backend.dispose());

    test('the telling words choose the papers; every word of the query ranks them', async () => {
      const order = async (dropCommonWords: boolean) => {
        const query = parseQuery('sparse attention model');
        const { ranked } = await keywordRanking(db, query, {}, 10, { dropCommonWords, count: false, proximity: { together: 0, title: 0 } });
        const rows = await db.db.selectFrom('paper').select(['id', 'arxiv_id']).execute();
        return ranked.map((r) => rows.find((p) => Number(p.id) === r.id)!.arxiv_id);
      };
      // By "sparse" alone the shorter paper would come first; with its other two words the second does.
      assert.deepEqual(await order(true), ['2602.00002', '2602.00001']);
      assert.deepEqual((await order(false)).slice(0, 2), ['2602.00002', '2602.00001'], 'as keyword search alone ranks them');
    });
  });
}
