import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import type { Database } from '../storage/db.ts';
import { testApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { loadFixtures } from '../testing/fixtures.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../testing/smtp.ts';
import { deliverQueue, sendDigests, type MailContext } from './digest.ts';
import { confirmSubscription, getSubscriber, requestSubscription, subscriberByEmail } from './subscribers.ts';
import { signToken } from './tokens.ts';

const NOW = new Date('2026-08-21T12:00:00Z');

/** A form page's CSRF token and cookie, as a browser would keep them. */
async function formSession(app: FastifyInstance, url: string) {
  const res = await app.inject({ url });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  assert.ok(token && cookie.startsWith('_csrf='), 'the form carries a CSRF token and sets its cookie');
  return { token, cookie };
}

function post(app: FastifyInstance, url: string, form: Record<string, string>, cookie?: string) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
    payload: new URLSearchParams(form).toString(),
  });
}

for (const backend of testBackends()) {
  describe(`digests on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    let smtp: SmtpCatcher;
    let mailer: Mailer;
    let app: FastifyInstance;
    let mail: MailContext;
    before(async () => {
      db = await backend.fresh();
      await loadFixtures(db);
      smtp = await startSmtpCatcher();
      mailer = createMailer({ smtpUrl: smtp.url, from: 'Paperboy <papers@papers.test>', outboxDir: '' });
      app = await testApp(db, { SMTP_URL: smtp.url });
      mail = {
        database: db,
        mailer,
        config: { PUBLIC_URL: 'http://papers.test', SITE_NAME: 'Paperboy', MAIL_PER_SECOND: 1000, EMBEDDER: 'builtin' },
        now: () => NOW,
      };
    });
    after(async () => {
      await app.close();
      mailer.close();
      await smtp.close();
      await backend.dispose();
    });

    test('subscribe with an address alone: double opt-in, CSRF, and no telling who subscribes', async () => {
      const { token, cookie } = await formSession(app, '/subscribe');
      assert.equal((await post(app, '/subscribe', { email: 'ada@example.org' })).statusCode, 403); // no CSRF token
      const res = await post(
        app,
        '/subscribe',
        { _csrf: token, email: 'Ada@Example.org', frequency: 'daily', top_n: '5', topics: 'agents\nkv cache' },
        cookie,
      );
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Check your inbox/);
      const [confirmation] = await smtp.waitFor(1);
      assert.equal(confirmation!.to && 'text' in confirmation!.to ? confirmation!.to.text : '', 'ada@example.org');
      assert.match(confirmation!.subject ?? '', /Confirm your Paperboy digest/);
      const link = /http:\/\/papers\.test(\/subscribe\/confirm\?token=[\w.-]+)/.exec(confirmation!.text ?? '')![1]!;
      assert.match(confirmation!.html || '', /Yes, send me the digest/);

      // Before confirming, nothing but that mail goes out.
      assert.equal((await sendDigests(mail, 'daily')).queued, 0);
      // Following the link (as a mail scanner would) confirms nothing; the page's button does.
      const opened = await formSession(app, link);
      assert.match((await app.inject({ url: link })).body, /Yes, send me the digest/);
      assert.equal((await getSubscriber(db, (await subscriberByEmail(db, 'ada@example.org'))!.id))?.status, 'pending');
      const linkToken = new URL(`http://x${link}`).searchParams.get('token')!;
      const confirmed = await post(app, '/subscribe/confirm', { _csrf: opened.token, token: linkToken }, opened.cookie);
      assert.match(confirmed.body, /You are subscribed/);
      assert.equal((await app.inject({ url: '/subscribe/confirm?token=1.AAAAAAAAAAAAAAAAAAAAAA' })).statusCode, 400);

      // Subscribing a confirmed address again: the same answer, and no mail.
      const again = await formSession(app, '/subscribe');
      const repeat = await post(app, '/subscribe', { _csrf: again.token, email: 'ada@example.org' }, again.cookie);
      assert.match(repeat.body, /Check your inbox/);
      assert.equal(smtp.mails.length, 1);
      const bad = await post(app, '/subscribe', { _csrf: again.token, email: 'not an address' }, again.cookie);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /does not look like an email address/);
    });

    test('a digest: HTML and text, top papers and topics, RFC 8058 headers, sent exactly once', async () => {
      smtp.mails.length = 0;
      const summary = await sendDigests(mail, 'daily');
      assert.deepEqual([summary.period, summary.queued, summary.sent], ['daily:2026-08-21', 1, 1]);
      const [digest] = await smtp.waitFor(1);
      assert.match(digest!.subject ?? '', /^Paperboy: Papers of Friday, 21 August 2026$/);
      assert.match(digest!.text ?? '', /TOP 5 TRENDING/);
      assert.match(digest!.html || '', /<table role="presentation"/);
      assert.match(digest!.messageId ?? '', /^<digest-\d+@papers\.test>$/);
      assert.deepEqual(digest!.from?.value[0], { address: 'papers@papers.test', name: 'Paperboy' });
      assert.match(digest!.text ?? '', /ON “AGENTS”/); // the saved topic's section
      assert.match(digest!.text ?? '', /http:\/\/papers\.test\/papers\/2608\.\d+/);
      assert.ok(digest!.date);
      const header = (key: string) => digest!.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n\s+/g, ' '); // unfolded
      assert.match(header('list-unsubscribe') ?? '', /^List-Unsubscribe: <http:\/\/papers\.test\/unsubscribe\?token=[\w.-]+>$/);
      assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      assert.doesNotMatch(digest!.html || '', /utm_|track/i); // no tracking in links
      // Run again: nothing new is built or sent.
      assert.deepEqual([(await sendDigests(mail, 'daily')).queued, (await deliverQueue(mail)).sent], [0, 0]);
      assert.equal(smtp.mails.length, 1);
    });

    test('manage from the signed link, then one-click unsubscribe without a login or a CSRF token', async () => {
      const subscriber = await requestSubscription(db, 'ada@example.org', { frequency: 'daily', topN: 5, topics: [] }, NOW);
      const manageToken = await signToken(db, 'manage', subscriber.id);
      const { token, cookie } = await formSession(app, `/subscription?token=${manageToken}`);
      const saved = await post(
        app,
        '/subscription',
        { _csrf: token, token: manageToken, frequency: 'weekly', top_n: '20', topics: 'diffusion' },
        cookie,
      );
      assert.equal(saved.statusCode, 303);
      assert.deepEqual(
        [(await getSubscriber(db, subscriber.id))?.frequency, (await getSubscriber(db, subscriber.id))?.top_n],
        ['weekly', 20],
      );
      const badTopic = await post(app, '/subscription', { _csrf: token, token: manageToken, topics: '-only -exclusions' }, cookie);
      assert.equal(badTopic.statusCode, 400);
      assert.match(badTopic.body, /not only what to leave out/);
      assert.equal((await app.inject({ url: '/subscription?token=bogus' })).statusCode, 400);

      const unsubscribeToken = await signToken(db, 'unsubscribe', subscriber.id);
      assert.equal((await app.inject({ url: `/unsubscribe?token=${unsubscribeToken}` })).statusCode, 200); // GET only asks
      assert.equal((await getSubscriber(db, subscriber.id))?.status, 'confirmed');
      const oneClick = await post(app, `/unsubscribe?token=${unsubscribeToken}`, { 'List-Unsubscribe': 'One-Click' });
      assert.equal(oneClick.statusCode, 200);
      assert.equal((await getSubscriber(db, subscriber.id))?.status, 'unsubscribed');
      assert.equal((await sendDigests(mail, 'weekly')).queued, 0);
    });

    test('temporary failures retry later; a permanent one marks the address bounced', async () => {
      smtp.mails.length = 0;
      const temp = await requestSubscription(db, 'grace@example.org', { frequency: 'daily', topN: 3, topics: [] }, NOW);
      const gone = await requestSubscription(db, 'nobody@example.org', { frequency: 'daily', topN: 3, topics: [] }, NOW);
      for (const s of [temp, gone]) await confirmSubscription(db, s.id, NOW);
      smtp.refuse('grace@example.org', 450);
      smtp.refuse('nobody@example.org', 550);
      const first = await sendDigests(mail, 'daily');
      assert.deepEqual([first.queued, first.sent, first.retrying, first.failed], [2, 0, 1, 1]);
      assert.equal((await getSubscriber(db, gone.id))?.status, 'bounced');
      const later = await deliverQueue({ ...mail, now: () => new Date(NOW.getTime() + 2 * 60_000) });
      assert.equal(later.sent, 1);
      assert.equal(smtp.mails.length, 1);
      assert.equal((await sendDigests({ ...mail, now: () => new Date(NOW.getTime() + 86_400_000) }, 'daily')).failed, 0);
    });

    test('without SMTP settings, mails are written to the outbox folder', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-files-'));
      const files = createMailer({ from: 'Paperboy <papers@papers.test>', outboxDir: dir });
      await files.send({
        to: 'x@example.org',
        subject: 'Hello',
        html: '<p>Hi</p>',
        text: 'Hi',
        headers: {},
        messageId: '<t-1@papers.test>',
        date: NOW,
      });
      const [name] = readdirSync(dir);
      assert.match(readFileSync(join(dir, name!), 'utf8'), /Subject: Hello/);
      assert.match(files.description, /^files in /);
    });
  });
}
