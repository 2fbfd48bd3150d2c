import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApiToken } from '../accounts/api-tokens.ts';
import { useFixtureServer } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { signedIn } from '../testing/client.ts';
import { MATH_PAPER } from '../testing/fixtures.ts';

for (const backend of testBackends()) {
  describe(`personal API tokens on ${backend.name}`, { skip: backend.skip }, () => {
    const server = useFixtureServer(backend);
    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string) =>
      server.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {} });

    test('made in settings, shown once, stored hashed; revoked, it stops at once', async () => {
      const { client, member } = await signedIn(server.app, server.db, { name: 'scripter' });
      const made = await client.submit('/settings', '/settings/tokens', { name: 'my script' });
      assert.equal(made.statusCode, 200);
      assert.equal(made.headers['cache-control'], 'no-store');
      const token = /<code class="token">(pb_[\w-]+)<\/code>/.exec(made.body)?.[1];
      assert.ok(token, 'the new token is on the page');
      const stored = await server.db.db.selectFrom('api_token').selectAll().where('member_id', '=', member.id).execute();
      assert.equal(stored.length, 1);
      assert.ok(!JSON.stringify(stored).includes(token.slice(3, 20)), 'only a hash is kept');
      assert.doesNotMatch((await client.get('/settings')).body, new RegExp(token), 'shown once');
      assert.match((await client.get('/settings')).body, new RegExp(`my script</strong> <span class="muted">…${token.slice(-4)}`));

      const me = await call('GET', '/api/me', token);
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().name, 'scripter');

      const revoked = await client.submit('/settings', '/settings/tokens/revoke', { id: String(stored[0]!.id) });
      assert.equal(revoked.statusCode, 303);
      assert.equal((await call('GET', '/api/me', token)).statusCode, 401);
    });

    test('upvote and take it back with a token; a bad token is a 401 for writes and ignored by public reads', async () => {
      const { member } = await signedIn(server.app, server.db, { name: 'apivoter' });
      const { token } = await createApiToken(server.db, member.id, 'voter', new Date());
      const before = (await call('GET', `/api/papers/${MATH_PAPER}`)).json().upvotes as number;
      const up = await call('POST', `/api/papers/${MATH_PAPER}/upvote`, token);
      assert.equal(up.statusCode, 200);
      assert.deepEqual(up.json(), { id: MATH_PAPER, upvoted: true, upvotes: before + 1 });
      assert.equal((await call('POST', `/api/papers/${MATH_PAPER}/upvote`, token)).json().upvotes, before + 1, 'idempotent');
      assert.equal((await call('DELETE', `/api/papers/${MATH_PAPER}/upvote`, token)).json().upvotes, before);

      const forged = await call('POST', `/api/papers/${MATH_PAPER}/upvote`, 'pb_not-a-real-token');
      assert.equal(forged.statusCode, 401);
      assert.equal(forged.headers['www-authenticate'], 'Bearer');
      assert.equal((await call('POST', `/api/papers/${MATH_PAPER}/upvote`)).statusCode, 401, 'no token');
      assert.equal((await call('GET', `/api/papers/${MATH_PAPER}`, 'hf_someone-elses-token')).statusCode, 200, 'public reads ignore it');
      assert.equal((await call('GET', '/api/daily_papers', 'pb_unknown')).statusCode, 200);
      assert.equal((await call('GET', '/api/me', 'pb_unknown')).statusCode, 401);
      assert.equal((await call('GET', '/api/me')).statusCode, 401);
      assert.equal((await call('POST', '/api/papers/2607.99999/upvote', token)).statusCode, 404);
      assert.equal((await call('POST', '/api/papers/not-an-id/upvote', token)).statusCode, 400);
    });

    test('For you through the API: HF-shaped items, best first', async () => {
      const { member } = await signedIn(server.app, server.db, { name: 'apireader' });
      const { token } = await createApiToken(server.db, member.id, 'reader', new Date());
      assert.deepEqual((await call('GET', '/api/me/for-you?date=2026-07-01', token)).json(), [], 'nothing liked yet');
      assert.equal((await call('GET', '/api/me/for-you?date=2026-13-01', token)).statusCode, 400);
      assert.equal((await call('GET', '/api/me/for-you?limit=0', token)).statusCode, 400);
    });
  });
}
