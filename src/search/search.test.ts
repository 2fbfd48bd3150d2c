import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { importPaths } from '../importer/import.ts';
import type { Database } from '../storage/db.ts';
import { testApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { keywordRanking, keywordSearch, type SearchFilters } from './keyword.ts';
import { parseQuery } from './query.ts';
import { search, type SearchParams } from './service.ts';
import { PROXIMITY, type ProximityWeights } from './proximity.ts';

// A small library where the right answers are known.
const papers = [
  {
    id: '2601.00001',
    title: 'KV-Cache Compression for Long-Context Inference',
    summary: 'We quantize keys and values.',
    authors: ['Ada Lovelace'],
    categories: ['cs.CL', 'cs.LG'],
    listing_date: '2026-01-05',
  },
  {
    id: '2601.00002',
    title: 'Efficient Serving of Language Models',
    summary: 'Compressing the KV cache saves memory during decoding.',
    authors: ['Alan Turing'],
    categories: ['cs.LG'],
    listing_date: '2026-01-06',
  },
  {
    id: '2601.00003',
    title: 'A Survey of KV Cache Methods',
    summary: 'We review kv cache compression and eviction.',
    authors: ['Grace Hopper'],
    categories: ['cs.CL'],
    listing_date: '2026-02-10',
  },
  {
    id: '2601.00004',
    title: 'Sparse Mixture of Experts',
    summary: 'A mixture of experts routes tokens to experts.',
    authors: ['Yann LeCun', 'Ada Lovelace'],
    categories: ['cs.LG'],
    listing_date: '2026-02-11',
  },
  {
    id: '2601.00005',
    title: 'Experts Mixing Colours',
    summary: 'Painting experts mix a mixture of colours.',
    authors: ['Claude Monet'],
    categories: ['cs.GR'],
    listing_date: '2026-03-02',
  },
  {
    id: '2601.00006',
    title: 'Bounds on $\\alpha$-divergences',
    summary: 'We bound $\\mathrm{KL}(p \\| q)$ and the $\\alpha$-divergence family.',
    authors: ['Émilie du Châtelet'],
    categories: ['math.ST'],
    listing_date: '2026-03-03',
  },
  {
    id: '2601.00008',
    title: 'Generation Benchmarks Miss Video: Segmenting Video Clips and Video Objects',
    summary: 'Video masks of video objects in each video clip come from a decoder.',
    authors: ['Lumière Auguste'],
    categories: ['cs.CV'],
    listing_date: '2026-03-04',
  },
  {
    id: '2601.00009',
    title: 'Minute-Scale Video and Frame Generation',
    summary: 'Coherent frames from a text prompt, by a model that denoises many frames at once, for video generation.',
    authors: ['Lumière Louis'],
    categories: ['cs.CV'],
    listing_date: '2026-03-05',
  },
];

for (const backend of testBackends()) {
  describe(`keyword search on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    before(async () => {
      db = await backend.fresh();
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-search-'));
      writeFileSync(join(dir, 'papers.jsonl'), papers.map((p) => JSON.stringify({ ...p, abs: '', comment: null })).join('\n'));
      await importPaths(db, [join(dir, 'papers.jsonl')]);
    });
    after(() => backend.dispose());
    const ids = async (q: string, filters: SearchFilters = {}) =>
      (await keywordSearch(db, parseQuery(q), filters, 10)).hits.map((h) => h.paper.arxivId);

    test('for fusion, when every word is common, papers must have the two rarest', async () => {
      // Each word is in over 5% of these six papers, so counts stop there and all tie: the first two count.
      const query = parseQuery('painting experts kv cache mixture');
      const arxivIds = async (options: { dropCommonWords?: boolean }) => {
        const { ranked } = await keywordRanking(db, query, {}, 10, options);
        const rows = await db.db
          .selectFrom('paper')
          .select('arxiv_id')
          .where(
            'id',
            'in',
            ranked.map((r) => r.id),
          )
          .execute();
        return rows.map((r) => r.arxiv_id).sort();
      };
      assert.deepEqual(await arxivIds({ dropCommonWords: true }), ['2601.00005']);
      assert.deepEqual(
        await arxivIds({}),
        ['2601.00001', '2601.00002', '2601.00003', '2601.00004', '2601.00005'],
        'keyword search itself keeps every word',
      );
    });

    test('title matches rank above abstract matches; stemming; all spellings of KV-cache', async () => {
      for (const q of ['kv cache compression', 'KV-cache compressing', 'kv-cache COMPRESSED']) {
        const found = await ids(q);
        assert.equal(found[0], '2601.00001', q);
        assert.deepEqual([...found].sort(), ['2601.00001', '2601.00002', '2601.00003'], q);
      }
    });

    test('words found together rank above the same words apart', async () => {
      const order = async (proximity: ProximityWeights) => {
        const { ranked } = await keywordRanking(db, parseQuery('video generation'), {}, 10, { proximity });
        const rows = await db.db.selectFrom('paper').select(['id', 'arxiv_id']).execute();
        return ranked.map((r) => rows.find((p) => Number(p.id) === r.id)!.arxiv_id);
      };
      // bm25 alone prefers "video" three times in a title to "Video Generation".
      assert.deepEqual(await order({ together: 0, title: 0 }), ['2601.00008', '2601.00009']);
      assert.deepEqual(await order(PROXIMITY), ['2601.00009', '2601.00008']);
      assert.deepEqual(await ids('video generation'), ['2601.00009', '2601.00008']);
    });

    test('phrases, exclusions, title, author and category restrictions', async () => {
      assert.deepEqual(await ids('"mixture of experts"'), ['2601.00004']);
      // Five words, every one required: on PostgreSQL grouped rather than joined (keyword.ts, MAX_JOINED_WORDS).
      assert.deepEqual(await ids('"painting experts mix a mixture of colours"'), ['2601.00005']);
      assert.deepEqual((await ids('experts')).sort(), ['2601.00004', '2601.00005']);
      assert.deepEqual(await ids('kv cache -survey -quantize'), ['2601.00002']);
      assert.deepEqual(await ids('ti:survey'), ['2601.00003']);
      assert.deepEqual((await ids('au:lovelace')).sort(), ['2601.00001', '2601.00004']);
      assert.deepEqual(await ids('au:"ada lovelace" experts'), ['2601.00004']);
      assert.deepEqual(await ids('kv cache cat:cs.CL -survey'), ['2601.00001']);
      assert.deepEqual((await ids('experts cat:cs')).sort(), ['2601.00004', '2601.00005']); // an archive takes its categories
    });

    test('a category alone browses it, newest first; exclusions and filters still bind', async () => {
      const browse = async (q: string, filters: SearchParams = {}) =>
        (await search(db, { EMBEDDER: 'none' }, { q, ...filters }, 10, 0)).hits.map((h) => h.paper.arxivId);
      assert.deepEqual(await browse('cat:cs.CL'), ['2601.00003', '2601.00001']);
      assert.deepEqual(await browse('cat:cs.CL -survey'), ['2601.00001']);
      assert.deepEqual(await browse('cat:cs.CL', { author: 'Lovelace' }), ['2601.00001']);
      assert.deepEqual(await browse('the cat:cs.GR'), ['2601.00005'], 'common words aside');
      const result = await search(db, { EMBEDDER: 'none' }, { q: 'cat:cs' }, 2, 0);
      assert.equal(result.total, 7);
      assert.equal(result.hits.length, 2);
      await assert.rejects(search(db, { EMBEDDER: 'none' }, { q: 'the' }, 10, 0), /too common/);
    });

    test('filters: first-version dates inclusive, category, author', async () => {
      assert.deepEqual((await ids('kv cache', { from: '2026-01-06', to: '2026-02-10' })).sort(), ['2601.00002', '2601.00003']);
      assert.deepEqual(await ids('kv cache', { category: 'cs.LG' }).then((r) => r.sort()), ['2601.00001', '2601.00002']);
      assert.deepEqual(await ids('experts', { author: 'LeCun' }), ['2601.00004']);
    });

    test('LaTeX and accents are searchable as words', async () => {
      assert.deepEqual(await ids('alpha divergence'), ['2601.00006']);
      assert.deepEqual(await ids('chatelet'), ['2601.00006']);
    });

    test('a new version re-indexes the paper: its new words are found, its old ones are not', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-search-'));
      const record = {
        id: '2601.00007',
        submitter: 'x',
        authors: 'Rosalind Franklin',
        title: 'Crystallography of helices',
        abstract: 'Diffraction photographs.',
        categories: 'q-bio.BM',
        versions: [{ version: 'v1', created: 'Mon, 5 Jan 2026 10:00:00 GMT' }],
        update_date: '2026-01-05',
        authors_parsed: [['Franklin', 'Rosalind', '']],
      };
      writeFileSync(join(dir, 'v1.jsonl'), JSON.stringify(record));
      const v2 = {
        title: 'Photograph fifty-one',
        categories: 'cond-mat.soft physics.bio-ph',
        versions: [...record.versions, { version: 'v2', created: 'Mon, 12 Jan 2026 10:00:00 GMT' }],
      };
      writeFileSync(join(dir, 'v2.jsonl'), JSON.stringify({ ...record, ...v2 }));
      await importPaths(db, [join(dir, 'v1.jsonl')]);
      assert.deepEqual(await ids('crystallography'), ['2601.00007']);
      assert.deepEqual(await ids('crystallography', { category: 'q-bio' }), ['2601.00007']);
      await importPaths(db, [join(dir, 'v2.jsonl')]);
      assert.deepEqual(await ids('crystallography'), []);
      assert.deepEqual(await ids('ti:fifty'), ['2601.00007']);
      // The category index (migration 0012) follows the new version's categories and their archives.
      assert.deepEqual(await ids('fifty', { category: 'q-bio' }), []);
      assert.deepEqual(await ids('fifty', { category: 'cond-mat' }), ['2601.00007']);
      assert.deepEqual(await ids('fifty cat:physics.bio-ph'), ['2601.00007']);
      await db.db.deleteFrom('paper').where('arxiv_id', '=', '2601.00007').execute();
      assert.deepEqual(await ids('fifty photograph'), []);
      const indexed = await db.db.selectFrom('paper_category').select(['category', 'paper_id']).execute();
      const papers = await db.db.selectFrom('paper').select(['id', 'categories']).execute();
      const expected = papers.flatMap((p) => {
        const categories: string[] = typeof p.categories === 'string' ? JSON.parse(p.categories) : p.categories;
        return [...new Set(categories.flatMap((c) => (c.includes('.') ? [c, c.split('.')[0]!] : [c])))].map((c) => `${c} ${p.id}`);
      });
      assert.deepEqual(
        indexed.map((r) => `${r.category} ${r.paper_id}`).sort(),
        expected.sort(),
        'paper_category is what the papers say, after inserts, a new version and a delete',
      );
      if (db.dialect === 'postgres') {
        // PostgreSQL's word index (migration 0011) is exactly what its tsvectors say, after inserts, a new version and a delete.
        const drift = await sql<{ n: number }>`SELECT count(*) AS n FROM (
          (SELECT t.* FROM paper AS p, paperboy_terms(p.id, p.search) AS t EXCEPT SELECT * FROM paper_term)
          UNION ALL (SELECT * FROM paper_term EXCEPT SELECT t.* FROM paper AS p, paperboy_terms(p.id, p.search) AS t)) AS d`.execute(db.db);
        assert.equal(Number(drift.rows[0]!.n), 0);
      }
    });

    test('similar papers: by title and abstract, the paper itself left out, on the page, the fragment and the API', async () => {
      const app = await testApp(db);
      try {
        const api = (await app.inject({ url: '/api/papers/2601.00001/similar?limit=2' })).json();
        assert.deepEqual(api.map((i: { paper: { id: string } }) => i.paper.id).sort(), ['2601.00002', '2601.00003']);
        assert.deepEqual(
          (await app.inject({ url: '/api/papers/2601.00001/similar?category=cs.CL' }))
            .json()
            .map((i: { paper: { id: string } }) => i.paper.id),
          ['2601.00003'],
        );
        assert.equal((await app.inject({ url: '/api/papers/2601.00001/similar?limit=99' })).json().parameter, 'limit');
        assert.equal((await app.inject({ url: '/api/papers/2601.99999/similar' })).statusCode, 404);
        const paper = await app.inject({ url: '/papers/2601.00001' });
        assert.match(paper.body, /hx-get="\/papers\/2601.00001\/similar" hx-trigger="revealed"/);
        assert.match(paper.body, /<a href="\/papers\/2601.00001\/similar">See papers similar to this one<\/a>/);
        const page = await app.inject({ url: '/papers/2601.00001/similar' });
        assert.match(page.body, /^<!doctype html>/);
        assert.match(page.body, /href="\/papers\/2601.00003"/);
        assert.doesNotMatch(page.body, /<li><a href="\/papers\/2601.00001"/);
        const fragment = await app.inject({ url: '/papers/2601.00001/similar', headers: { 'hx-request': 'true' } });
        assert.match(fragment.body, /^<h2>Similar papers<\/h2><ol class="similar-list">/);
        assert.equal((await app.inject({ url: '/papers/2601.00001v2/similar' })).headers.location, '/papers/2601.00001/similar');
      } finally {
        await app.close();
      }
    });

    test('searches have their own rate limit per address; reading pages is not affected', async () => {
      const app = await testApp(db, { SEARCH_RATE_LIMIT_PER_MINUTE: '2' });
      // Limits count in the database, for every server on it: an address no other test used.
      const from = (url: string) => app.inject({ url, remoteAddress: '10.20.30.40' });
      try {
        assert.equal((await from('/api/papers/search?q=kv')).statusCode, 200);
        assert.equal((await from('/search?q=kv')).statusCode, 200);
        const api = await from('/api/papers/search?q=kv');
        assert.equal(api.statusCode, 429);
        assert.match(api.json().error, /Too many searches/);
        const similar = await from('/papers/2601.00001/similar');
        assert.equal(similar.statusCode, 429);
        assert.match(similar.body, /Too many searches/);
        assert.equal((await from('/papers/2601.00001')).statusCode, 200);
      } finally {
        await app.close();
      }
    });

    test('the search page and API: highlights, reasons, an id goes to its paper, bad input is a 400 with a message', async () => {
      const app = await testApp(db);
      try {
        const page = await app.inject({ url: '/search?q=kv+cache+compression' });
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /3 papers, best matches first/);
        assert.match(page.body, /<mark>KV<\/mark>-<mark>Cache<\/mark> <mark>Compression<\/mark>/);
        assert.match(page.body, /Keyword match: kv, cache, compression in the title/);
        assert.equal((await app.inject({ url: '/search?q=arXiv:2601.00004v1' })).headers.location, '/papers/2601.00004');
        const empty = await app.inject({ url: '/search' });
        assert.equal(empty.statusCode, 200);
        // The syntax is explained where people type, with or without a query.
        for (const body of [empty.body, page.body])
          assert.match(body, /<code>&quot;a phrase&quot;<\/code>.*<code>au:author<\/code> · <code>cat:cs.CL<\/code>/s);
        for (const q of ['"', '-survey', '*', 'NEAR', '^:', "' OR 1=1 --", '🚀', 'x'.repeat(10_000)]) {
          const res = await app.inject({ url: `/search?q=${encodeURIComponent(q)}` });
          assert.ok(res.statusCode === 200 || res.statusCode === 400, `${q.slice(0, 20)}: ${res.statusCode}`);
          if (res.statusCode === 400) assert.match(res.body, /<p class="notice" role="alert">/);
        }
        assert.match((await app.inject({ url: '/search?q=kv&from=2026-02-30' })).body, /from must be a date/);

        const api = (await app.inject({ url: '/api/papers/search?q=kv+cache+compression&limit=2' })).json();
        assert.equal(api.length, 2);
        assert.equal(api[0].paper.id, '2601.00001');
        assert.equal(typeof api[0].paper.upvotes, 'number');
        assert.equal((await app.inject({ url: '/api/papers/search?q=2601.00004' })).json()[0].paper.id, '2601.00004');
        for (const [query, parameter] of [
          ['q=', 'q'],
          ['q=kv&to=tomorrow', 'to'],
          ['q=kv&category=CS+CL', 'category'],
          ['q=kv&limit=0', 'limit'],
          ['q=kv&mode=semantic', 'mode'],
        ]) {
          const res = await app.inject({ url: `/api/papers/search?${query}` });
          assert.equal(res.statusCode, 400, query);
          assert.equal(res.json().parameter, parameter, query);
        }
      } finally {
        await app.close();
      }
    });
  });
}
