import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testApp } from '../testing/app.ts';
import { ROUTES } from './routes.ts';
import { testBackends } from '../testing/backends.ts';
import { signedIn } from '../testing/client.ts';
import { loadFixtures, MATH_PAPER } from '../testing/fixtures.ts';

// Every POST route, by its route pattern, with a URL to try it at. The list is checked against the
// route table, so a new form cannot be added without being listed (and tested) here.
const POSTS: Record<string, string[]> = {
  '/subscribe': ['/subscribe'],
  '/subscription': ['/subscription'],
  '/subscribe/confirm': ['/subscribe/confirm'],
  '/submit': ['/submit'],
  '/signup': ['/signup'],
  '/signin': ['/signin'],
  '/signin/link': ['/signin/link'],
  '/signout': ['/signout'],
  '/settings/interests': ['/settings/interests'],
  '/settings/digest': ['/settings/digest'],
  '/settings/digest/stop': ['/settings/digest/stop'],
  '/settings/password': ['/settings/password'],
  '/settings/email': ['/settings/email'],
  '/settings/signout-everywhere': ['/settings/signout-everywhere'],
  '/settings/tokens': ['/settings/tokens'],
  '/settings/tokens/revoke': ['/settings/tokens/revoke'],
  '/admin/members/role': ['/admin/members/role'],
  '/u/:name/lists/:slug/edit': ['/u/csrf-member/lists/mine/edit'],
  '/u/:name/lists/:slug/delete': ['/u/csrf-member/lists/mine/delete'],
  '/u/:name/lists/:slug/remove': ['/u/csrf-member/lists/mine/remove'],
  '/reset': ['/reset'],
  '/link': ['/link'],
  '/lists': ['/lists'],
  '/lists/save': ['/lists/save'],
  '/papers/*': [`/papers/${MATH_PAPER}/upvote`, `/papers/${MATH_PAPER}/comments`],
  '/comments/:id/edit': ['/comments/1/edit'],
  '/comments/:id/delete': ['/comments/1/delete'],
  '/comments/:id/dismiss': ['/comments/1/dismiss'],
  '/comments/:id/report': ['/comments/1/report'],
  '/comments/:id/hide': ['/comments/1/hide'],
  '/comments/:id/unhide': ['/comments/1/unhide'],
};
// RFC 8058's one-click unsubscribe is a POST from a mail client: it carries the signed link instead.
const ONE_CLICK = '/unsubscribe';
// API writes take a personal token and nothing else: a session cookie (which a forged cross-site
// request would carry) gets a 401.
const TOKEN_WRITES = [`/api/papers/${MATH_PAPER}/upvote`];

test('every state-changing form refuses a post without its CSRF token, even from a signed-in admin', async () => {
  const backend = testBackends()[0]!;
  const db = await backend.fresh();
  await loadFixtures(db);
  const app = await testApp(db);
  try {
    const posts = ROUTES.filter((r) => r.method === 'POST').map((r) => (r.token ? `token ${r.url}` : r.url));
    assert.deepEqual(
      posts.sort(),
      [...Object.keys(POSTS), ONE_CLICK, ...TOKEN_WRITES.map(() => 'token /api/papers/*')].sort(),
      'every POST route is listed here',
    );
    const { client } = await signedIn(app, db, { name: 'csrf-member', role: 'admin' });
    await client.submit('/u/csrf-member', '/lists', { name: 'Mine' });
    const id = await client.submit(`/papers/${MATH_PAPER}`, `/papers/${MATH_PAPER}/comments`, { body: 'A comment' });
    assert.equal(id.headers.location, `/papers/${MATH_PAPER}#comment-1`);
    for (const url of Object.values(POSTS).flat()) {
      for (const form of [{}, { _csrf: 'forged-token' }] as Record<string, string>[]) {
        const res = await client.post(url, {
          ...form,
          body: 'x',
          name: 'x',
          email: 'x@example.org',
          paper: MATH_PAPER,
          reason: 'spam',
          upvote: '1',
        });
        assert.equal(res.statusCode, 403, `${url} without a valid token`);
      }
    }
    for (const url of TOKEN_WRITES) {
      assert.equal((await client.post(url, {})).statusCode, 401, `${url} with a cookie and no token`);
      const cookie = `session=${client.cookies.get('session')}`;
      assert.equal((await app.inject({ method: 'DELETE', url, headers: { cookie } })).statusCode, 401, `DELETE ${url} with a cookie`);
    }
    const oneClick = await client.post(`${ONE_CLICK}?token=1.forged`, {});
    assert.equal(oneClick.statusCode, 403, 'a plain post to unsubscribe needs the token too');
    const page = await client.get(`/papers/${MATH_PAPER}`);
    assert.match(page.body, /aria-pressed="false" title="Upvote"/, 'nothing changed: not upvoted');
    assert.equal(page.body.match(/<article class="comment"/g)?.length, 1, 'nor commented');
  } finally {
    await app.close();
    await backend.dispose();
  }
});

test("a form token works only in the session it was made for, and a post from another site's page is refused", async () => {
  const backend = testBackends()[0]!;
  const db = await backend.fresh();
  await loadFixtures(db);
  const app = await testApp(db);
  try {
    const { client: alice } = await signedIn(app, db, { name: 'alice-csrf' });
    const { client: mallory } = await signedIn(app, db, { name: 'mallory-csrf' });
    // Mallory's own token and form cookie, replayed with Alice's session: refused.
    const page = await mallory.get(`/papers/${MATH_PAPER}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const forged = await app.inject({
      method: 'POST',
      url: `/papers/${MATH_PAPER}/upvote`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `session=${alice.cookies.get('session')}; _csrf=${mallory.cookies.get('_csrf')}`,
      },
      payload: new URLSearchParams({ _csrf: token, upvote: '1' }).toString(),
    });
    assert.equal(forged.statusCode, 403);
    // Alice's own token from her own page, posted from another origin: refused; from ours: done.
    const own = await alice.get(`/papers/${MATH_PAPER}`);
    const aliceToken = /name="_csrf" value="([^"]+)"/.exec(own.body)![1]!;
    const elsewhere = await alice.post(
      `/papers/${MATH_PAPER}/upvote`,
      { _csrf: aliceToken, upvote: '1' },
      { origin: 'https://evil.example' },
    );
    assert.equal(elsewhere.statusCode, 403);
    // "null" is what browsers send from our own no-referrer pages: the token decides.
    assert.equal(
      (await alice.post(`/papers/${MATH_PAPER}/upvote`, { _csrf: aliceToken, upvote: '1' }, { origin: 'null' })).statusCode,
      303,
    );
    const here = await alice.post(`/papers/${MATH_PAPER}/upvote`, { _csrf: aliceToken, upvote: '1' }, { origin: 'http://papers.test' });
    assert.equal(here.statusCode, 303);
  } finally {
    await app.close();
    await backend.dispose();
  }
});
