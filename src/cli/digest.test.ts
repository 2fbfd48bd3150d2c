import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { confirmSubscription, requestSubscription } from '../digests/subscribers.ts';
import { importPaths } from '../importer/import.ts';
import { openDatabase } from '../storage/open.ts';
import { migrate } from '../storage/migrate.ts';
import { datasetPath } from '../testing/datasets.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../testing/smtp.ts';

const bin = new URL('../../bin/paperboy.js', import.meta.url).pathname;
const SUBSCRIBERS = 40;
let smtp: SmtpCatcher;
let url: string;

before(async () => {
  smtp = await startSmtpCatcher();
  url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'paperboy-digest-')), 'test.db')}`;
  const db = await openDatabase(url);
  await migrate(db);
  await importPaths(db, [datasetPath('hf-daily-papers/raw-sample/2026-08-21.json')]);
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const s = await requestSubscription(db, `reader${i}@example.org`, { frequency: 'daily', topN: 5, topics: [] }, new Date());
    await confirmSubscription(db, s.id, new Date());
  }
  await db.close();
});
after(() => smtp.close());

/** Runs the CLI without blocking: the SMTP server receiving its mail lives in this process. */
function digestSend(extra: string[] = []) {
  const child = spawn(process.execPath, [bin, 'digest', 'send', ...extra], {
    // Five mails a second: the sender spends most of its time between two sends.
    env: { ...process.env, DATABASE_URL: url, SMTP_URL: smtp.url, MAIL_PER_SECOND: '5', PUBLIC_URL: 'http://papers.test' },
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done };
}

test('digest send --dry-run counts and sends nothing', async () => {
  const { done } = digestSend(['--dry-run']);
  const { code, out } = await done;
  assert.equal(code, 0, out);
  assert.match(out, /daily:2026-08-21: dry run, nothing queued or sent: would queue 40/);
  assert.equal(smtp.mails.length, 0);
});

test('kill -9 between sends, run again: every subscriber has exactly one digest', async () => {
  const first = digestSend();
  await smtp.waitFor(10, 20_000);
  await new Promise((r) => setTimeout(r, 50)); // into the pause after a send
  first.child.kill('SIGKILL');
  assert.equal((await first.done).signal, 'SIGKILL');
  const delivered = smtp.mails.length;
  assert.ok(delivered >= 10 && delivered < SUBSCRIBERS, `${delivered} sent before the kill`);

  const second = digestSend(['--period', 'daily']);
  const { code, out } = await second.done;
  assert.equal(code, 0, out);
  assert.match(out, new RegExp(`0 queued, ${SUBSCRIBERS - delivered} sent`));
  const perRecipient = new Map<string, number>();
  for (const mail of smtp.mails) {
    const to = (mail.to && 'value' in mail.to ? mail.to.value[0]?.address : '') ?? '';
    perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
  }
  assert.equal(perRecipient.size, SUBSCRIBERS);
  assert.ok([...perRecipient.values()].every((n) => n === 1));
});
