import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../accounts/api-tokens.ts';
import { addComment } from '../community/comments.ts';
import { CLOCK_MS } from '../http/response-cache.ts';
import type { Database } from '../storage/db.ts';
import { testApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { signedIn } from '../testing/client.ts';
import { loadFixtures, MATH_PAPER } from '../testing/fixtures.ts';

for (const backend of testBackends()) {
  describe(`the response cache on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    let app: FastifyInstance; // the process strangers read through
    let other: FastifyInstance; // another process on the same database
    let clock = Date.parse('2026-08-21T15:00:00Z');
    before(async () => {
      db = await backend.fresh();
      await loadFixtures(db);
      app = await testApp(db, {}, { now: () => new Date(clock) });
      other = await testApp(db);
    });
    after(async () => {
      await app?.close();
      await other?.close();
      await backend.dispose();
    });
    const upvotesOf = async (id: string) => {
      const res = await app.inject(`/api/papers/${id}`);
      return { upvotes: res.json().upvotes as number, cache: res.headers['x-cache'] };
    };

    test("a stranger's second request is answered from the cache, byte for byte, with the same ETag", async () => {
      const first = await app.inject('/papers/date/2026-07-01');
      const second = await app.inject('/papers/date/2026-07-01');
      assert.equal(first.headers['x-cache'], 'miss');
      assert.equal(second.headers['x-cache'], 'hit');
      assert.equal(second.body, first.body);
      assert.equal(second.headers.etag, first.headers.etag);
      assert.equal(second.headers['content-type'], first.headers['content-type']);
      assert.equal(second.headers['cache-control'], 'public, max-age=60');
      assert.ok(second.headers['content-security-policy'], 'security headers are each response’s own');
      assert.notEqual(second.headers['x-request-id'], first.headers['x-request-id']);
      const notModified = await app.inject({ url: '/papers/date/2026-07-01', headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(notModified.statusCode, 304);
      const gzipped = await app.inject({ url: '/papers/date/2026-07-01', headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gzipped.headers['content-encoding'], 'gzip');
      assert.equal(gunzipSync(gzipped.rawPayload).toString(), first.body);
      const brotli = await app.inject({ url: '/papers/date/2026-07-01', headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(brotli.headers['content-encoding'], 'br');
      assert.match(String(brotli.headers.vary), /Accept-Encoding/);
    });

    test('a vote through another process shows at once in this one', async () => {
      await upvotesOf(MATH_PAPER);
      const before = await upvotesOf(MATH_PAPER);
      assert.equal(before.cache, 'hit');
      const { member } = await signedIn(other, db, { name: 'elsewhere' });
      const { token } = await createApiToken(db, member.id, 'vote', new Date());
      const voted = await other.inject({
        method: 'POST',
        url: `/api/papers/${MATH_PAPER}/upvote`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(voted.statusCode, 200);
      assert.deepEqual(await upvotesOf(MATH_PAPER), { upvotes: before.upvotes + 1, cache: 'miss' });
      assert.deepEqual(await upvotesOf(MATH_PAPER), { upvotes: before.upvotes + 1, cache: 'hit' });
    });

    test('a comment, an import or a renamed member written straight to the database is seen too', async () => {
      const page = () => app.inject(`/papers/${MATH_PAPER}`);
      await page();
      assert.equal((await page()).headers['x-cache'], 'hit');
      const { member } = await signedIn(other, db, { name: 'commenter' });
      const paper = await db.db.selectFrom('paper').select('id').where('arxiv_id', '=', MATH_PAPER).executeTakeFirstOrThrow();
      await addComment(db, { paperId: paper.id, memberId: member.id, parentId: null, body: 'A fresh remark on the bound.' }, new Date());
      const seen = await page();
      assert.equal(seen.headers['x-cache'], 'miss');
      assert.match(seen.body, /A fresh remark on the bound\./);

      await db.db.updateTable('member').set({ name: 'remarker' }).where('id', '=', member.id).execute();
      assert.match((await page()).body, /remarker/);
      await db.db.updateTable('paper').set({ title: 'A retitled paper' }).where('id', '=', paper.id).execute();
      assert.match((await app.inject('/papers/date/2026-07-01')).body, /A retitled paper/);
    });

    test('entries last a minute at most: lists depend on the clock too', async () => {
      await app.inject('/papers/trending');
      assert.equal((await app.inject('/papers/trending')).headers['x-cache'], 'hit');
      clock += CLOCK_MS;
      assert.equal((await app.inject('/papers/trending')).headers['x-cache'], 'miss');
    });

    test('members, API tokens, htmx fragments and routes that did not opt in are kept apart', async () => {
      const { client } = await signedIn(app, db, { name: 'reader' });
      const mine = await client.get('/papers/date/2026-07-01');
      assert.equal(mine.headers['x-cache'], undefined, 'a member’s page is rendered for them');
      assert.match(mine.body, /reader/);
      assert.doesNotMatch((await app.inject('/papers/date/2026-07-01')).body, /reader/);
      const withToken = await app.inject({ url: '/api/daily_papers', headers: { authorization: 'Bearer pb_whatever' } });
      assert.equal(withToken.headers['x-cache'], undefined);
      const page = await app.inject(`/papers/${MATH_PAPER}/similar`);
      const fragment = await app.inject({ url: `/papers/${MATH_PAPER}/similar`, headers: { 'hx-request': 'true' } });
      assert.equal(fragment.headers['x-cache'], 'miss', 'the htmx fragment is its own entry');
      assert.notEqual(fragment.body, page.body);
      assert.equal((await app.inject('/search?q=bounds')).headers['x-cache'], undefined);
      assert.equal((await app.inject('/healthz')).headers['x-cache'], undefined);
      const missing = await app.inject('/papers/2607.99999');
      assert.equal(missing.statusCode, 404);
      assert.equal((await app.inject('/papers/2607.99999')).headers['x-cache'], 'miss', 'errors are never kept');
    });
  });
}
