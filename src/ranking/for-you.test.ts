import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { findMember } from '../accounts/members.ts';
import { loadConfig } from '../config/config.ts';
import { sendDigests } from '../digests/digest.ts';
import { createMailer } from '../mail/mailer.ts';
import { embedPapers } from '../search/embedding/job.ts';
import { useFixtureServer } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { signedIn, TestClient } from '../testing/client.ts';
import { background, topIndices, trainTaste, type Background } from './taste.ts';

const DAY = '/papers/date/2026-07-01';

/** Unit vectors near one of two directions, with a little noise. */
function near(axis: number, seed: number, d = 8): Float32Array {
  const v = Float32Array.from({ length: d }, (_, i) => (i === axis ? 1 : 0) + 0.05 * Math.sin(seed * 7 + i * 3));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

describe('taste: a ridge regression of liked papers against papers at random', () => {
  const base: Background = background(Array.from({ length: 60 }, (_, i) => near(i % 8, i)));
  const dot = (w: Float32Array, v: Float32Array) => w.reduce((sum, x, i) => sum + x * v[i]!, 0);

  test('what is like the liked papers scores above the rest; nothing liked, no model', () => {
    const w = trainTaste({ liked: [near(2, 1), near(2, 2), near(2, 3)], disliked: [] }, base)!;
    for (let axis = 0; axis < 8; axis++) if (axis !== 2) assert.ok(dot(w, near(2, 9)) > dot(w, near(axis, 9)), `axis ${axis}`);
    assert.equal(trainTaste({ liked: [], disliked: [near(1, 1)] }, base), null);
  });

  test('the top k of many scores, best first', () => {
    const scores = Float32Array.from({ length: 500 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
    const sorted = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
    assert.deepEqual(topIndices(scores, 10), sorted.slice(0, 10));
    assert.deepEqual(
      topIndices(scores.subarray(0, 3), 10),
      sorted.filter((i) => i < 3),
    );
  });

  test('"not interested" pushes its direction below papers at random', () => {
    const liked = [near(2, 1), near(3, 2)];
    const plain = trainTaste({ liked, disliked: [] }, base)!;
    const taught = trainTaste({ liked, disliked: [near(3, 5), near(3, 6)] }, base)!;
    assert.ok(dot(taught, near(3, 9)) < dot(plain, near(3, 9)));
    assert.ok(dot(taught, near(2, 9)) > dot(taught, near(3, 9)));
  });
});

for (const backend of testBackends()) {
  describe(`For you on ${backend.name}`, { skip: backend.skip }, () => {
    const server = useFixtureServer(backend);
    before(async () => {
      await embedPapers(server.db, { EMBEDDER: 'builtin' });
    });

    /** The day's papers (arXiv ids) whose titles match. */
    const titled = async (pattern: RegExp) =>
      (
        await server.db.db
          .selectFrom('paper')
          .innerJoin('listing', 'listing.paper_id', 'paper.id')
          .select(['arxiv_id', 'title'])
          .where('listing.day', '=', '2026-07-01')
          .execute()
      )
        .filter((p) => pattern.test(p.title))
        .map((p) => p.arxiv_id);
    const cards = (html: string) => [...html.matchAll(/<article class="card">([\s\S]*?)<\/article>/g)].map((m) => m[1]!);
    const ids = (html: string) => cards(html).map((c) => /arXiv:([^<]+)</.exec(c)![1]!);
    const upvote = (client: TestClient, id: string) => client.submit(`${DAY}?list=all`, `/papers/${id}/upvote`, { upvote: '1' });

    test('learns from upvotes at once, says why, and "not interested" takes a paper out', async () => {
      const { client } = await signedIn(server.app, server.db);
      const before = await client.get(`${DAY}?list=for-you`);
      assert.equal(before.statusCode, 200);
      assert.match(before.body, /Nothing to learn your taste from yet/);
      assert.match(before.body, /aria-current="page">For you/);

      const video = await titled(/\bvideo/i);
      assert.ok(video.length >= 8, `the fixture day has video papers (${video.length})`);
      for (const id of video.slice(0, 3)) assert.equal((await upvote(client, id)).statusCode, 303);

      const page = await client.get(`${DAY}?list=for-you`);
      assert.match(page.body, /ranked for you by what you upvoted/);
      const top = ids(page.body).slice(0, 10);
      const onTopic = top.filter((id) => video.includes(id)).length;
      assert.ok(onTopic >= 6, `${onTopic} of the top 10 are video papers: ${top.join(' ')}`);
      assert.match(page.body, /You upvoted this paper/);
      assert.match(page.body, /Like <a href="\/papers\/[^"]+">[^<]+<\/a>, which you upvoted/);

      // The best paper the member has not voted on, marked "not interested": gone, and back on undo.
      const first = top.find((id) => !video.slice(0, 3).includes(id))!;
      const marked = await client.submit(`${DAY}?list=for-you`, `/papers/${first}/not-interested`, {});
      assert.equal(marked.statusCode, 303);
      assert.ok(!ids((await client.get(`${DAY}?list=for-you`)).body).includes(first));
      const swapped = await client.submit(`${DAY}?list=for-you`, `/papers/${first}/not-interested`, {}, { 'hx-request': 'true' });
      assert.match(swapped.body, /is hidden from For you/);
      await client.submit(`${DAY}?list=for-you`, `/papers/${first}/not-interested`, { undo: '1' });
      assert.ok(ids((await client.get(`${DAY}?list=for-you`)).body).includes(first));
    });

    test('every vote changes the model: it is forgotten, and learned again by the next ranking', async () => {
      const { client, member } = await signedIn(server.app, server.db);
      const taste = () => server.db.db.selectFrom('member_taste').select('weights').where('member_id', '=', member.id).executeTakeFirst();
      const [a, b] = await titled(/\blanguage model/i);
      await upvote(client, a!);
      await client.get(`${DAY}?list=for-you`);
      const first = await taste();
      assert.ok(first, 'learned when the list was ranked');
      await upvote(client, b!);
      assert.equal(await taste(), undefined, 'forgotten by the vote');
      await client.get(`${DAY}?list=for-you`);
      assert.notDeepEqual(Buffer.from((await taste())!.weights), Buffer.from(first.weights));
    });

    test('topics chosen at sign-up or in settings start the ranking; strangers are asked to sign in', async () => {
      const { client } = await signedIn(server.app, server.db);
      const saved = await client.submit('/settings', '/settings/interests', { categories: '', topics: 'video generation\n\ndiffusion' });
      assert.equal(saved.statusCode, 303);
      const page = await client.get(`${DAY}?list=for-you`);
      assert.match(page.body, /On your topic “video generation”/);
      const tooMany = await client.submit('/settings', '/settings/interests', { topics: 'a\nb\nc\nd\ne\nf' });
      assert.equal(tooMany.statusCode, 400);
      assert.match(tooMany.body, /at most 5 topics/);

      // Sign-up takes them too.
      const joining = new TestClient(server.app);
      const joined = await joining.submit('/signup', '/signup', {
        name: 'newreader',
        email: 'newreader@example.org',
        categories: 'cs.CV',
        topics: 'video generation',
      });
      assert.equal(joined.statusCode, 200);
      const newcomer = await findMember(server.db, { name: 'newreader' });
      assert.deepEqual([newcomer?.categories, newcomer?.topics], [['cs.CV'], ['video generation']]);

      const stranger = await server.app.inject({ url: `${DAY}?list=for-you` });
      assert.equal(stranger.statusCode, 200);
      assert.match(stranger.body, /Sign in<\/a> to rank this list/);
      assert.equal((await server.app.inject({ url: `/api/daily_papers?list=for-you` })).statusCode, 400);
    });

    test("a digest can lead with the member's own top papers", async () => {
      const { client, member } = await signedIn(server.app, server.db);
      // The daily digest covers the latest day, whose list is ranked by upvotes; these two have few.
      const liked = ['2608.19863', '2608.19936'];
      for (const id of liked) assert.equal((await client.submit(`/papers/${id}`, `/papers/${id}/upvote`, { upvote: '1' })).statusCode, 303);
      const saved = await client.submit('/settings', '/settings/digest', { frequency: 'daily', top_n: '5', topics: '', for_you: '1' });
      assert.equal(saved.statusCode, 303);
      assert.match((await client.get('/settings')).body, /top 5 papers for you/);
      const config = loadConfig({ PUBLIC_URL: 'http://papers.test', EMBEDDER: 'builtin' });
      const mailer = createMailer({ from: 'digest@papers.test', outboxDir: mkdtempSync(join(tmpdir(), 'paperboy-mail-')) });
      await sendDigests({ database: server.db, mailer, config, now: () => new Date('2026-08-22T09:00:00Z') }, 'daily');
      const mail = await server.db.db
        .selectFrom('outbox')
        .select('text_body')
        .where('recipient', '=', member.email)
        .executeTakeFirstOrThrow();
      assert.match(mail.text_body, /TOP 5 FOR YOU/);
      const order = [...mail.text_body.matchAll(/\/papers\/(\d+\.\d+)/g)].map((m) => m[1]!);
      assert.deepEqual(order.slice(0, 2).sort(), [...liked].sort(), 'what they upvoted leads');
    });
  });
}
