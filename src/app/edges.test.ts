// The rough edges a review found by trying the site as users, clients and attackers would: each
// answered with a clear 4xx, never a 500, and never the raw URL echoed back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testBackends } from '../testing/backends.ts';
import { issueLink } from '../accounts/links.ts';
import { csrfOf, signedIn, TestClient } from '../testing/client.ts';
import { MATH_PAPER } from '../testing/fixtures.ts';
import { testApp, useFixtureServer } from '../testing/app.ts';

describe('rough edges', () => {
  const server = useFixtureServer(testBackends()[0]!);
  const get = (url: string) => server.app.inject({ url });

  test('a parameter given twice is a 400 naming it, anywhere; category may repeat', async () => {
    for (const [url, parameter] of [
      ['/search?q=a&q=b', 'q'],
      ['/api/daily_papers?p=1&p=2', 'p'],
      ['/api/daily_papers?limit=1&limit=2', 'limit'],
      ['/api/papers/search?q=x&mode=keyword&mode=semantic', 'mode'],
      ['/search?q=x&author=a&author=b', 'author'],
      ['/api/papers/search?q=x&from=2026-01-01&from=2026-02-01', 'from'],
      ['/api/daily_papers?submitter=a&submitter=b', 'submitter'],
      ['/papers/date/2026-07-01?page=1&page=2', 'page'],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      if (url.startsWith('/api/')) assert.equal(res.json().parameter, parameter, url);
      else assert.match(res.body, new RegExp(`Give ${parameter} only once`), url);
    }
    assert.equal((await get('/api/daily_papers?date=2026-07-01&category=cs.CL&category=cs.LG')).statusCode, 200);
  });

  test('dates at the edges of the calendar are a 400, on pages, feeds and the API', async () => {
    for (const url of [
      '/papers/date/9999-12-31',
      '/papers/date/0000-01-01',
      '/papers/month/9999-12',
      '/papers/month/9999-12/rss',
      '/papers/week/9999-W52/atom',
      '/api/daily_papers?month=9999-12',
      '/api/daily_papers?date=0001-01-01',
    ]) {
      assert.equal((await get(url)).statusCode, 400, url);
    }
    assert.equal((await get('/papers/date/2026-07-01')).statusCode, 200);
  });

  test('a next= outside Latin-1 is kept, percent-encoded, and never a 500', async () => {
    const form = await get('/signin?next=/%E3%80%82evil');
    assert.equal(form.statusCode, 200);
    const { client } = await signedIn(server.app, server.db);
    const back = await client.get('/signin?next=/%E3%80%82evil');
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, '/%E3%80%82evil');
    assert.equal((await client.get('/signin?next=/%F0%9F%93%84')).headers.location, '/%F0%9F%93%84');

    // A mailed sign-in link carrying such a next signs in and lands there: it used to burn the link and leave a 500.
    const { member } = await signedIn(server.app, server.db, { name: 'linked' });
    const token = await issueLink(server.db, member.id, 'sign-in', member.email, new Date(), 3_600_000);
    const browser = new TestClient(server.app);
    const linkPage = await browser.get(`/link?token=${token}&next=/%E3%80%82evil`);
    assert.equal(linkPage.statusCode, 200);
    const followed = await browser.post('/link', { _csrf: csrfOf(linkPage.body), token, next: '/\u3002evil' });
    assert.equal(followed.statusCode, 303);
    assert.equal(followed.headers.location, '/%E3%80%82evil');
    assert.ok(browser.cookies.get('session'), 'signed in');
  });

  test("addresses the router cannot read are error pages that don't echo them; API ids HF would 404 are 404s", async () => {
    const bad = await get('/papers/%E0%A4%A');
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /text\/html/);
    assert.doesNotMatch(bad.body, /%E0%A4%A/);
    const long = await get(`/authors/${'a'.repeat(300)}`);
    assert.equal(long.statusCode, 414);
    assert.match(String(long.headers['content-type']), /text\/html/);
    assert.doesNotMatch(long.body, /aaaaaaaaaa/);
    const api = await get('/api/papers/0000.00000');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().statusCode, 404);
  });

  test("HF's contract: a paper as Markdown, numComments, all-time submitters, submitter=arxiv, when a paper went on its list", async () => {
    const md = await get(`/papers/${MATH_PAPER}.md`);
    assert.equal(md.statusCode, 200);
    assert.match(String(md.headers['content-type']), /text\/markdown/);
    assert.match(md.body, /^# Bounds on \$\\alpha\$-divergences \\<script\\>/);
    assert.match(md.body, /- \*\*Authors:\*\* Ada Lovelace, Émilie du Châtelet/);
    assert.match(md.body, /## Abstract\n\nWe prove that \$\\sum_\{i=1\}\^n x_i\^2/);
    assert.equal((await get(`/papers/${MATH_PAPER}v2.md`)).headers.location, `/papers/${MATH_PAPER}.md`);
    assert.equal((await get('/papers/2607.99999.md')).statusCode, 404);

    const paper = (await get(`/api/papers/${MATH_PAPER}`)).json();
    assert.equal(paper.numComments, 0);

    // A submitter's papers of all time, not only the latest day's.
    const latest = await get('/api/daily_papers?limit=100');
    const submitters = new Set((latest.json() as { submittedBy: { name: string } }[]).map((i) => i.submittedBy.name));
    const all = (await get('/api/daily_papers?submitter=arxiv&limit=100')).json() as {
      paper: { listedOn: string };
      submittedBy: { user: string };
    }[];
    assert.ok(all.length > 0 && all.every((i) => i.submittedBy.user === 'arxiv'), 'submitter=arxiv finds what arxiv listed');
    assert.ok(new Set(all.map((i) => i.paper.listedOn)).size > 1, 'over more than one day');
    assert.ok(submitters.size > 0);
    const items = (await get('/api/daily_papers?date=2026-07-01&list=all&limit=100')).json() as {
      paper: { listedOn: string; submittedOnDailyAt: string };
    }[];
    for (const item of items) assert.ok(item.paper.submittedOnDailyAt.slice(0, 10) >= item.paper.listedOn, JSON.stringify(item.paper));
  });

  test('every 429 says when to come back, and our own limits do not send the site-wide counts', async () => {
    const app = await testApp(server.db, { SEARCH_RATE_LIMIT_PER_MINUTE: '1' });
    try {
      await app.inject({ url: '/search?q=attention' });
      const limited = await app.inject({ url: '/search?q=attention' });
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) >= 1, String(limited.headers['retry-after']));
      assert.equal(limited.headers['x-ratelimit-remaining'], undefined);
    } finally {
      await app.close();
    }
  });

  test('sign-up says the same of a taken name whether or not the address has an account', async () => {
    await signedIn(server.app, server.db, { name: 'taken-name' }); // taken-name@example.org
    await signedIn(server.app, server.db, { name: 'other-owner' }); // other-owner@example.org
    const answers = [];
    for (const email of ['other-owner@example.org', 'brand-new@example.org']) {
      const res = await new TestClient(server.app).submit('/signup', '/signup', {
        name: 'taken-name',
        email,
        password: 'a long enough password',
      });
      answers.push([res.statusCode, /That name is taken/.test(res.body)]);
    }
    assert.deepEqual(answers, [
      [400, true],
      [400, true],
    ]);
  });

  test('a page past the end is a 404 that says where the list ends; list descriptions are Markdown; the name field says its rule', async () => {
    const past = await get('/papers/date/2026-07-01?list=all&page=12');
    assert.equal(past.statusCode, 404);
    assert.match(past.body, /This list has 11 pages; there is no page 12\./);
    assert.equal((await get('/papers/date/2026-07-01?list=all&page=11')).statusCode, 200);
    assert.equal((await get('/papers/trending?page=999')).statusCode, 404);

    const { client } = await signedIn(server.app, server.db, { name: 'lister' });
    await client.submit('/u/lister', '/lists', {
      name: 'Marked',
      description: 'Read *these* first: [notes](https://example.org)',
      public: '1',
    });
    const list = await get('/u/lister/lists/marked');
    assert.match(list.body, /Read <em>these<\/em> first: <a href="https:\/\/example\.org" rel="nofollow ugc noopener">notes<\/a>/);

    assert.match(
      (await get('/signup')).body,
      /title="2 to 30 characters: lower-case letters, digits, - and _, starting with a letter or digit"/,
    );
  });

  test("the footer's API link is a page people can read, and the docs link to one another on the site", async () => {
    const home = await get('/about');
    assert.match(home.body, /<a href="\/docs\/api">API<\/a>/);
    const api = await get('/docs/api');
    assert.equal(api.statusCode, 200);
    assert.match(String(api.headers['content-type']), /text\/html/);
    assert.match(api.body, /<h2><code>GET \/api\/daily_papers<\/code><\/h2>/);
    assert.match(api.body, /href="\/docs\/for-you"/);
    assert.equal((await get('/docs/nothing-here')).statusCode, 404);
    assert.equal((await get('/docs/..%2Fpackage')).statusCode, 404);
    assert.match((await get('/openapi.json')).json().info.description, /\/docs\/api/);
  });
});
