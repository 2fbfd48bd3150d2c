import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { useFixtureServer } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { signedIn, TestClient } from '../testing/client.ts';
import { MATH_PAPER, OLD_STYLE_PAPER } from '../testing/fixtures.ts';

for (const backend of testBackends()) {
  describe(`profiles and reading lists on ${backend.name}`, { skip: backend.skip }, () => {
    const server = useFixtureServer(backend);

    test('a profile shows what a member upvoted; unknown names are 404', async () => {
      const { client } = await signedIn(server.app, server.db, { name: 'reader' });
      await client.submit(`/papers/${MATH_PAPER}`, `/papers/${MATH_PAPER}/upvote`, { upvote: '1' });
      const profile = await new TestClient(server.app).get('/u/reader');
      assert.equal(profile.statusCode, 200);
      assert.match(profile.body, /<h1>reader<\/h1>/);
      const upvoted = profile.body.slice(profile.body.indexOf('<h2>Upvoted</h2>'));
      assert.match(upvoted, new RegExp(`href="/papers/${MATH_PAPER}"`));
      assert.match(profile.body, /No public lists\./);
      assert.equal(profile.headers['set-cookie'], undefined, "a stranger's page has no form, so no form cookie");
      assert.equal(profile.headers['cache-control'], 'public, max-age=60');
      assert.equal((await new TestClient(server.app).get('/u/nobody-here')).statusCode, 404);
    });

    test('create a list, save papers to it from their pages, rename it (same URL), share it, remove, delete', async () => {
      const { client } = await signedIn(server.app, server.db, { name: 'curator2' });
      const created = await client.submit('/u/curator2', '/lists', { name: 'Diffusion: reading group', description: 'Week 3' });
      assert.equal(created.statusCode, 303);
      const path = created.headers.location as string;
      assert.equal(path, '/u/curator2/lists/diffusion-reading-group');

      const paperPage = await client.get(`/papers/${MATH_PAPER}`);
      const listId = /<option value="(\d+)">Diffusion: reading group<\/option>/.exec(paperPage.body)?.[1];
      assert.ok(listId, 'the paper page offers the list');
      assert.equal((await client.submit(`/papers/${MATH_PAPER}`, '/lists/save', { paper: MATH_PAPER, list: listId })).statusCode, 303);
      assert.equal(
        (await client.submit(`/papers/${OLD_STYLE_PAPER}`, '/lists/save', { paper: OLD_STYLE_PAPER, list: listId })).statusCode,
        303,
      );
      assert.match(
        (await client.get(`/papers/${MATH_PAPER}`)).body,
        /In your list: <a href="\/u\/curator2\/lists\/diffusion-reading-group">/,
      );

      const own = await client.get(path);
      assert.match(own.body, /A private reading list by/);
      assert.equal((own.body.match(/<article class="card">/g) ?? []).length, 2);
      assert.equal((await new TestClient(server.app).get(path)).statusCode, 404, 'private: a stranger sees nothing');
      const { client: other } = await signedIn(server.app, server.db);
      assert.equal((await other.get(path)).statusCode, 404, 'nor another member');
      assert.equal((await other.get(`${path}/bibtex`)).statusCode, 404);
      assert.equal(
        (await other.submit('/subscribe', `${path}/edit`, { name: 'Mine now', public: '1' })).statusCode,
        404,
        'cannot change what it cannot see',
      );
      assert.equal((await new TestClient(server.app).get(`${path}/rss`)).statusCode, 404, 'no feed for a private list');

      assert.equal(
        (await client.submit(path, `${path}/edit`, { name: 'Diffusion models', description: 'Week 3', public: '1' })).headers.location,
        path,
        'renamed, same address',
      );
      const shared = await new TestClient(server.app).get(path);
      assert.equal(shared.statusCode, 200);
      assert.match(shared.body, /<h1>Diffusion models<\/h1>/);
      assert.match(shared.body, /<link rel="alternate" type="application\/rss\+xml"/);
      assert.match((await new TestClient(server.app).get('/u/curator2')).body, /Diffusion models<\/a> <span class="muted">· 2 papers/);
      const { client: third } = await signedIn(server.app, server.db);
      assert.equal((await third.submit(path, `${path}/edit`, { name: 'Hijacked' })).statusCode, 403, 'public, but still not theirs');

      const feed = parseFeed((await new TestClient(server.app).get(`${path}/atom`)).body);
      assert.equal(feed.title, 'Diffusion models · curator2');
      assert.equal(feed.items.length, 2);

      const bib = await new TestClient(server.app).get(`${path}/bibtex`);
      assert.equal(bib.headers['content-type'], 'application/x-bibtex; charset=utf-8');
      assert.equal(bib.headers['content-disposition'], 'attachment; filename="diffusion-reading-group.bib"');
      assert.equal((bib.body.match(/@misc\{/g) ?? []).length, 2);
      assert.match(bib.body, /eprint += \{hep-th\/9901001\}/);
      assert.match(bib.body, /author += \{Ada Lovelace and {\\'E}milie du Ch{\\\^a}telet\}/);

      await client.submit(path, `${path}/remove`, { paper: OLD_STYLE_PAPER });
      assert.equal(((await client.get(path)).body.match(/<article class="card">/g) ?? []).length, 1);
      assert.equal((await client.submit(path, `${path}/delete`, {})).headers.location, '/u/curator2');
      assert.equal((await client.get(path)).statusCode, 404);
    });

    test('saving to a new list from a paper page; bad names and unknown lists are refused clearly', async () => {
      const { client } = await signedIn(server.app, server.db, { name: 'saver' });
      const res = await client.submit(`/papers/${MATH_PAPER}`, '/lists/save', { paper: MATH_PAPER, list: 'new', name: 'To read' });
      assert.equal(res.statusCode, 303);
      assert.match((await client.get('/u/saver/lists/to-read')).body, new RegExp(`href="/papers/${MATH_PAPER}"`));
      const again = await client.submit('/u/saver', '/lists', { name: 'To read' });
      assert.equal(again.headers.location, '/u/saver/lists/to-read-2', 'a second list of the same name gets its own address');
      const empty = await client.submit('/u/saver', '/lists', { name: '   ' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Give the list a name/);
      assert.equal((await client.submit(`/papers/${MATH_PAPER}`, '/lists/save', { paper: MATH_PAPER, list: '999999' })).statusCode, 404);
      assert.equal((await new TestClient(server.app).get(`/papers/${MATH_PAPER}/bibtex`)).body.startsWith('@misc{lovelace'), true);
    });
  });
}
