import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMember } from '../accounts/members.ts';
import { startSession } from '../accounts/sessions.ts';
import { makeRecord } from '../importer/record.ts';
import type { Database } from '../storage/db.ts';
import { getPaper } from '../storage/papers.ts';
import { upsertPapers } from '../storage/upsert.ts';
import { useFixtureServer } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { csrfOf, signedIn, TestClient } from '../testing/client.ts';
import { MATH_PAPER } from '../testing/fixtures.ts';

const upvotes = async (db: Database, id = MATH_PAPER) => (await getPaper(db, id))!.listing!.upvotes;

for (const backend of testBackends()) {
  describe(`upvotes on ${backend.name}`, { skip: backend.skip }, () => {
    const server = useFixtureServer(backend);

    test('a stranger is offered to sign in; a member votes with a plain form, once, and can take it back', async () => {
      const stranger = await new TestClient(server.app).get('/papers/date/2026-07-01?list=all');
      assert.match(
        stranger.body,
        new RegExp(`<a class="upvotes" href="/signin\\?next=%2Fpapers%2F${MATH_PAPER}" title="Sign in to upvote">`),
      );
      const start = await upvotes(server.db);

      const { client } = await signedIn(server.app, server.db);
      const list = await client.get('/papers/date/2026-07-01?list=all');
      assert.match(list.body, new RegExp(`<form class="upvotes" method="post" action="/papers/${MATH_PAPER}/upvote"`));
      const vote = () =>
        client.post(
          `/papers/${MATH_PAPER}/upvote`,
          { _csrf: csrfOf(list.body), upvote: '1' },
          { referer: 'http://papers.test/papers/date/2026-07-01' },
        );
      const res = await vote();
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/papers/date/2026-07-01', 'back where the member was, without JavaScript');
      assert.equal(await upvotes(server.db), start + 1);
      assert.equal((await vote()).statusCode, 303);
      assert.equal(await upvotes(server.db), start + 1, 'one vote per member');
      const page = await client.get(`/papers/${MATH_PAPER}`);
      assert.match(
        page.body,
        /<input type="hidden" name="upvote" value="0"\/><button type="submit" class="voted" aria-pressed="true" title="Remove your upvote">/,
      );
      await client.post(`/papers/${MATH_PAPER}/upvote`, { _csrf: csrfOf(page.body), upvote: '0' });
      assert.equal(await upvotes(server.db), start);
      assert.equal((await client.post(`/papers/${MATH_PAPER}/upvote`, { upvote: '1' })).statusCode, 403, 'no CSRF token, no vote');
      assert.equal(await upvotes(server.db), start);
    });

    test("with htmx the button is swapped in place; a stranger's htmx click is sent to sign in", async () => {
      const { client } = await signedIn(server.app, server.db);
      const page = await client.get(`/papers/${MATH_PAPER}`);
      const start = await upvotes(server.db);
      const res = await client.post(`/papers/${MATH_PAPER}/upvote`, { _csrf: csrfOf(page.body), upvote: '1' }, { 'hx-request': 'true' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /^<form class="upvotes"/);
      assert.match(res.body, new RegExp(`<strong>${start + 1}</strong>`));
      assert.match(res.body, /aria-pressed="true"/);

      const stranger = new TestClient(server.app);
      const csrfPage = await stranger.get('/subscribe'); // any form gives a stranger a CSRF token
      const refused = await stranger.post(
        `/papers/${MATH_PAPER}/upvote`,
        { _csrf: csrfOf(csrfPage.body), upvote: '1' },
        { 'hx-request': 'true' },
      );
      assert.equal(refused.headers['hx-redirect'], `/signin?next=%2Fpapers%2F${MATH_PAPER}`);
      assert.equal(await upvotes(server.db), start + 1);
    });

    test('200 members voting at once are all counted, exactly; a member clicking 20 times at once counts once', async () => {
      const start = await upvotes(server.db);
      const now = new Date();
      const sessions: string[] = [];
      // A form token is bound to its session: each member takes theirs from a page of their own.
      const forms = new Map<string, { csrf: string; cookie: string }>();
      for (let i = 0; i < 200; i++) {
        const m = await createMember(
          server.db,
          { name: `crowd${i}`, email: `crowd${i}@example.org`, password: null, verifiedAt: now.toISOString() },
          now,
        );
        assert.ok(typeof m !== 'string');
        const token = (await startSession(server.db, m.id, now)).token;
        sessions.push(token);
        const page = await server.app.inject({ url: '/subscribe', headers: { cookie: `session=${token}` } });
        forms.set(token, { csrf: csrfOf(page.body), cookie: String(page.headers['set-cookie']).split(';')[0]! });
      }
      const vote = (token: string, upvote: string) =>
        server.app.inject({
          method: 'POST',
          url: `/papers/${MATH_PAPER}/upvote`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${forms.get(token)!.cookie}; session=${token}` },
          payload: new URLSearchParams({ _csrf: forms.get(token)!.csrf, upvote }).toString(),
        });
      const results = await Promise.all(sessions.map((t) => vote(t, '1')));
      assert.deepEqual(new Set(results.map((r) => r.statusCode)), new Set([303]));
      assert.equal(await upvotes(server.db), start + 200);
      const rows = await server.db.db
        .selectFrom('upvote')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('paper_id', 'in', server.db.db.selectFrom('paper').select('id').where('arxiv_id', '=', MATH_PAPER))
        .executeTakeFirstOrThrow();
      assert.equal(Number(rows.n), 200 + (start - (await getImported(server.db))), 'one row per vote');

      await Promise.all(Array.from({ length: 20 }, () => vote(sessions[0]!, '0')));
      assert.equal(await upvotes(server.db), start + 199);
      await Promise.all(Array.from({ length: 20 }, () => vote(sessions[0]!, '1')));
      assert.equal(await upvotes(server.db), start + 200);
      await Promise.all(sessions.map((t) => vote(t, '0')));
      assert.equal(await upvotes(server.db), start);
    });

    test("votes rank the day's list, move Last-Modified, and survive a re-import that raises the imported count", async () => {
      const day = await new TestClient(server.app).get('/papers/date/2026-07-01?list=all');
      const lastModified = day.headers['last-modified'] as string;
      const cards = [...day.body.matchAll(/<article class="card">[\s\S]*?href="\/papers\/([^"]+)"/g)].map((m) => m[1]!);
      const [first, target] = [cards[0]!, cards.at(-1)!];
      assert.notEqual(first, target, 'the paper starts below the top');
      const topCount = (await getPaper(server.db, first!))!.listing!.upvotes;
      const mine = await upvotes(server.db, target);
      const voters = [];
      for (let i = 0; i <= topCount - mine; i++) voters.push((await signedIn(server.app, server.db)).client);
      await new Promise((r) => setTimeout(r, 1100)); // Last-Modified has whole seconds
      for (const v of voters) {
        const page = await v.get(`/papers/${target}`);
        assert.equal((await v.post(`/papers/${target}/upvote`, { _csrf: csrfOf(page.body), upvote: '1' })).statusCode, 303);
      }
      const after = await new TestClient(server.app).get('/papers/date/2026-07-01?list=all', { 'if-modified-since': lastModified });
      assert.equal(after.statusCode, 200, 'the list changed: no 304');
      assert.equal(/<article class="card">[\s\S]*?href="\/papers\/([^"]+)"/.exec(after.body)![1], target, 'now first on its day');

      const withVotes = await upvotes(server.db, target);
      const imported = await getImported(server.db, target);
      const paper = (await getPaper(server.db, target))!;
      const record = makeRecord({
        id: target,
        title: paper.title,
        abstract: paper.abstract,
        authors: paper.authors,
        categories: paper.categories,
      });
      record.listing = {
        day: paper.listing!.day,
        estimated: false,
        source: 'huggingface',
        submittedBy: null,
        listedAt: paper.listing!.listedAt,
        upvotes: imported + 50,
      };
      await upsertPapers(server.db, [record]);
      assert.equal(await upvotes(server.db, target), withVotes + 50, "members' votes stay on top of the higher imported count");
      record.listing.upvotes = 1;
      await upsertPapers(server.db, [record]);
      assert.equal(await upvotes(server.db, target), withVotes + 50, 'a lower imported count changes nothing');
    });

    test('a paper that is not on any list cannot be upvoted, and bad ids get a clear answer', async () => {
      const { client } = await signedIn(server.app, server.db);
      const page = await client.get('/subscribe');
      const csrf = csrfOf(page.body);
      const record = makeRecord({ id: '2101.00099', title: 'Unlisted', abstract: 'A paper on no list.', authors: ['A. Person'] });
      await upsertPapers(server.db, [record]);
      const refused = await client.post('/papers/2101.00099/upvote', { _csrf: csrf, upvote: '1' });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /not on a daily list/);
      assert.equal((await client.post('/papers/not-an-id/upvote', { _csrf: csrf })).statusCode, 400);
      assert.equal((await client.post('/papers/2101.99999/upvote', { _csrf: csrf })).statusCode, 404);
      assert.equal((await client.post(`/papers/${MATH_PAPER}/explode`, { _csrf: csrf })).statusCode, 404);
    });
  });
}

async function getImported(db: Database, arxivId = MATH_PAPER): Promise<number> {
  const row = await db.db
    .selectFrom('listing')
    .innerJoin('paper', 'paper.id', 'listing.paper_id')
    .select('listing.imported_upvotes')
    .where('paper.arxiv_id', '=', arxivId)
    .executeTakeFirstOrThrow();
  return row.imported_upvotes;
}
