// Moving a whole instance: SQLite → PostgreSQL → SQLite gives back every row of every copied table,
// with its ids, and the copy in between works as a site (search, votes, new rows after the old ids).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiToken } from '../src/accounts/api-tokens.ts';
import { issueLink } from '../src/accounts/links.ts';
import { recordAccountMail } from '../src/accounts/mail-log.ts';
import { createMember } from '../src/accounts/members.ts';
import { startSession } from '../src/accounts/sessions.ts';
import { addComment, editComment, getComment, reportComment } from '../src/community/comments.ts';
import { addToList, createList, getList } from '../src/community/lists.ts';
import { setUpvote } from '../src/community/upvotes.ts';
import { enqueue } from '../src/digests/outbox.ts';
import { linkKey } from '../src/digests/tokens.ts';
import { confirmSubscription, requestSubscription } from '../src/digests/subscribers.ts';
import { setNotInterested } from '../src/ranking/for-you.ts';
import { search } from '../src/search/service.ts';
import { activateModel, createModel, prepareActiveModel, saveVectors } from '../src/search/embedding/vectors.ts';
import { COPIED, copyDatabase, CopyError, listTables, NOT_COPIED } from '../src/storage/copy.ts';
import type { Database } from '../src/storage/db.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openDatabase } from '../src/storage/open.ts';
import { testBackends } from '../src/testing/backends.ts';
import { loadFixtures, MATH_PAPER } from '../src/testing/fixtures.ts';

/** An instance with something in every copied table. */
async function populate(db: Database) {
  await loadFixtures(db);
  await linkKey(db); // the instance's signing key: mailed links and form tokens stay good after a move
  const now = new Date('2026-08-21T12:00:00Z');
  const papers = await db.db.selectFrom('paper').select(['id', 'arxiv_id']).orderBy('id').execute();
  const ada = await createMember(
    db,
    { name: 'ada', email: 'ada@example.org', password: 'a long enough passphrase', verifiedAt: now.toISOString() },
    now,
  );
  const bob = await createMember(db, { name: 'bob', email: 'bob@example.org', password: null, topics: ['kv cache'] }, now);
  assert.ok(typeof ada !== 'string' && typeof bob !== 'string');
  await startSession(db, ada.id, now, 'Firefox');
  await issueLink(db, bob.id, 'sign-in', 'bob@example.org', now);
  await createApiToken(db, ada.id, 'script', now);
  for (const p of papers.slice(0, 3)) await setUpvote(db, ada.id, p.id, true, now);
  await setNotInterested(db, bob.id, papers[1]!.id, true, now);
  const first = await addComment(db, { paperId: papers[0]!.id, memberId: ada.id, parentId: null, body: 'A bound with $x^2$.' }, now);
  await addComment(db, { paperId: papers[0]!.id, memberId: bob.id, parentId: first, body: 'Agreed.' }, now);
  await editComment(db, (await getComment(db, first))!, 'A tighter bound with $x^2$.', now);
  await reportComment(db, (await getComment(db, first))!, bob.id, 'spam', 'looks like an ad', now);
  await createList(db, ada.id, { name: 'To read', description: 'Later *this* week', public: true }, now);
  await addToList(db, (await getList(db, 'ada', 'to-read'))!, papers[2]!.id, now);
  const subscriber = await requestSubscription(db, 'reader@example.org', { frequency: 'daily', topN: 10, topics: ['kv cache'] }, now);
  await confirmSubscription(db, subscriber.id, now);
  await enqueue(
    db,
    {
      subscriberId: subscriber.id,
      kind: 'digest',
      period: '2026-08-21',
      recipient: 'reader@example.org',
      subject: 'Today',
      html: '<p>hi</p>',
      text: 'hi',
      headers: {},
    },
    now,
  );
  await recordAccountMail(db, { recipient: 'bob@example.org', kind: 'sign-in', subject: 'Sign in', status: 'sent', error: null }, now);
  const model = await createModel(db, { provider: 'builtin', name: 'test-4', dimensions: 4, data: new Uint8Array([1, 2, 3, 250]) });
  await saveVectors(
    db,
    model.id,
    papers.map((p, i) => ({ paperId: p.id, vector: Float32Array.from([1, i, 0.5, -i / 7]) })),
  );
  await activateModel(db, model.id, 4);
  await db.db.insertInto('ingest_state').values({ source: 'rss', cursor: '2026-08-21', last_run_at: now.toISOString() }).execute();
}

/** Every copied table's rows, in a form both dialects give alike (vectors as numbers). */
async function contents(db: Database): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of COPIED) {
    const rows = await db.db.selectFrom(table).selectAll().execute();
    out[table] = rows
      .map((row) => {
        const plain: Record<string, unknown> = { ...row };
        delete plain.search; // PostgreSQL's generated tsvector
        for (const [k, v] of Object.entries(plain))
          if (v instanceof Uint8Array)
            plain[k] =
              k === 'vector'
                ? Array.from(new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)))
                : Buffer.from(v).toString('hex');
        return JSON.stringify(plain, Object.keys(plain).sort());
      })
      .sort();
  }
  return out;
}

async function fresh(url: string): Promise<Database> {
  const db = await openDatabase(url);
  await migrate(db);
  return db;
}

for (const backend of testBackends().filter((b) => b.name !== 'sqlite')) {
  describe(`copy-database: SQLite → ${backend.name} → SQLite`, { skip: backend.skip }, () => {
    let source: Database;
    let middle: Database;
    before(async () => {
      source = await fresh('sqlite::memory:');
      await populate(source);
      middle = await backend.fresh();
    });
    after(async () => {
      await source?.close();
      await backend.dispose();
    });

    test('every table is either copied or left out with a reason', async () => {
      for (const db of [source, middle])
        for (const table of await listTables(db))
          assert.ok(table in NOT_COPIED || (COPIED as readonly string[]).includes(table), `${table} is in neither list`);
    });

    test('the round trip gives back every row, and the copy in between works as a site', async () => {
      const copied = await copyDatabase(source, middle);
      assert.ok(
        copied.every(({ rows }) => rows > 0),
        `something in every table: ${JSON.stringify(copied)}`,
      );
      await prepareActiveModel(middle);
      const found = await search(middle, { EMBEDDER: 'none' }, { q: 'divergences', mode: 'keyword' }, 10, 0);
      assert.ok(
        found.hits.some((h) => h.paper.arxivId === MATH_PAPER),
        'its keyword index was built as the papers came',
      );
      const newcomer = await createMember(middle, { name: 'newcomer', email: 'new@example.org', password: null }, new Date());
      assert.ok(typeof newcomer !== 'string' && newcomer.id > 2, 'new ids go on after the copied ones');
      await middle.db.deleteFrom('member').where('id', '=', newcomer.id).execute();

      const back = await fresh('sqlite::memory:');
      try {
        await copyDatabase(middle, back);
        assert.deepEqual(await contents(back), await contents(source));
        await assert.rejects(copyDatabase(source, back), CopyError, 'never into a database that has an instance');
      } finally {
        await back.close();
      }
    });
  });
}
