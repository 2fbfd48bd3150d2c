// Digests at scale: 10,000 confirmed subscribers with varied topics, each digest built and delivered
// to an SMTP server on loopback, on the 74.7k-paper database of the import benchmark. Target: ≤ 2
// minutes on 2 cores, memory bounded (peak RSS is printed at the end of the run).
import { sendDigests } from '../src/digests/digest.ts';
import { confirmSubscription, requestSubscription } from '../src/digests/subscribers.ts';
import { createMailer } from '../src/mail/mailer.ts';
import type { Database } from '../src/storage/db.ts';
import { startSmtpCatcher } from '../src/testing/smtp.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const TARGET_S = 120;
const TOPICS = [
  'kv cache compression',
  'diffusion for video',
  'reinforcement learning agents',
  'retrieval augmented generation',
  'mixture of experts',
  'vision language models',
  '3d gaussian splatting',
  'speech recognition',
];

export async function benchDigests(line: (name: string, value: string, note?: string) => void, database: Database) {
  const now = new Date();
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const topics = i % 3 === 0 ? [] : [TOPICS[i % TOPICS.length]!, TOPICS[(i * 7) % TOPICS.length]!].slice(0, 1 + (i % 2));
    const s = await requestSubscription(database, `reader${i}@example.org`, { frequency: 'daily', topN: 10, topics }, now);
    await confirmSubscription(database, s.id, now);
  }
  const smtp = await startSmtpCatcher({ keep: false });
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'Paperboy <papers@bench.test>', outboxDir: '' });
  try {
    const start = performance.now();
    const summary = await sendDigests(
      {
        database,
        mailer,
        config: { PUBLIC_URL: 'http://bench.test', SITE_NAME: 'Paperboy', MAIL_PER_SECOND: 10_000, EMBEDDER: 'builtin' },
        now: () => now,
      },
      'daily',
    );
    const seconds = (performance.now() - start) / 1000;
    line(
      `digests: ${SUBSCRIBERS} subscribers, ${summary.sent} sent`,
      `${seconds.toFixed(1)} s`,
      `${Math.round(summary.sent / seconds)} mails/s; target ≤ ${TARGET_S} s (${(seconds / TARGET_S).toFixed(2)}× of budget); received ${smtp.received()}`,
    );
  } finally {
    mailer.close();
    await smtp.close();
  }
}
