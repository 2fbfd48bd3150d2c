import assert from 'node:assert/strict';
import { test } from 'node:test';
import { saveState } from '../ingest/state.ts';
import { testApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { signedIn, TestClient } from '../testing/client.ts';

test('the operator pages are for admins: strangers are sent to sign in, members are refused, admins see failures', async () => {
  const backend = testBackends()[0]!;
  const db = await backend.fresh();
  await saveState(db, 'rss', {
    cursor: '2026-07-01',
    lastRunAt: '2026-07-02T04:30:00.000Z',
    lastError: 'arXiv RSS error: Bad archive <astroph>',
  });
  const app = await testApp(db);
  try {
    const anonymous = await new TestClient(app).get('/admin/status');
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/signin?next=%2Fadmin%2Fstatus');
    const { client: member } = await signedIn(app, db);
    assert.equal((await member.get('/admin/status')).statusCode, 403);
    const { client: moderator } = await signedIn(app, db, { role: 'moderator' });
    assert.equal((await moderator.get('/admin/outbox')).statusCode, 403);

    const { client: admin } = await signedIn(app, db, { role: 'admin' });
    const page = await admin.get('/admin/status');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<td>rss<\/td>/);
    assert.match(page.body, /failed: arXiv RSS error: Bad archive &lt;astroph&gt;/);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /href="\/admin\/status">Admin</, 'admins get a link to these pages');
    const outbox = await admin.get('/admin/outbox');
    assert.equal(outbox.statusCode, 200);
    assert.match(outbox.body, /Mail goes to files in /);
  } finally {
    await app.close();
    await backend.dispose();
  }
});
