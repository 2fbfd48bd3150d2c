import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMember } from '../accounts/members.ts';
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

test('admins see the members and change roles in the browser, but not their own; the operator pages link to one another', async () => {
  const backend = testBackends()[0]!;
  const db = await backend.fresh();
  const app = await testApp(db);
  try {
    const { client: admin, member: self } = await signedIn(app, db, { name: 'chief', role: 'admin' });
    const { member: reader } = await signedIn(app, db, { name: 'reader-to-promote' });
    const page = await admin.get('/admin/members');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/admin\/outbox">Outbox<\/a>/);
    assert.match(page.body, /reader-to-promote@example\.org/);
    const promoted = await admin.submit('/admin/members', '/admin/members/role', { member: String(reader.id), role: 'moderator' });
    assert.equal(promoted.headers.location, '/admin/members?done=role');
    assert.equal((await findMember(db, { id: reader.id }))?.role, 'moderator');
    const own = await admin.submit('/admin/members', '/admin/members/role', { member: String(self.id), role: 'member' });
    assert.equal(own.statusCode, 400);
    assert.equal((await findMember(db, { id: self.id }))?.role, 'admin');
    assert.equal(
      (await admin.submit('/admin/members', '/admin/members/role', { member: String(reader.id), role: 'emperor' })).statusCode,
      400,
    );
    const { client: plain } = await signedIn(app, db);
    assert.equal((await plain.get('/admin/members')).statusCode, 403);
    assert.match((await admin.get('/admin/status')).body, /<a href="\/admin\/members">Members<\/a>/);

    // Account mails are listed beside digests, without their one-time links.
    const joining = new TestClient(app);
    await joining.submit('/signup', '/signup', { name: 'newcomer', email: 'newcomer@example.org' });
    const outbox = await admin.get('/admin/outbox');
    const accountPart = outbox.body.slice(outbox.body.indexOf('<h2>Account mails</h2>'));
    assert.match(accountPart, /<td>newcomer@example\.org<\/td><td>[^<]+<\/td><td>sent<\/td>/);
    assert.doesNotMatch(outbox.body, /link\?token=/);
  } finally {
    await app.close();
    await backend.dispose();
  }
});
