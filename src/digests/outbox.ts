// The outbox: every mail is a row before it is sent, unique per (subscriber, kind, period), and is
// marked sent right after the server accepts it. A run killed between two sends leaves the rest
// pending for the next run; none is built or sent twice. Temporary failures (4xx, timeouts) retry
// with backoff; a permanent one (5xx) marks the address bounced and stops mailing it.
import type { Database } from '../storage/db.ts';
import type { Mail, Mailer } from '../mail/mailer.ts';
import { MailError } from '../mail/mailer.ts';
import { setStatus } from './subscribers.ts';
import type { OutboxEntry } from '../model/mail.ts';

export interface OutgoingMail {
  subscriberId: number;
  kind: 'confirm' | 'digest';
  period: string;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export const MAX_ATTEMPTS = 6;
const LEASE_MS = 10 * 60_000;
const BACKOFF_MINUTES = [1, 5, 15, 60, 240];

/** Queues a mail unless one of its kind and period is already queued for the subscriber. */
export async function enqueue(database: Database, mail: OutgoingMail, now: Date): Promise<boolean> {
  const result = await database.db
    .insertInto('outbox')
    .values({
      subscriber_id: mail.subscriberId,
      kind: mail.kind,
      period: mail.period,
      recipient: mail.recipient,
      subject: mail.subject,
      html: mail.html,
      text_body: mail.text,
      headers: JSON.stringify(mail.headers),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['subscriber_id', 'kind', 'period']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface DeliverySummary {
  sent: number;
  retrying: number;
  failed: number;
}

/** Sends every pending mail that is due, at most `perSecond` a second. */
export async function deliver(
  database: Database,
  mailer: Mailer,
  {
    domain,
    perSecond,
    now = () => new Date(),
    sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  }: {
    domain: string; // for Message-IDs
    perSecond: number;
    now?: () => Date;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0 };
  const due = await database.db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now().toISOString())
    .orderBy('id')
    .execute();
  for (const row of due) {
    const started = Date.now();
    // Claim the row with a lease, so two senders (the server and a `paperboy digest send`, say)
    // never both send it; a sender that dies holding it lets the lease run out and the next retries.
    const claimed = await database.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date(now().getTime() + LEASE_MS).toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const mail: Mail = {
      to: row.recipient,
      subject: row.subject,
      html: row.html,
      text: row.text_body,
      headers: JSON.parse(row.headers) as Record<string, string>,
      // The same id on a retry, so a server or client that did receive it can tell.
      messageId: `<${row.kind}-${row.id}@${domain}>`,
      date: new Date(row.created_at),
    };
    try {
      await mailer.send(mail);
      await database.db
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: now().toISOString(), attempts: row.attempts + 1, last_error: null })
        .where('id', '=', row.id)
        .execute();
      summary.sent++;
    } catch (err) {
      const permanent = err instanceof MailError && err.permanent;
      const attempts = row.attempts + 1;
      const giveUp = permanent || attempts >= MAX_ATTEMPTS;
      const next = new Date(now().getTime() + (BACKOFF_MINUTES[attempts - 1] ?? 240) * 60_000);
      await database.db
        .updateTable('outbox')
        .set({
          status: giveUp ? 'failed' : 'pending',
          attempts,
          last_error: (err as Error).message.slice(0, 1000),
          next_attempt_at: next.toISOString(),
        })
        .where('id', '=', row.id)
        .execute();
      if (permanent) await setStatus(database, row.subscriber_id, 'bounced', now());
      summary[giveUp ? 'failed' : 'retrying']++;
    }
    const wait = 1000 / perSecond - (Date.now() - started);
    if (wait > 0) await sleep(wait);
  }
  return summary;
}

/** Mails by status (pending is the queue still to send), and when a mail last went out. */
export async function outboxState(database: Database): Promise<{ byStatus: Record<string, number>; lastSentAt: string | null }> {
  const rows = await database.db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('sent_at').as('last')])
    .groupBy('status')
    .execute();
  const last = rows.map((r) => r.last).filter((t): t is string => !!t);
  return {
    byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    lastSentAt: last.length ? last.sort().at(-1)! : null,
  };
}

/** The latest mails, newest first, for the operator's outbox page. */
export async function recentMails(database: Database, limit: number): Promise<OutboxEntry[]> {
  const rows = await database.db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    recipient: r.recipient,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));
}
