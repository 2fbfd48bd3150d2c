import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseXml, NS, child, childText, children } from '../ingest/xml.ts';
import { useFixtureApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { MATH_PAPER } from '../testing/fixtures.ts';

for (const backend of testBackends()) {
  describe(`feeds on ${backend.name}`, { skip: backend.skip }, () => {
    const app = useFixtureApp(backend);
    const get = (url: string, headers: Record<string, string> = {}) => app().inject({ url, headers });

    test('RSS 2.0 and Atom 1.0 for a day parse with a real feed parser, with every required element', async () => {
      for (const format of ['rss', 'atom'] as const) {
        const res = await get(`/papers/date/2026-07-01/${format}`);
        assert.equal(res.statusCode, 200, format);
        assert.match(res.headers['content-type'] as string, format === 'rss' ? /application\/rss\+xml/ : /application\/atom\+xml/);
        const feed = parseFeed(res.body);
        assert.equal(feed.meta.type, format);
        assert.equal(feed.title, 'Paperboy: 2026-07-01');
        assert.equal(feed.url, 'http://papers.test/papers/date/2026-07-01');
        assert.equal(feed.items.length, 100);
        for (const item of feed.items) {
          assert.ok(item.title && item.id && item.url && item.published, `${format}: ${item.id}`);
          assert.match(item.url!, /^http:\/\/papers\.test\/papers\//);
          assert.equal(item.id, item.url); // the paper's URL: stable across regenerations
        }
      }
    });

    test('RSS channel and item elements as the specification asks; Atom ids, updated and self links', async () => {
      const rss = parseXml((await get('/papers/week/2026-W27/rss')).body);
      const channel = child(rss, NS.none, 'channel')!;
      for (const name of ['title', 'link', 'description', 'lastBuildDate']) assert.ok(childText(channel, NS.none, name), name);
      assert.equal(child(channel, NS.atom, 'link')?.attrs.rel, 'self');
      const item = children(channel, NS.none, 'item')[0]!;
      for (const name of ['title', 'link', 'guid', 'pubDate', 'description']) assert.ok(childText(item, NS.none, name), name);
      assert.ok(!Number.isNaN(Date.parse(childText(item, NS.none, 'pubDate')!)));

      const atom = parseXml((await get('/papers/month/2026-07/atom')).body);
      for (const name of ['id', 'title', 'updated']) assert.ok(childText(atom, NS.atom, name), name);
      assert.ok(
        children(atom, NS.atom, 'link').some(
          (l) => l.attrs.rel === 'self' && l.attrs.href === 'http://papers.test/papers/month/2026-07/atom',
        ),
      );
      const entry = children(atom, NS.atom, 'entry')[0]!;
      for (const name of ['id', 'title', 'updated', 'published', 'summary']) assert.ok(childText(entry, NS.atom, name), name);
    });

    test('math becomes readable text; hostile text stays text', async () => {
      const feed = parseFeed((await get('/papers/date/2026-07-01/rss')).body);
      const item = feed.items.find((i) => i.url?.endsWith(MATH_PAPER))!;
      assert.equal(item.title, 'Bounds on α-divergences <script>alert("title")</script>');
      assert.match(item.description!, /We prove that \\sum_\{i=1\}\^n x_i\^2 \\le \\frac\{1\}\{2\} holds/);
      assert.doesNotMatch((await get('/papers/date/2026-07-01/rss')).body, /<script>/);
    });

    test('the rolling daily feed, and a search feed in either format', async () => {
      const daily = parseFeed((await get('/rss')).body);
      assert.equal(daily.items.length, 17 + 30 + 9 + 30 + 13); // the five lists there are, top 30 of each
      const search = parseFeed((await get('/search/feed?q=agent&format=atom')).body);
      assert.equal(search.meta.type, 'atom');
      assert.ok(search.items.length > 0 && search.items.length <= 50);
      assert.equal((await get('/search/feed?q=agent&format=json')).statusCode, 400);
      assert.equal((await get('/search/feed?q=')).statusCode, 400);
      assert.equal((await get('/papers/date/2025-02-30/rss')).statusCode, 400);
    });

    test('every author has a page and feeds: their papers only, matched by the whole name without case or accents', async () => {
      const paper = await get(`/papers/${MATH_PAPER}`);
      assert.match(paper.body, /<a href="\/authors\/%C3%89milie%20du%20Ch%C3%A2telet">Émilie du Châtelet<\/a>/, 'names link to their page');
      const page = await get('/authors/%C3%89milie%20du%20Ch%C3%A2telet');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Émilie du Châtelet<\/h1>/);
      assert.match(page.body, new RegExp(`href="/papers/${MATH_PAPER}"`));
      assert.match(page.body, /href="\/authors\/%C3%89milie%20du%20Ch%C3%A2telet\/rss"/);
      const feed = parseFeed((await get('/authors/emilie%20du%20chatelet/atom')).body);
      assert.equal(feed.items.length, 1, 'the same author, written without accents');
      assert.equal((await get('/authors/%C3%89milie%20du%20Ch%C3%A2telet/rss')).statusCode, 200);
      const stranger = await get('/authors/Nobody%20Atall');
      assert.equal(stranger.statusCode, 200);
      assert.match(stranger.body, /No papers by Nobody Atall here/);
      assert.equal(parseFeed((await get('/authors/Ada/rss')).body).items.length, 0, 'part of a name is not the name');
    });

    test('conditional GET: ETag and Last-Modified give 304', async () => {
      const first = await get('/papers/date/2026-07-01/atom');
      assert.equal((await get('/papers/date/2026-07-01/atom', { 'if-none-match': first.headers.etag as string })).statusCode, 304);
      assert.equal(
        (await get('/papers/date/2026-07-01/atom', { 'if-modified-since': first.headers['last-modified'] as string })).statusCode,
        304,
      );
    });

    test('pages advertise their feeds for autodiscovery', async () => {
      const day = (await get('/papers/date/2026-07-01')).body;
      assert.match(day, /<link rel="alternate" type="application\/rss\+xml" title="[^"]+" href="\/papers\/date\/2026-07-01\/rss"\/>/);
      assert.match(day, /<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="\/papers\/date\/2026-07-01\/atom"\/>/);
      assert.match((await get('/')).body, /href="\/rss"/);
      assert.match((await get('/search?q=agent')).body, /href="\/search\/feed\?q=agent&amp;format=atom"/);
    });
  });
}
