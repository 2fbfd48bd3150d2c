import assert from 'node:assert/strict';
import { test } from 'node:test';
import { saveState } from '../ingest/state.ts';
import { testApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('the ingest status page: off without ADMIN_PASSWORD, behind Basic auth with it, shows failures', async () => {
  const backend = testBackends()[0]!;
  const db = await backend.fresh();
  await saveState(db, 'rss', { cursor: '2026-07-01', lastRunAt: '2026-07-02T04:30:00.000Z', lastError: 'arXiv RSS error: Bad archive <astroph>' });
  const off = await testApp(db);
  assert.equal((await off.inject({ url: '/admin/status' })).statusCode, 404);
  await off.close();

  const app = await testApp(db, { ADMIN_PASSWORD: 'correct horse battery' });
  try {
    const anonymous = await app.inject({ url: '/admin/status' });
    assert.equal(anonymous.statusCode, 401);
    assert.match(anonymous.headers['www-authenticate'] as string, /^Basic realm=/);
    assert.equal((await app.inject({ url: '/admin/status', headers: { authorization: basic('admin', 'wrong password!!') } })).statusCode, 401);
    const page = await app.inject({ url: '/admin/status', headers: { authorization: basic('admin', 'correct horse battery') } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<td>rss<\/td>/);
    assert.match(page.body, /failed: arXiv RSS error: Bad archive &lt;astroph&gt;/);
    assert.equal(page.headers['cache-control'], 'no-store');
    const outbox = await app.inject({ url: '/admin/outbox', headers: { authorization: basic('admin', 'correct horse battery') } });
    assert.equal(outbox.statusCode, 200);
    assert.match(outbox.body, /Mail goes to files in /);
    assert.equal((await app.inject({ url: '/admin/outbox' })).statusCode, 401);
  } finally {
    await app.close();
    await backend.dispose();
  }
});
