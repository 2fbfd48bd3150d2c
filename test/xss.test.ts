// Hostile text everywhere a stranger or a source can put it (paper titles, abstracts and authors from
// imports, comments, reading-list names, search queries, URLs) loaded in a real browser: every
// payload would set window.pwned or open a dialog if it ran. None may. The payloads are also
// checked to be on the page as text, so the test cannot pass by dropping them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slugify } from '../src/community/lists.ts';
import { makeRecord } from '../src/importer/record.ts';
import { upsertPapers } from '../src/storage/upsert.ts';
import type { Database } from '../src/storage/db.ts';
import { noBrowser, useBrowserApp, type BrowserApp } from '../src/testing/browser.ts';
import { signedIn } from '../src/testing/client.ts';

const skip = noBrowser;

const HOSTILE_ID = '2607.09999';
const PAYLOADS = {
  title: 'Attention <img src=x onerror="window.pwned=\'title\'"> is "><svg onload=window.pwned=1>',
  abstract:
    'We show <script>window.pwned="abstract"</script> and $\\href{javascript:window.pwned=3}{click}$ and <a href="javascript:window.pwned=4">x</a>.',
  author: '"><svg/onload=window.pwned=5>',
  comment: [
    '<script>window.pwned="comment"</script>',
    '[click me](javascript:window.pwned=6) [data](data:text/html,<script>window.pwned=7</script>)',
    '<img src=x onerror=window.pwned=8> <svg><animate onbegin=window.pwned=9 attributeName=x dur=1s>',
    '<a href="x" onmouseover="window.pwned=10" style="position:fixed;inset:0">cover</a>',
    '[x](https://ok.example "title\\" onmouseover=\\"window.pwned=11")',
  ].join('\n\n'),
  list: '<script>window.pwned="list"</script> "\'><b onmouseover=window.pwned=12>',
  query: '"><script>window.pwned="search"</script><img src=x onerror=window.pwned=13>',
};

let cookie: string;

/** A paper whose every field is hostile. */
async function hostilePaper(db: Database) {
  const record = makeRecord({
    id: HOSTILE_ID,
    title: PAYLOADS.title,
    abstract: PAYLOADS.abstract,
    authors: [PAYLOADS.author, 'Honest Author'],
    categories: ['cs.LG'],
    publishedAt: '2026-07-01T10:00:00Z',
  });
  record.listing = {
    day: '2026-07-02',
    estimated: false,
    source: 'arxiv',
    submittedBy: null,
    listedAt: '2026-07-02T00:00:00Z',
    upvotes: 3,
  };
  await upsertPapers(db, [record]);
}

/** Mallory comments on it and keeps a public list named with a payload. */
async function hostileMember(run: BrowserApp) {
  const { client } = await signedIn(run.app, run.db, { name: 'mallory' });
  cookie = client.cookies.get('session')!;
  assert.equal(
    (await client.submit(`/papers/${HOSTILE_ID}`, `/papers/${HOSTILE_ID}/comments`, { body: PAYLOADS.comment })).statusCode,
    303,
  );
  assert.equal(
    (await client.submit('/u/mallory', '/lists', { name: PAYLOADS.list, description: PAYLOADS.list, public: '1' })).statusCode,
    303,
  );
  const list = await run.db.db.selectFrom('reading_list').select('id').executeTakeFirstOrThrow();
  await client.submit(`/papers/${HOSTILE_ID}`, '/lists/save', { paper: HOSTILE_ID, list: String(list.id) });
}

const run = useBrowserApp({ prepare: hostilePaper, ready: hostileMember });

test('nothing hostile runs on any page, for a stranger or a member', { skip }, async () => {
  const pages: [string, string][] = [
    [`/papers/${HOSTILE_ID}`, 'window.pwned="abstract"'],
    ['/papers/date/2026-07-02', 'Honest Author'],
    [`/search?q=${encodeURIComponent(PAYLOADS.query)}`, 'window.pwned="search"'],
    ['/u/mallory', 'window.pwned="list"'],
    [`/u/mallory/lists/${slugify(PAYLOADS.list)}`, 'window.pwned="list"'],
    [`/papers/${encodeURIComponent('<script>window.pwned=1</script>')}`, 'window.pwned=1'],
    [`/signin?next=${encodeURIComponent('javascript:window.pwned=14')}`, 'Paperboy'], // a member is sent on, to this site's front page
  ];
  for (const signedInAs of [null, cookie]) {
    const context = await run.browser.newContext();
    if (signedInAs) await context.addCookies([{ name: 'session', value: signedInAs, url: run.base }]);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    for (const [path, shown] of pages) {
      const res = await page.goto(run.base + path);
      assert.ok(res && res.status() < 500, `${path} answered`);
      assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self'/, `${path} has a CSP`);
      // Hover and click everything a comment could have made clickable.
      for (const link of await page.locator('.comment-body a').all()) await link.hover();
      await page.waitForTimeout(50);
      assert.equal(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned), undefined, `nothing ran on ${path}`);
      assert.ok(
        (await page.content()).includes(shown) || (await page.locator('body').innerText()).includes(shown),
        `${path} shows the payload as text: ${shown}`,
      );
    }
    const hrefs = await page
      .goto(`${run.base}/papers/${HOSTILE_ID}`)
      .then(() => page.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href)));
    assert.deepEqual(
      hrefs.filter((h) => /^(javascript|data):/i.test(h)),
      [],
      'no script or data links',
    );
    assert.deepEqual(dialogs, []);
    await context.close();
  }
});
