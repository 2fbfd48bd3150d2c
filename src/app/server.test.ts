import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testApp, useFixtureApp, useFixtureServer } from '../testing/app.ts';
import { ROUTES } from './routes.ts';
import { csrfOf, signedIn, TestClient } from '../testing/client.ts';
import { testBackends } from '../testing/backends.ts';
import { FIXTURE_DAYS, MATH_PAPER, OLD_STYLE_PAPER } from '../testing/fixtures.ts';

/** The upvote counts of a list page's cards, in order. */
function upvotesOnPage(html: string): number[] {
  return [...html.matchAll(/<(?:div|a) class="upvotes"[^>]*>.*?<strong>(\d+)<\/strong>/g)].map((m) => Number(m[1]));
}

function meta(html: string, attribute: 'name' | 'property', key: string): string | undefined {
  return new RegExp(`<meta ${attribute}="${key}" content="([^"]*)"`).exec(html)?.[1];
}

for (const backend of testBackends()) {
  describe(`pages on ${backend.name}`, { skip: backend.skip }, () => {
    const app = useFixtureApp(backend);
    const get = (url: string, headers: Record<string, string> = {}) => app().inject({ method: 'GET', url, headers });

    test('the home page shows the latest non-empty day, ranked by upvotes, with title and OpenGraph tags', async () => {
      const res = await get('/');
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.match(res.body, /<h1>Friday, 21 August 2026<\/h1>/);
      const votes = upvotesOnPage(res.body);
      assert.equal(votes.length, 17);
      assert.deepEqual(
        votes,
        [...votes].sort((a, b) => b - a),
      );
      assert.ok(votes[0]! > 0);
      assert.match(res.body, /<title>Daily Papers · Friday, 21 August 2026 · Paperboy<\/title>/);
      assert.match(meta(res.body, 'name', 'description')!, /17 research papers/);
      assert.equal(meta(res.body, 'property', 'og:url'), 'http://papers.test/');
      assert.ok(meta(res.body, 'property', 'og:title'));
    });

    test('a day links to the nearest days with papers, skipping empty ones', async () => {
      const res = await get('/papers/date/2026-07-01');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<a rel="prev" href="\/papers\/date\/2025-06-16">/);
      assert.match(res.body, /<a rel="next" href="\/papers\/date\/2026-08-21">/);
      assert.match(res.body, /href="\/papers\/week\/2026-W27"/);
      assert.match(res.body, /href="\/papers\/month\/2026-07"/);
      const first = await get(`/papers/date/${FIXTURE_DAYS[0]}`);
      assert.doesNotMatch(first.body, /rel="prev"/);
    });

    test('a valid day without papers says so, with links onwards', async () => {
      const res = await get('/papers/date/2026-01-01');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /No papers were listed in this period/);
      assert.match(res.body, /<a rel="prev" href="\/papers\/date\/2025-06-16">/);
      assert.match(res.body, /<a rel="next" href="\/papers\/date\/2026-07-01">/);
    });

    test('lists are paginated', async () => {
      const one = await get('/papers/date/2026-07-01?list=all');
      const two = await get('/papers/date/2026-07-01?list=all&page=2');
      assert.equal(upvotesOnPage(one.body).length, 30);
      assert.match(one.body, /<a rel="next" href="\/papers\/date\/2026-07-01\?list=all&amp;page=2">/);
      const titles = (html: string) => [...html.matchAll(/<h2><a href="(\/papers\/[^"]+)"/g)].map((m) => m[1]);
      assert.equal(titles(two.body).length, 30);
      assert.equal(titles(one.body).filter((t) => titles(two.body).includes(t)).length, 0);
      assert.equal((await get('/papers/date/2026-07-01?page=0')).statusCode, 400);
      assert.equal((await get('/papers/date/2026-07-01?page=abc')).statusCode, 400);
      assert.equal(upvotesOnPage((await get('/papers/date/2026-07-01?list=all&page=999')).body).length, 0);
    });

    test('every list filters by category or archive; chips are links; the filter follows pages, neighbours and feeds', async () => {
      const titles = (html: string) => [...html.matchAll(/<h2><a href="\/papers\/([^"]+)"/g)].map((m) => m[1]!);
      const categoriesOf = async (ids: string[]) =>
        Promise.all(ids.map(async (id) => (await get(`/api/papers/${id}`)).json().categories as string[] | undefined));
      const all = await get('/papers/date/2026-07-01?list=all');
      const cl = await get('/papers/date/2026-07-01?category=cs.CL&list=all');
      assert.equal(cl.statusCode, 200);
      const clIds = titles(cl.body);
      const total = (html: string) => Number(/([\d,]+) papers(?: in [^,]+)?, ranked/.exec(html)?.[1]?.replace(',', ''));
      assert.ok(clIds.length > 0 && total(cl.body) < total(all.body), `${total(cl.body)} of ${total(all.body)}`);
      assert.match(cl.body, /papers in cs\.CL, ranked by upvotes/);
      // The API names each paper's categories: every one shown is in cs.CL.
      for (const categories of await categoriesOf(clIds.slice(0, 5))) assert.ok(categories?.includes('cs.CL'), String(categories));
      // Chips link to the same list filtered; the filter form offers the way back.
      assert.match(
        all.body,
        /<ul class="categories" aria-label="Categories"><li><a href="\/papers\/date\/2026-07-01\?category=cs\.[A-Za-z]+&amp;list=all"/,
      );
      assert.match(cl.body, /<a href="\/papers\/date\/2026-07-01\?category=&amp;list=all">All categories<\/a>/);
      assert.match(cl.body, /<a rel="prev" href="\/papers\/date\/2025-06-16\?category=cs\.CL&amp;list=all">/);
      assert.match(cl.body, /href="\/papers\/week\/2026-W27\?category=cs\.CL&amp;list=all"/);
      assert.match(cl.body, /href="\/papers\/date\/2026-07-01\/rss\?category=cs\.CL"/);
      // An archive takes its categories; repeated and comma-separated values add up.
      assert.ok(titles((await get('/papers/date/2026-07-01?category=cs&list=all')).body).length >= clIds.length);
      const two = titles((await get('/papers/date/2026-07-01?category=cs.CL&category=cs.CV&list=all')).body);
      assert.deepEqual(two, titles((await get('/papers/date/2026-07-01?category=cs.CL,cs.CV&list=all')).body));
      assert.ok(two.length >= clIds.length);
      for (const url of [
        '/?category=cs.CL',
        '/papers/week/2026-W27?category=cs.CL',
        '/papers/month/2026-07?category=cs.CL',
        '/papers/trending?category=cs.CL',
      ]) {
        assert.equal((await get(url)).statusCode, 200, url);
      }
      // Feeds and the API take the same filter.
      const feed = await get('/papers/date/2026-07-01/rss?category=cs.CL');
      assert.equal(feed.statusCode, 200);
      assert.equal([...feed.body.matchAll(/<item>/g)].length, total(cl.body));
      const api = (await get('/api/daily_papers?date=2026-07-01&category=cs.CL&list=all&limit=100')).json() as { paper: { id: string } }[];
      assert.equal(api.length, total(cl.body));
      // Bad categories are a 400 naming the parameter, on pages, feeds and the API alike.
      for (const url of [
        '/papers/date/2026-07-01?category=<script>',
        '/rss?category=cs..CL',
        '/api/daily_papers?category=%27%20OR%201%3D1',
      ]) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
      }
      assert.equal((await get('/api/daily_papers?category=x%27')).json().parameter, 'category');
    });

    test('weeks and months gather their days', async () => {
      const week = await get('/papers/week/2026-W27');
      assert.equal(week.statusCode, 200);
      assert.match(week.body, /<h1>Week 27, 2026<\/h1>/);
      assert.match(week.body, /302 papers/); // 301 distinct in the 2026-07-01 listing + the hand-made one
      const month = await get('/papers/month/2025-06');
      assert.match(month.body, /<h1>June 2025<\/h1>/);
      assert.match(month.body, /9 papers/);
      assert.match(month.body, /<a rel="next" href="\/papers\/month\/2026-07">/);
      assert.equal((await get('/papers/week')).headers.location, '/papers/week/2026-W34');
      assert.equal((await get('/papers/month')).headers.location, '/papers/month/2026-08');
    });

    test('impossible dates, weeks and months are 400 pages that say why', async () => {
      for (const [url, why] of [
        ['/papers/date/2025-02-30', /is not YYYY-MM-DD, a real calendar day/],
        ['/papers/date/yesterday', /is not YYYY-MM-DD/],
        ['/papers/week/2025-W53', /ISO 8601 week/],
        ['/papers/month/2025-13', /is not YYYY-MM/],
      ] as const) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.headers['content-type'] as string, /text\/html/);
        assert.match(res.body, why);
      }
    });

    test('a paper page: abstract, authors, both dates, links to arXiv and code, upvotes', async () => {
      const res = await get('/papers/2506.11924');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<h1>Aligned Novel View Image and Geometry Synthesis via Cross-modal Attention Instillation<\/h1>/);
      assert.match(res.body, /<a href="\/authors\/Min-Seop%20Kwak">Min-Seop Kwak<\/a>, <a href="\/authors\/Junho%20Kim">Junho Kim<\/a>/);
      assert.match(res.body, /href="https:\/\/arxiv.org\/abs\/2506.11924"/);
      assert.match(res.body, /href="https:\/\/arxiv.org\/pdf\/2506.11924"/);
      assert.match(res.body, /href="https:\/\/github.com\/cvlab-kaist\/MoAI"/);
      assert.match(res.body, /href="https:\/\/cvlab-kaist.github.io\/MoAI\/"/);
      assert.match(res.body, /First version on arXiv<\/dt><dd>Friday, 13 June 2025/);
      assert.match(res.body, /On the daily list<\/dt><dd><a href="\/papers\/date\/2025-06-16">Monday, 16 June 2025/);
      assert.match(res.body, /<strong>20<\/strong>/);
      assert.equal(meta(res.body, 'property', 'og:type'), 'article');
      assert.match(meta(res.body, 'name', 'description')!, /^We introduce a diffusion-based framework/);
    });

    test('math renders with KaTeX; broken TeX and hostile text stay inert text', async () => {
      const res = await get(`/papers/${MATH_PAPER}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<span class="katex">/);
      assert.match(res.body, /class="katex-display"/);
      assert.match(res.body, /<span class="tex-fallback">\$\\frac\{1\}\{\$<\/span>/);
      assert.doesNotMatch(res.body, /<script>alert/);
      assert.doesNotMatch(res.body, /<img src=x/);
      assert.match(res.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
      assert.match(res.body, /&lt;script&gt;alert/);
      assert.equal((res.body.match(/<p>/g) ?? []).length >= 2, true); // two abstract paragraphs
    });

    test('ids: old style, versions and pasted URLs land on one URL; unknown is 404, malformed 400', async () => {
      assert.equal((await get(`/papers/${OLD_STYLE_PAPER}`)).statusCode, 200);
      const versioned = await get('/papers/2506.11924v2');
      assert.equal(versioned.statusCode, 301);
      assert.equal(versioned.headers.location, '/papers/2506.11924');
      const missing = await get('/papers/2601.99999');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /There is no paper arXiv:2601.99999 here yet/);
      const bad = await get('/papers/not-a-paper');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /is not an arXiv identifier/);
      const nowhere = await get('/no/such/page');
      assert.equal(nowhere.statusCode, 404);
      assert.match(nowhere.headers['content-type'] as string, /text\/html/);
    });

    test('thumbnails are SVG title cards with the title escaped', async () => {
      const res = await get(`/papers/${MATH_PAPER}/thumbnail.svg`);
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /image\/svg\+xml/);
      assert.match(res.body, /&lt;script&gt;/);
      assert.doesNotMatch(res.body, /<script>/);
    });

    test('HTTP caching and compression: ETag with 304, gzip', async () => {
      const first = await get('/papers/date/2026-07-01');
      const tag = first.headers.etag as string;
      assert.ok(tag);
      const again = await get('/papers/date/2026-07-01', { 'if-none-match': tag });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const zipped = await get('/papers/date/2026-07-01', { 'accept-encoding': 'gzip' });
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.ok(Number(zipped.rawPayload.length) < first.body.length / 3);
    });

    test('Last-Modified with If-Modified-Since: 304 while nothing changed', async () => {
      for (const url of ['/papers/date/2026-07-01', `/papers/${MATH_PAPER}/thumbnail.svg`]) {
        const first = await get(url);
        const modified = first.headers['last-modified'] as string;
        assert.match(modified, /GMT$/, url);
        assert.equal((await get(url, { 'if-modified-since': modified })).statusCode, 304, url);
        const earlier = new Date(Date.parse(modified) - 1000).toUTCString();
        assert.equal((await get(url, { 'if-modified-since': earlier })).statusCode, 200, url);
      }
    });

    test('security headers, request ids and health', async () => {
      const res = await get('/');
      const csp = res.headers['content-security-policy'] as string;
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self';/, 'no inline style elements');
      assert.match(csp, /style-src-attr 'unsafe-inline'/, "KaTeX's style attributes");
      assert.match(csp, /font-src 'self'/);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/, 'this test site is plain http');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(res.headers['x-request-id']);
      assert.equal((await get('/', { 'x-request-id': 'abc-123' })).headers['x-request-id'], 'abc-123');
      const health = await get('/healthz');
      assert.equal(health.statusCode, 200);
      assert.equal(health.json().status, 'ok');
      assert.equal((await get('/static/katex/katex.min.css')).statusCode, 200);
      assert.equal((await get('/static/katex/katex.js')).statusCode, 404);
    });
  });
  describe(`picks first on ${backend.name}`, { skip: backend.skip }, () => {
    const server = useFixtureServer(backend);
    const get = (url: string) => server.app.inject({ method: 'GET', url });

    test('a paper a source picked names the source, not its pseudonymous submitter; no empty rows', async () => {
      const [item] = (await get('/api/daily_papers?date=2026-08-21&limit=1')).json() as {
        paper: { id: string; submittedOnDailyBy?: { name: string } };
      }[];
      const page = (await get(`/papers/${item!.paper.id}`)).body;
      assert.match(page, / · picked on Hugging Face Daily Papers/);
      assert.doesNotMatch(page, /submitted by/);
      const categories = (await get(`/api/papers/${item!.paper.id}`)).json().categories as string[] | undefined;
      if (!categories?.length) assert.doesNotMatch(page, /<dt>Categories<\/dt>/);
      // What the source says besides arXiv's metadata is kept and shown, labelled: the AI summary and
      // keywords (each a search), the organization; the API gives them in Hugging Face's fields.
      const withSummary = (await get('/api/daily_papers?date=2026-08-21&limit=100')).json() as {
        paper: { id: string; ai_summary?: string; ai_keywords?: string[] };
      }[];
      const summarized = withSummary.find((i) => i.paper.ai_summary && i.paper.ai_keywords?.length)!;
      assert.ok(summarized, 'the recorded Hugging Face list has AI summaries');
      const html = (await get(`/papers/${summarized.paper.id}`)).body;
      assert.match(html, /<strong>AI summary<\/strong> <span class="muted">\(written by Hugging Face&#39;s model\)<\/span>/);
      const keyword = summarized.paper.ai_keywords![0]!;
      assert.ok(html.includes(`href="/search?q=%22${encodeURIComponent(keyword).replace(/%20/g, '+')}%22"`), keyword);
      assert.match((await get('/papers/2608.19880')).body, /<dt>Organization<\/dt><dd>Google<\/dd>/);
    });

    test("a member's own categories filter every list by default, until they choose all or others", async () => {
      const { client } = await signedIn(server.app, server.db);
      const total = (html: string) =>
        Number(/([\d,]+) (?:picks of [\d,]+ )?papers(?: in [^<]+?)?, ranked/.exec(html)?.[1]?.replace(',', ''));
      const everything = total((await client.get('/papers/date/2026-07-01?list=all')).body);
      const saved = await client.submit('/settings', '/settings/interests', { categories: 'cs.CL, cs.CV' });
      assert.equal(saved.statusCode, 303);
      const mine = await client.get('/papers/date/2026-07-01?list=all');
      assert.match(mine.body, /papers in cs\.CL, cs\.CV, ranked/);
      assert.ok(total(mine.body) < everything);
      assert.match(mine.body, /<a href="\/papers\/date\/2026-07-01\?category=&amp;list=all">All categories<\/a>/);
      assert.equal(total((await client.get('/papers/date/2026-07-01?category=&list=all')).body), everything);
      assert.match((await client.get('/papers/date/2026-07-01?category=cs.LG&list=all')).body, /papers in cs\.LG, ranked/);
      assert.equal(total((await new TestClient(server.app).get('/papers/date/2026-07-01?list=all')).body), everything, 'strangers see all');
      // A wrong category is refused with the reason, and nothing changes; an empty field is every category.
      const wrong = await client.submit('/settings', '/settings/interests', { categories: 'cs.CL, <b>' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /is not an arXiv category/);
      assert.match((await client.get('/papers/date/2026-07-01?list=all')).body, /papers in cs\.CL, cs\.CV, ranked/);
      await client.submit('/settings', '/settings/interests', { categories: '' });
      assert.equal(total((await client.get('/papers/date/2026-07-01?list=all')).body), everything);
    });

    test('a day leads with its picks, ranked by votes; the whole announcement is a tab away; a day without picks shows it all', async () => {
      const tabs = (html: string) =>
        /<nav class="tabs" aria-label="Which papers"><a href="([^"]+)"( aria-current="page")?>Picks <span class="muted">([\d,]+)<\/span><\/a><a href="([^"]+)"( aria-current="page")?>All papers <span class="muted">([\d,]+)<\/span>/.exec(
          html,
        );
      // Two of the day's papers get votes (as a source of picks would report them).
      const day = await server.db.db
        .selectFrom('listing')
        .innerJoin('paper', 'paper.id', 'listing.paper_id')
        .select('paper.id')
        .where('listing.day', '=', '2026-07-01')
        .orderBy('paper.arxiv_id', 'desc')
        .limit(2)
        .execute();
      await server.db.db
        .updateTable('listing')
        .set({ upvotes: 4, imported_upvotes: 4 })
        .where(
          'paper_id',
          'in',
          day.map((r) => r.id),
        )
        .execute();
      const picks = tabs((await get('/papers/date/2026-07-01')).body);
      assert.ok(picks, 'the day has tabs');
      assert.equal(picks[1], '/papers/date/2026-07-01');
      assert.ok(picks[2] && !picks[5], 'picks are shown by default');
      assert.equal(picks[4], '/papers/date/2026-07-01?list=all');
      const [pickCount, allCount] = [Number(picks[3]!.replace(',', '')), Number(picks[6]!.replace(',', ''))];
      assert.equal(pickCount, 2);
      assert.ok(allCount > 300, `${allCount}`);
      const all = tabs((await get('/papers/date/2026-07-01?list=all')).body)!;
      assert.ok(!all[2] && all[5], 'the whole list when asked');
      // The API follows Hugging Face: the picks, ranked by votes; list=all for every paper.
      const api = (await get('/api/daily_papers?date=2026-07-01&limit=100')).json() as { paper: { upvotes: number } }[];
      assert.equal(api.length, Math.min(pickCount, 100));
      assert.deepEqual(
        api.map((i) => i.paper.upvotes),
        [...api.map((i) => i.paper.upvotes)].sort((a, b) => b - a),
      );
      assert.equal(
        ((await get('/api/daily_papers?date=2026-07-01&limit=100&list=all')).json() as unknown[]).length,
        Math.min(allCount, 100),
      );
      assert.equal((await get('/api/daily_papers?list=best')).json().parameter, 'list');
      assert.equal((await get('/papers/date/2026-07-01?list=best')).statusCode, 400);
      // A day whose papers nobody picked is the announcement, as it always was.
      const days = await Promise.all(FIXTURE_DAYS.map(async (day) => ({ day, html: (await get(`/papers/date/${day}`)).body })));
      const unpicked = days.find((d) => d.day === '2025-03-18')!;
      assert.equal(tabs(unpicked.html), null);
      assert.match(unpicked.html, /329 papers, ranked by upvotes/);
      // A day whose papers are all picks (Hugging Face's list) needs no tabs either.
      assert.equal(tabs(days.find((d) => d.day === '2026-08-21')!.html), null);
    });

    test("a moderator picks a paper for its list's lead, whatever its votes, and can take it back; members cannot", async () => {
      const picks = async () =>
        Number(/Picks <span class="muted">([\d,]+)<\/span>/.exec((await get('/papers/date/2025-03-18?list=all')).body)?.[1] ?? 0);
      const [paperId] = [...(await get('/papers/date/2025-03-18?list=all')).body.matchAll(/<h2><a href="\/papers\/([^"]+)"/g)].map(
        (m) => m[1]!,
      );
      assert.equal(await picks(), 0, 'nobody picked from this day');
      const { client: member } = await signedIn(server.app, server.db);
      assert.doesNotMatch((await member.get(`/papers/${paperId}`)).body, /Pick for the list/);
      const refused = await member.post(`/papers/${paperId}/pick`, {
        _csrf: csrfOf((await member.get(`/papers/${paperId}`)).body),
        pick: '1',
      });
      assert.equal(refused.statusCode, 403);

      const { client: moderator } = await signedIn(server.app, server.db, { role: 'moderator' });
      const picked = await moderator.submit(`/papers/${paperId}`, `/papers/${paperId}/pick`, { pick: '1' });
      assert.equal(picked.statusCode, 303);
      assert.equal(await picks(), 1);
      const day = (await get('/papers/date/2025-03-18')).body;
      assert.match(day, /1 pick of 329 papers/);
      assert.match(day, new RegExp(`<h2><a href="/papers/${paperId}"`));
      const page = (await moderator.get(`/papers/${paperId}`)).body;
      assert.match(page, / · a moderators&#39; pick/);
      assert.match(page, />Unpick<\/button>/);
      await moderator.submit(`/papers/${paperId}`, `/papers/${paperId}/pick`, { pick: '0' });
      assert.equal(await picks(), 0);
    });
  });
}

test('an empty instance says how to get papers, and the API answers an empty list', async () => {
  const backend = testBackends()[0]!;
  const app = await testApp(await backend.fresh());
  try {
    const home = await app.inject({ method: 'GET', url: '/' });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /<h1>No papers yet<\/h1>/);
    assert.match(home.body, /Import papers with <code>paperboy import FILE<\/code>, or start with <code>npm start<\/code>/);
    assert.doesNotMatch(home.body, /`/, 'no Markdown backticks shown as text');
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/daily_papers' })).json(), []);
    assert.equal((await app.inject({ method: 'GET', url: '/papers/week' })).headers.location, '/');
  } finally {
    await app.close();
    await backend.dispose();
  }
});

test('the app answers every URL of the route table, with the method it names', async () => {
  const sqlite = testBackends()[0]!;
  const app = await testApp(await sqlite.fresh());
  try {
    await app.ready();
    const missing = ROUTES.filter((r) => !app.hasRoute({ method: r.method, url: r.url })).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, []);
  } finally {
    await app.close();
    await sqlite.dispose();
  }
});
