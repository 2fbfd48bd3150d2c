import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useFixtureServer } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { signedIn, TestClient } from '../testing/client.ts';
import { MATH_PAPER } from '../testing/fixtures.ts';

const PAPER = `/papers/${MATH_PAPER}`;

/** Posts a comment from the paper page as a member would; returns the new comment's id. */
async function comment(client: TestClient, body: string, parent?: number): Promise<number> {
  const res = await client.submit(PAPER, `${PAPER}/comments`, { body, ...(parent && { parent: String(parent) }) });
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  const m = new RegExp(`^${PAPER}#comment-(\\d+)$`).exec(res.headers.location as string);
  assert.ok(m, `redirected to the comment: ${res.headers.location}`);
  return Number(m[1]);
}

/** The HTML of one comment on the paper page as `client` sees it. */
async function commentHtml(client: TestClient, id: number): Promise<string> {
  const page = await client.get(PAPER);
  return new RegExp(`<article class="comment[^"]*" id="comment-${id}">([\\s\\S]*?)</article>`).exec(page.body)?.[1] ?? '';
}

for (const backend of testBackends()) {
  describe(`comments on ${backend.name}`, { skip: backend.skip }, () => {
    const server = useFixtureServer(backend);

    test('Markdown is rendered and hostile input is inert', async () => {
      const { client } = await signedIn(server.app, server.db, { name: 'mallory' });
      const hostile = [
        '**bold** and `code` <script>alert(1)</script>',
        '[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://arxiv.org/abs/2301.00001)',
        '<img src=x onerror=alert(1)> <svg onload=alert(1)><a href="javascript:x">y</a>',
        '"><script>alert(2)</script> <iframe src=https://evil.example></iframe>',
      ].join('\n\n');
      const id = await comment(client, hostile);
      const html = await commentHtml(new TestClient(server.app), id);
      assert.match(html, /<strong>bold<\/strong> and <code>code<\/code>/);
      assert.match(html, /<a href="https:\/\/arxiv\.org\/abs\/2301\.00001" rel="nofollow ugc noopener">ok<\/a>/);
      assert.doesNotMatch(html, /<(script|img|svg|iframe)\b/i, 'no hostile element');
      assert.doesNotMatch(html, /<a [^>]*href="(javascript|data):/i, 'no script link');
      assert.doesNotMatch(html, /<[^>]+\son\w+=/i, 'no event handler attribute');
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'shown as text');
      const math = await commentHtml(
        new TestClient(server.app),
        await comment(client, 'If $a_1 * b_2 * c$ then `$x$` and $\\href{javascript:alert(1)}{x}$'),
      );
      assert.match(
        math,
        /<span class="katex">[\s\S]*<annotation encoding="application\/x-tex">a_1 \* b_2 \* c<\/annotation>/,
        'math typeset, its * not read as emphasis',
      );
      assert.match(math, /<code>\$x\$<\/code>/, 'code stays code');
      assert.doesNotMatch(math, /href="javascript/);
    });

    test('replies go one level deep, and counts show on cards and in the API', async () => {
      const { client: ada } = await signedIn(server.app, server.db, { name: 'ada-c' });
      const { client: bob } = await signedIn(server.app, server.db, { name: 'bob-c' });
      const apiCount = async () => {
        const items = JSON.parse((await new TestClient(server.app).get('/api/daily_papers?date=2026-07-01')).body) as {
          paper: { id: string };
          numComments: number;
        }[];
        return items.find((i) => i.paper.id === MATH_PAPER)!.numComments;
      };
      const before = await apiCount();
      const top = await comment(ada, 'Is the bound tight?');
      const reply = await comment(bob, 'Yes, see section 4.', top);
      const replyToReply = await comment(ada, 'Thanks!', reply);
      const page = await new TestClient(server.app).get(PAPER);
      const thread = new RegExp(`id="comment-${top}"[\\s\\S]*?<ol class="replies">([\\s\\S]*?)</ol>`).exec(page.body)?.[1] ?? '';
      assert.match(thread, new RegExp(`id="comment-${reply}"`));
      assert.match(thread, new RegExp(`id="comment-${replyToReply}"`), 'a reply to a reply joins the same thread');
      assert.equal(await apiCount(), before + 3);
      const list = await new TestClient(server.app).get('/papers/date/2026-07-01');
      assert.match(list.body, new RegExp(`href="${PAPER}#comments">${before + 3} comments</a>`));
    });

    test('only the author edits (with history) or deletes; others are refused, strangers sent to sign in', async () => {
      const { client: author } = await signedIn(server.app, server.db, { name: 'author1' });
      const { client: other } = await signedIn(server.app, server.db, { name: 'other1' });
      const id = await comment(author, 'First version');
      assert.match(
        await commentHtml(author, id),
        /<summary>Delete<\/summary>[\s\S]*Delete this comment/,
        'the author is offered a two-step delete',
      );
      assert.doesNotMatch(await commentHtml(other, id), /Delete this comment|\/edit"/, 'nobody else is');
      assert.equal((await other.get(`/comments/${id}/edit`)).statusCode, 403);
      assert.equal((await other.submit(PAPER, `/comments/${id}/edit`, { body: 'Hijacked' })).statusCode, 403);
      assert.equal((await other.submit(PAPER, `/comments/${id}/delete`, {})).statusCode, 403);
      assert.equal(
        (await new TestClient(server.app).get(`/comments/${id}/edit`)).headers.location,
        `/signin?next=%2Fcomments%2F${id}%2Fedit`,
      );

      const edited = await author.submit(`/comments/${id}/edit`, `/comments/${id}/edit`, { body: 'Second version' });
      assert.equal(edited.statusCode, 303);
      const html = await commentHtml(new TestClient(server.app), id);
      assert.match(html, /Second version/);
      assert.match(html, new RegExp(`href="/comments/${id}/history">edited</a>`));
      const history = await new TestClient(server.app).get(`/comments/${id}/history`);
      assert.ok(history.body.indexOf('Second version') < history.body.indexOf('First version'), 'newest first, the first kept');
      const empty = await author.submit(`/comments/${id}/edit`, `/comments/${id}/edit`, { body: '   ' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Write something first/);

      const reply = await comment(other, 'A reply that stays', id);
      assert.equal((await author.submit(PAPER, `/comments/${id}/delete`, {})).statusCode, 303);
      const gone = await commentHtml(new TestClient(server.app), id);
      assert.match(gone, /This comment was deleted by its author/);
      assert.doesNotMatch(gone, /Second version/);
      assert.match((await new TestClient(server.app).get(PAPER)).body, new RegExp(`id="comment-${reply}"`));
      assert.equal((await new TestClient(server.app).get(`/comments/${id}/history`)).statusCode, 404);
    });

    test('reports reach the moderation queue; a hidden comment shows its reason, its words only to its author and moderators', async () => {
      const { client: author } = await signedIn(server.app, server.db, { name: 'spammer' });
      const { client: reader } = await signedIn(server.app, server.db, { name: 'reader1' });
      const { client: member } = await signedIn(server.app, server.db, { name: 'plainmember' });
      const { client: moderator } = await signedIn(server.app, server.db, { name: 'mod1', role: 'moderator' });
      const id = await comment(author, 'Buy cheap GPUs at example.com');
      assert.equal((await author.submit(PAPER, `/comments/${id}/report`, { reason: 'spam' })).statusCode, 400, "not one's own");
      const reported = await reader.submit(PAPER, `/comments/${id}/report`, { reason: 'spam', note: 'an advert' });
      assert.match(reported.body, /Moderators will look at it/);
      assert.match((await reader.submit(PAPER, `/comments/${id}/report`, { reason: 'spam' })).body, /reported this comment already/);
      assert.equal((await reader.submit(PAPER, `/comments/${id}/report`, { reason: 'boring' })).statusCode, 400);

      assert.equal((await member.get('/moderation')).statusCode, 403);
      assert.equal((await member.submit(PAPER, `/comments/${id}/hide`, { reason: 'spam' })).statusCode, 403, 'members cannot hide');
      const queue = await moderator.get('/moderation');
      assert.match(queue.body, /<strong>spam<\/strong> from reader1/);
      assert.match(queue.body, /an advert/);
      const hidden = await moderator.submit('/moderation', `/comments/${id}/hide`, { reason: 'spam', back: '/moderation' });
      assert.equal(hidden.headers.location, '/moderation');
      assert.match((await moderator.get('/moderation')).body, /Reported comments \(0\)/);

      const stranger = await commentHtml(new TestClient(server.app), id);
      assert.match(stranger, /Hidden by moderators: spam\./);
      assert.doesNotMatch(stranger, /cheap GPUs/);
      const own = await commentHtml(author, id);
      assert.match(own, /Hidden by moderators: spam\. Only you and moderators can see it\./);
      assert.match(own, /cheap GPUs/);
      assert.doesNotMatch(own, /href="\/comments\/\d+\/edit"/, 'a hidden comment cannot be edited');
      assert.match(await commentHtml(moderator, id), /cheap GPUs/);
      assert.equal((await new TestClient(server.app).get(`/comments/${id}/history`)).statusCode, 404);

      await moderator.submit(PAPER, `/comments/${id}/unhide`, {});
      assert.match(await commentHtml(new TestClient(server.app), id), /cheap GPUs/);
    });

    test('a member posting too fast is slowed down, with a message', async () => {
      const { client } = await signedIn(server.app, server.db, { name: 'chatty' });
      for (let i = 0; i < 10; i++) await comment(client, `Comment number ${i}`);
      const res = await client.submit(PAPER, `${PAPER}/comments`, { body: 'one more' });
      assert.equal(res.statusCode, 429);
      assert.match(res.body, /posted 10 comments in the last 10 minutes/);
      const long = await (await signedIn(server.app, server.db)).client.submit(PAPER, `${PAPER}/comments`, { body: 'x'.repeat(10_001) });
      assert.equal(long.statusCode, 400);
      assert.match(long.body, /at most 10,000 characters/);
    });
  });
}
