import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../storage/db.ts';
import { makeRecord } from '../importer/record.ts';
import { getPaper } from '../storage/papers.ts';
import { upsertPapers } from '../storage/upsert.ts';
import { testApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { signedIn, TestClient } from '../testing/client.ts';
import { recordedRoutes, replayConfig } from '../testing/recorded.ts';
import { startReplay, type ReplayServer } from '../testing/replay.ts';

// arXiv's recorded answer for 2104.12255: first version 2021-04-20.
const NOW = new Date('2021-04-22T15:00:00Z');
const LONG_AGO = new Date('2021-01-01T00:00:00Z');

for (const backend of testBackends()) {
  describe(`submissions on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    let app: FastifyInstance;
    let arxiv: ReplayServer;
    before(async () => {
      db = await backend.fresh();
      arxiv = await startReplay(recordedRoutes());
      app = await testApp(
        db,
        { ...replayConfig(arxiv.url), SUBMISSIONS_PER_DAY: '2', SUBMISSION_MIN_ACCOUNT_AGE_HOURS: '24', SUBMISSION_MAX_AGE_DAYS: '14' },
        { now: () => NOW },
      );
    });
    after(async () => {
      await app.close();
      await arxiv.close();
      await backend.dispose();
    });

    test("a member submits a URL: the paper is looked up on arXiv, stored, and on today's list submitted by them", async () => {
      const { client } = await signedIn(app, db, { name: 'curator', createdAt: LONG_AGO });
      const form = await client.get('/submit');
      assert.match(form.body, /you have 2 left today/);
      const res = await client.submit('/submit', '/submit', { paper: 'https://arxiv.org/abs/2104.12255v1' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      assert.equal(res.headers.location, '/papers/2104.12255');
      assert.equal(arxiv.requests.filter((r) => r.url.pathname === '/api/query').length, 1);
      const paper = await getPaper(db, '2104.12255');
      assert.deepEqual(
        { day: paper?.listing?.day, source: paper?.listing?.source, by: paper?.listing?.submittedBy, upvotes: paper?.listing?.upvotes },
        { day: '2021-04-22', source: 'member', by: 'curator', upvotes: 0 },
      );
      const list = await new TestClient(app).get('/papers/date/2021-04-22');
      assert.match(list.body, /submitted by <a href="\/u\/curator">curator<\/a>/);
      assert.match((await new TestClient(app).get('/papers/2104.12255')).body, /submitted by <a href="\/u\/curator">curator<\/a>/);

      const again = await (await signedIn(app, db, { createdAt: LONG_AGO })).client.submit('/submit', '/submit', { paper: '2104.12255' });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /already on the list of 2021-04-22: upvote it there instead/);
      assert.match(again.body, /href="\/papers\/2104\.12255">Go to the paper/);
    });

    test('guardrails: account age, paper age, unknown papers, bad input, daily quota; each says why', async () => {
      const { client: fresh } = await signedIn(app, db, { createdAt: new Date(NOW.getTime() - 3_600_000) });
      const young = await fresh.submit('/submit', '/submit', { paper: '2104.12255' });
      assert.equal(young.statusCode, 403);
      assert.match(young.body, /New accounts can submit papers after 24 hours; yours can in 23 hours/);
      // Said before trying: the form shows it, with its button off.
      const form = await fresh.get('/submit');
      assert.match(form.body, /New accounts can submit papers after 24 hours/);
      assert.match(form.body, /<button type="submit" disabled="">Submit<\/button>/);
      // A new moderator is trusted at once.
      const { client: moderator } = await signedIn(app, db, { role: 'moderator', createdAt: new Date(NOW.getTime() - 3_600_000) });
      assert.doesNotMatch((await moderator.get('/submit')).body, /New accounts can submit/);

      const { client } = await signedIn(app, db, { name: 'busy', createdAt: LONG_AGO });
      const old = await client.submit('/submit', '/submit', { paper: '1605.08386' });
      assert.equal(old.statusCode, 422);
      assert.match(old.body, /Its first version is from 2016-05-\d\d\. The daily list is for new papers: at most 14 days old/);
      assert.equal(await getPaper(db, '1605.08386'), null, 'a refused paper is not stored');

      const bad = await client.submit('/submit', '/submit', { paper: 'not an id <script>' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /not an arXiv identifier or URL/);
      assert.match(bad.body, /value="not an id &lt;script&gt;"/);

      const missing = await client.submit('/submit', '/submit', { paper: '2104.99999' });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /arXiv has no paper 2104\.99999/);

      const { client: quota } = await signedIn(app, db, { name: 'quota', createdAt: LONG_AGO });
      const unlisted = ['2104.00001', '2104.00002', '2104.00003'].map((id) => ({
        ...makeRecord({ id, title: `Paper ${id}`, abstract: 'New.', authors: ['A. Writer'], publishedAt: '2021-04-21T10:00:00Z' }),
        listing: null,
      }));
      await upsertPapers(db, unlisted, { now: NOW });
      assert.equal((await quota.submit('/submit', '/submit', { paper: '2104.00001' })).statusCode, 303);
      assert.equal(
        (await quota.submit('/submit', '/submit', { paper: '2104.00002' })).statusCode,
        303,
        'a paper this site has needs no look-up',
      );
      const third = await quota.submit('/submit', '/submit', { paper: '2104.00003' });
      assert.equal(third.statusCode, 429);
      assert.match(third.body, /You have submitted 2 papers today, the most a member may/);
      assert.match(third.body, /you have 0 left today/);
      assert.equal(arxiv.requests.filter((r) => r.url.pathname === '/api/query').length, 3, 'no arXiv look-up for stored papers');
    });

    test('strangers are sent to sign in; arXiv being down loses nothing and says so', async () => {
      assert.equal((await new TestClient(app).get('/submit')).headers.location, '/signin?next=%2Fsubmit');
      await arxiv.close();
      const { client } = await signedIn(app, db, { createdAt: LONG_AGO });
      const down = await client.submit('/submit', '/submit', { paper: '2104.12256' });
      assert.equal(down.statusCode, 503);
      assert.match(down.body, /arXiv did not answer about 2104\.12256 just now\. Nothing was saved; try again in a few minutes/);
      assert.doesNotMatch(down.body, /127\.0\.0\.1|https?:\/\/[^"]*query/, 'no internal request URL');
      arxiv = await startReplay(recordedRoutes()); // for after(), which closes it
    });

    test('without CONTACT_EMAIL the form says submitting is not set up, before anyone tries', async () => {
      const bare = await testApp(db, { SUBMISSION_MIN_ACCOUNT_AGE_HOURS: '0' }, { now: () => NOW });
      try {
        const { client } = await signedIn(bare, db, { createdAt: LONG_AGO });
        const form = await client.get('/submit');
        assert.match(form.body, /which its operator has not set up yet \(CONTACT_EMAIL\)/);
        assert.match(form.body, /<button type="submit" disabled="">Submit<\/button>/);
        const tried = await client.submit('/submit', '/submit', { paper: '2104.12257' });
        assert.equal(tried.statusCode, 503);
        assert.doesNotMatch(tried.body, /try again in a few minutes/);
      } finally {
        await bare.close();
      }
    });
  });
}
