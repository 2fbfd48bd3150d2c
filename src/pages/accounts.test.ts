import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { findMember } from '../accounts/members.ts';
import { sessionMember, startSession } from '../accounts/sessions.ts';
import { subscriberByEmail } from '../digests/subscribers.ts';
import type { Database } from '../storage/db.ts';
import { testApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { csrfOf, signedIn, TestClient } from '../testing/client.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../testing/smtp.ts';

/** The path of the link in a mail (the site is http://papers.test). */
function linkIn(mail: ParsedMail): string {
  const m = /http:\/\/papers\.test(\/link\?token=[\w-]+(?:&next=[^\s"]+)?)/.exec(mail.text ?? '');
  assert.ok(m, `a link in “${mail.subject}”`);
  return m[1]!;
}

/** A page's text without its per-request CSRF token, to compare two answers. */
const sameAnswer = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');

for (const backend of testBackends()) {
  describe(`accounts on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    let smtp: SmtpCatcher;
    let app: FastifyInstance;
    const mailsTo = (address: string) => smtp.mails.filter((m) => (m.to as { text: string }).text === address);
    async function nextMailTo(address: string, count: number) {
      const deadline = Date.now() + 5000;
      while (mailsTo(address).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const mails = mailsTo(address);
      assert.equal(mails.length, count, `mail #${count} to ${address}`);
      return mails[count - 1]!;
    }

    before(async () => {
      db = await backend.fresh();
      smtp = await startSmtpCatcher();
      app = await testApp(db, { SMTP_URL: smtp.url });
    });
    after(async () => {
      await app.close();
      await smtp.close();
      await backend.dispose();
    });

    test('sign up, confirm by the mailed link, and be signed in with a well-made session cookie', async () => {
      const browser = new TestClient(app);
      const noToken = await browser.post('/signup', { name: 'ada', email: 'ada@example.org' });
      assert.equal(noToken.statusCode, 403, 'CSRF token required');
      const res = await browser.submit('/signup', '/signup', {
        name: 'ada',
        email: 'Ada@Example.org',
        password: 'analytical engine',
        next: '/papers/trending',
      });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Check your inbox/);
      assert.equal(browser.cookies.has('session'), false, 'not signed in before confirming');
      const mail = await nextMailTo('ada@example.org', 1);
      assert.match(mail.subject!, /Confirm your address/);
      const link = linkIn(mail);
      assert.match(link, /&next=%2Fpapers%2Ftrending$/);

      // Opening the link (as a mail scanner would) uses nothing up; the button does.
      assert.equal((await new TestClient(app).get(link)).statusCode, 200);
      const page = await browser.get(link);
      assert.match(page.body, /Confirm and sign in/);
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      const token = /name="token" value="([\w-]+)"/.exec(page.body)![1]!;
      const confirmed = await browser.post('/link', { _csrf: csrfOf(page.body), token, next: '/papers/trending' });
      assert.equal(confirmed.statusCode, 303);
      assert.equal(confirmed.headers.location, '/papers/trending');
      const cookie = String(([] as string[]).concat(confirmed.headers['set-cookie'] as string[]).find((c) => c.startsWith('session=')));
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Secure/, 'no Secure flag on a plain-http site');
      assert.equal((await findMember(db, { email: 'ada@example.org' }))?.verified, true);

      const home = await browser.get('/about');
      assert.match(home.body, /<a class="member-name" href="\/u\/ada" title="Your profile">ada<\/a>/);
      assert.equal(home.headers['cache-control'], 'private, no-cache', "a member's pages stay out of shared caches");
      assert.match(String(home.headers.vary), /Cookie/);
      assert.equal((await new TestClient(app).get('/about')).headers['cache-control'], 'public, max-age=60');

      // The form token from before signing in is no good in the new session; the page's own is.
      assert.equal((await browser.post('/link', { _csrf: csrfOf(page.body), token })).statusCode, 403);
      const reused = await browser.post('/link', { _csrf: csrfOf(home.body), token });
      assert.equal(reused.statusCode, 400);
      assert.match(reused.body, /does not work any more/);
    });

    test('nobody learns from the forms whether an address has an account; the mails differ', async () => {
      await signedIn(app, db, { name: 'grace', password: 'compilers are fun' });
      for (const [form, fields] of [
        ['/signup', (email: string) => ({ name: `n${Math.random().toString(36).slice(2, 8)}`, email })],
        ['/signin', (email: string) => ({ email })],
        ['/reset', (email: string) => ({ email })],
      ] as const) {
        const action = form === '/signin' ? '/signin/link' : form;
        const known = await new TestClient(app).submit(form, action, fields('grace@example.org'));
        const stranger = `nobody-${form.slice(1)}@example.org`;
        const unknown = await new TestClient(app).submit(form, action, fields(stranger));
        assert.equal(known.statusCode, 200);
        assert.equal(
          sameAnswer(known.body).replaceAll('grace@', 'X@'),
          sameAnswer(unknown.body).replaceAll(`nobody-${form.slice(1)}@`, 'X@'),
          `${action} answers alike`,
        );
      }
      const toGrace = (await nextMailTo('grace@example.org', 3)) && mailsTo('grace@example.org').map((m) => m.subject);
      assert.deepEqual(toGrace, ['You already have a Paperboy account', 'Your Paperboy sign-in link', 'Set a new Paperboy password']);
      assert.equal((await nextMailTo('nobody-signup@example.org', 1)).subject, 'Confirm your address for Paperboy');
      assert.equal((await nextMailTo('nobody-signin@example.org', 1)).subject, 'No Paperboy account uses this address');
      assert.equal((await nextMailTo('nobody-reset@example.org', 1)).subject, 'No Paperboy account uses this address');

      const wrongEmail = await new TestClient(app).submit('/signin', '/signin', {
        email: 'nobody2@example.org',
        password: 'compilers are fun',
      });
      const wrongPassword = await new TestClient(app).submit('/signin', '/signin', {
        email: 'grace@example.org',
        password: 'compilers are dull',
      });
      assert.equal(wrongEmail.statusCode, 400);
      assert.equal(wrongPassword.statusCode, 400);
      assert.match(wrongPassword.body, /do not match an account/);
      assert.equal(sameAnswer(wrongEmail.body).replaceAll('nobody2@', 'X@'), sameAnswer(wrongPassword.body).replaceAll('grace@', 'X@'));
    });

    test('password sign-in starts a new session, throttles guessing, and the emailed link still works', async () => {
      await signedIn(app, db, { name: 'linus', password: 'penguins everywhere' });
      const browser = new TestClient(app);
      browser.cookies.set('session', 'planted-by-someone-else-0000000000000000000');
      const ok = await browser.submit('/signin?next=/settings', '/signin', {
        email: 'LINUS@example.org',
        password: 'penguins everywhere',
        next: '/settings',
      });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/settings');
      assert.notEqual(browser.cookies.get('session'), 'planted-by-someone-else-0000000000000000000');
      assert.equal((await browser.get('/settings')).statusCode, 200);

      const offsite = await new TestClient(app).submit('/signin', '/signin', {
        email: 'linus@example.org',
        password: 'penguins everywhere',
        next: '//evil.example/steal',
      });
      assert.equal(offsite.headers.location, '/', 'never sent to another site');

      const guesser = new TestClient(app);
      for (let i = 0; i < 5; i++)
        assert.equal(
          (await guesser.submit('/signin', '/signin', { email: 'linus@example.org', password: `guess number ${i}` })).statusCode,
          400,
        );
      const throttled = await guesser.submit('/signin', '/signin', { email: 'linus@example.org', password: 'penguins everywhere' });
      assert.equal(throttled.statusCode, 429, 'even the right password waits');
      assert.match(throttled.body, /Too many wrong passwords for this address\. Try again in 15 minutes/);
      const before = mailsTo('linus@example.org').length;
      await guesser.submit('/signin', '/signin/link', { email: 'linus@example.org' });
      const link = linkIn(await nextMailTo('linus@example.org', before + 1));
      const page = await guesser.get(link);
      assert.match(page.body, /Continue to sign in/);
      const signedInByLink = await guesser.post('/link', {
        _csrf: csrfOf(page.body),
        token: /name="token" value="([\w-]+)"/.exec(page.body)![1]!,
      });
      assert.equal(signedInByLink.statusCode, 303);
      assert.equal((await guesser.get('/settings')).statusCode, 200);
    });

    test('a reset link sets a new password and signs every other browser out', async () => {
      const { client: laptop } = await signedIn(app, db, { name: 'barbara', password: 'abstract data types' });
      const phone = new TestClient(app);
      await phone.submit('/reset', '/reset', { email: 'barbara@example.org' });
      const page = await phone.get(linkIn(await nextMailTo('barbara@example.org', 1)));
      const token = /name="token" value="([\w-]+)"/.exec(page.body)![1]!;
      const short = await phone.post('/link', { _csrf: csrfOf(page.body), token, password: 'short' });
      assert.equal(short.statusCode, 400, 'a bad password does not use up the link');
      const set = await phone.post('/link', { _csrf: csrfOf(short.body), token, password: 'liskov substitution' });
      assert.equal(set.statusCode, 303);
      assert.equal(set.headers.location, '/settings?done=password');
      assert.match((await phone.get('/settings?done=password')).body, /Every other browser is signed out/);
      assert.equal((await laptop.get('/settings')).statusCode, 303, 'the other session ended');
      assert.equal(
        (await new TestClient(app).submit('/signin', '/signin', { email: 'barbara@example.org', password: 'abstract data types' }))
          .statusCode,
        400,
      );
      assert.equal(
        (await new TestClient(app).submit('/signin', '/signin', { email: 'barbara@example.org', password: 'liskov substitution' }))
          .statusCode,
        303,
      );
    });

    test('changing the password in settings needs the current one and ends other sessions', async () => {
      const { client: one } = await signedIn(app, db, { name: 'edsger', password: 'goto considered harmful' });
      const { client: two } = await signedIn(app, db, { name: 'edsger2' });
      const other = new TestClient(app);
      await other.submit('/signin', '/signin', { email: 'edsger@example.org', password: 'goto considered harmful' });
      assert.match((await one.get('/settings')).body, /Signed in on 2 browsers/);
      const wrong = await one.submit('/settings', '/settings/password', {
        current: 'not the password',
        password: 'structured programming',
      });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /current password is not right/);
      const ok = await one.submit('/settings', '/settings/password', {
        current: 'goto considered harmful',
        password: 'structured programming',
      });
      assert.equal(ok.statusCode, 303);
      assert.equal((await one.get('/settings')).statusCode, 200, 'this browser stays signed in, on a new session');
      assert.equal((await other.get('/settings')).statusCode, 303, 'the other browser is out');
      assert.equal((await two.get('/settings')).statusCode, 200, 'another member is untouched');
    });

    test('a new address is used only once confirmed from its inbox, and the old one is told', async () => {
      const { client, member } = await signedIn(app, db, { name: 'margaret' });
      await client.submit('/settings', '/settings/digest', { frequency: 'daily', top_n: '5' });
      const res = await client.submit('/settings', '/settings/email', { email: 'margaret@nasa.example' });
      assert.match(res.body, /keeps margaret@example\.org until you follow it/);
      assert.equal((await findMember(db, { id: member.id }))?.email, 'margaret@example.org');
      const page = await client.get(linkIn(await nextMailTo('margaret@nasa.example', 1)));
      const done = await client.post('/link', { _csrf: csrfOf(page.body), token: /name="token" value="([\w-]+)"/.exec(page.body)![1]! });
      assert.equal(done.headers.location, '/settings?done=email');
      assert.equal((await findMember(db, { id: member.id }))?.email, 'margaret@nasa.example');
      assert.equal((await subscriberByEmail(db, 'margaret@nasa.example'))?.status, 'confirmed', 'the digest moved with the address');
      assert.equal(await subscriberByEmail(db, 'margaret@example.org'), null);
      assert.match((await nextMailTo('margaret@example.org', 1)).subject!, /address was changed/);
    });

    test('sign out, and sign out everywhere', async () => {
      const { client: a } = await signedIn(app, db, { name: 'alan' });
      const b = new TestClient(app);
      await b.submit('/signin', '/signin/link', { email: 'alan@example.org' });
      const page = await b.get(linkIn(await nextMailTo('alan@example.org', 1)));
      await b.post('/link', { _csrf: csrfOf(page.body), token: /name="token" value="([\w-]+)"/.exec(page.body)![1]! });
      assert.equal((await b.get('/settings')).statusCode, 200);
      const out = await b.submit('/settings', '/signout', {});
      assert.equal(out.statusCode, 303);
      assert.equal(b.cookies.has('session'), false);
      assert.equal((await a.get('/settings')).statusCode, 200, 'signing out one browser leaves the others');
      const c = new TestClient(app);
      await c.submit('/signin', '/signin/link', { email: 'alan@example.org' });
      const page2 = await c.get(linkIn(await nextMailTo('alan@example.org', 2)));
      await c.post('/link', { _csrf: csrfOf(page2.body), token: /name="token" value="([\w-]+)"/.exec(page2.body)![1]! });
      const everywhere = await c.submit('/settings', '/settings/signout-everywhere', {});
      assert.match(everywhere.body, /Signed out everywhere/);
      assert.match(everywhere.body, /href="\/signin">Sign in</);
      assert.equal((await a.get('/settings')).statusCode, 303);
      assert.equal((await c.get('/settings')).statusCode, 303);
    });

    test('a member starts, changes and stops the digest from settings, with no confirmation mail', async () => {
      const { client } = await signedIn(app, db, { name: 'digester' });
      assert.match(
        (await client.get('/settings')).body,
        /Get the most upvoted new papers, and new ones on your topics, at digester@example\.org/,
      );
      const on = await client.submit('/settings', '/settings/digest', { frequency: 'weekly', top_n: '5', topics: 'kv cache\ndiffusion' });
      assert.equal(on.headers.location, '/settings?done=digest#digest');
      let subscriber = await subscriberByEmail(db, 'digester@example.org');
      assert.deepEqual(
        [subscriber?.status, subscriber?.frequency, subscriber?.top_n, subscriber?.topics],
        ['confirmed', 'weekly', 5, ['kv cache', 'diffusion']],
      );
      assert.match((await client.get('/settings')).body, /Your weekly digest of the top 5 papers comes to digester@example\.org/);
      const bad = await client.submit('/settings', '/settings/digest', { frequency: 'hourly' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Choose daily or weekly/);
      await client.submit('/settings', '/settings/digest/stop', {});
      assert.equal((await subscriberByEmail(db, 'digester@example.org'))?.status, 'unsubscribed');
      await client.submit('/settings', '/settings/digest', { frequency: 'daily', top_n: '10' });
      subscriber = await subscriberByEmail(db, 'digester@example.org');
      assert.deepEqual([subscriber?.status, subscriber?.frequency], ['confirmed', 'daily'], 'and back on');
      assert.equal(mailsTo('digester@example.org').length, 0, 'the account confirmed the address already');
      assert.equal(
        (await new TestClient(app).submit('/subscribe', '/settings/digest', { frequency: 'daily' })).statusCode,
        303,
        'a stranger is sent to sign in',
      );
    });

    test('sessions expire after 30 days unused and slide while used', async () => {
      const { member } = await signedIn(app, db, { name: 'ken' });
      const start = new Date('2026-01-01T00:00:00Z');
      const { token } = await startSession(db, member.id, start);
      const day = 86_400_000;
      assert.ok(await sessionMember(db, token, new Date(start.getTime() + 29 * day)));
      const slid = await sessionMember(db, token, new Date(start.getTime() + 29 * day));
      assert.equal(slid?.refreshed, false, 'written at most once a day');
      assert.ok(await sessionMember(db, token, new Date(start.getTime() + 58 * day)), 'used on day 29: good until day 59');
      assert.equal(await sessionMember(db, token, new Date(start.getTime() + 89 * day)), null);
      assert.equal(await sessionMember(db, 'not a token', start), null);
    });
  });
}

test('sign-up, sign-in and emailed links are rate limited per client address', async () => {
  const backend = testBackends()[0]!;
  const db = await backend.fresh();
  const app = await testApp(db, { AUTH_RATE_LIMIT_PER_HOUR: '3' });
  try {
    const browser = new TestClient(app);
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await browser.submit('/signin', '/signin/link', { email: `someone${i}@example.org` })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  } finally {
    await app.close();
    await backend.dispose();
  }
});

test('behind https the session cookie is Secure, and so is the CSRF cookie', async () => {
  const backend = testBackends()[0]!;
  const db = await backend.fresh();
  const app = await testApp(db, { PUBLIC_URL: 'https://papers.example' });
  try {
    await signedIn(app, db, { name: 'secure', password: 'a long enough password' });
    const browser = new TestClient(app);
    const res = await browser.submit('/signin', '/signin', { email: 'secure@example.org', password: 'a long enough password' });
    assert.equal(res.statusCode, 303);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
    assert.match(
      cookies.find((c) => c.startsWith('session='))!,
      /; Secure/,
    );
    assert.match(String((await new TestClient(app).get('/signin')).headers['set-cookie']), /_csrf=[^;]+;.*Secure/);
    assert.match(String((await browser.get('/settings')).headers['strict-transport-security']), /max-age=/);
  } finally {
    await app.close();
    await backend.dispose();
  }
});
