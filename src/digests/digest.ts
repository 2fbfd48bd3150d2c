// Building and sending digests. A digest covers a period (a day's list, or an ISO week of lists):
// the subscriber's top N trending papers of it (a member's own top N when they asked for For you),
// then up to five papers per saved topic, found by the site's search. Building queues one outbox row
// per subscriber and period; sending delivers the queue. Both can run any number of times: each
// digest is built once and sent at most once.
import type { EmbeddingSettings } from '../search/embedding/embedder.ts';
import type { Config } from '../config/config.ts';
import type { Mailer } from '../mail/mailer.ts';
import { findMember } from '../accounts/members.ts';
import { periodRanker, type PeriodRanker } from '../ranking/for-you.ts';
import { trending } from '../ranking/trending.ts';
import { search } from '../search/service.ts';
import { InvalidInput } from '../util/errors.ts';
import type { Database } from '../storage/db.ts';
import { latestDay } from '../storage/papers.ts';
import type { Paper } from '../model/paper.ts';
import { addDays, isoWeekOf, weekRange } from '../util/dates.ts';
import { formatDay, formatWeek } from '../util/format.ts';
import { confirmationMail, digestMail, type DigestSection } from './compose.tsx';
import { deliver, enqueue, type DeliverySummary } from './outbox.ts';
import { confirmedSubscribers } from './subscribers.ts';
import type { Subscriber } from '../model/mail.ts';
import { signToken } from './tokens.ts';

export type Frequency = 'daily' | 'weekly';
const PER_TOPIC = 5;

export interface MailContext {
  database: Database;
  mailer: Mailer;
  config: Pick<Config, 'PUBLIC_URL' | 'SITE_NAME' | 'MAIL_PER_SECOND'> & EmbeddingSettings;
  now: () => Date;
}

export interface DigestPeriod {
  key: string; // daily:2026-07-01, weekly:2026-W27
  title: string;
  from: string;
  to: string;
}

/** The period a digest sent now covers: the latest day's list, or the week that ended yesterday. */
export async function digestPeriod(database: Database, frequency: Frequency, now: Date): Promise<DigestPeriod | null> {
  if (frequency === 'daily') {
    const day = await latestDay(database);
    return day ? { key: `daily:${day}`, title: `Papers of ${formatDay(day)}`, from: day, to: day } : null;
  }
  const week = isoWeekOf(addDays(now.toISOString().slice(0, 10), -1));
  const range = weekRange(week)!;
  return { key: `weekly:${week}`, title: `Papers of ${formatWeek(week)}`, ...range };
}

async function links(ctx: MailContext, subscriber: Subscriber) {
  const base = ctx.config.PUBLIC_URL;
  return {
    manage: `${base}/subscription?token=${await signToken(ctx.database, 'manage', subscriber.id)}`,
    unsubscribe: `${base}/unsubscribe?token=${await signToken(ctx.database, 'unsubscribe', subscriber.id)}`,
  };
}

/** A topic's papers in the period, searched once per run however many subscribers share it. */
type TopicPapers = (topic: string) => Promise<Paper[]>;

function topicSearcher(ctx: MailContext, period: DigestPeriod): TopicPapers {
  const found = new Map<string, Promise<Paper[]>>();
  return (topic) => {
    const key = topic.toLowerCase();
    if (!found.has(key)) {
      found.set(
        key,
        (async () => {
          // Hybrid search, as on the site. The first-version date narrows it to the period's
          // neighbourhood; the list day decides.
          const params = { q: topic, from: addDays(period.from, -30), to: period.to };
          const hits = await search(ctx.database, ctx.config, params, 50, 0).then(
            (r) => r.hits,
            (err) => {
              if (err instanceof InvalidInput) return []; // saved topics were checked when saved; a rule changed since is no reason to fail a digest
              throw err;
            },
          );
          return hits
            .map((h) => h.paper)
            .filter((p) => p.listing && p.listing.day >= period.from && p.listing.day <= period.to)
            .slice(0, PER_TOPIC);
        })(),
      );
    }
    return found.get(key)!;
  };
}

/** The subscriber's own ranking when they asked for it and are a member with a taste; else null. */
async function rankedFor(ctx: MailContext, subscriber: Subscriber, forYou: PeriodRanker): Promise<Paper[] | null> {
  if (!subscriber.for_you) return null;
  const member = await findMember(ctx.database, { email: subscriber.email });
  return member ? forYou(member) : null;
}

/** The digest's sections for one subscriber; empty when the period has nothing for them. */
async function sections(
  ctx: MailContext,
  subscriber: Subscriber,
  lists: { trending: Paper[]; forYou: PeriodRanker; topicPapers: TopicPapers },
): Promise<DigestSection[]> {
  const result: DigestSection[] = [];
  const own = await rankedFor(ctx, subscriber, lists.forYou);
  const top = (own ?? lists.trending).slice(0, subscriber.top_n);
  if (top.length) result.push({ heading: own ? `Top ${top.length} for you` : `Top ${top.length} trending`, papers: top });
  const topicPapers = lists.topicPapers;
  for (const topic of subscriber.topics) {
    const papers = await topicPapers(topic);
    if (papers.length) result.push({ heading: `On “${topic}”`, papers });
  }
  return result;
}

export interface DigestSummary extends DeliverySummary {
  period: string | null;
  queued: number;
  skipped: number; // nothing in the period for them, or already queued
}

/** Queues this period's digests for every confirmed subscriber of `frequency`, then sends the queue. */
export async function sendDigests(ctx: MailContext, frequency: Frequency, { dryRun = false } = {}): Promise<DigestSummary> {
  const now = ctx.now();
  const period = await digestPeriod(ctx.database, frequency, now);
  const summary: DigestSummary = { period: period?.key ?? null, queued: 0, skipped: 0, sent: 0, retrying: 0, failed: 0 };
  if (!period) return summary;
  const lists = {
    trending: (await trending(ctx.database, now, period)).map((t) => t.paper),
    forYou: await periodRanker(ctx.database, ctx.config, period, now),
    topicPapers: topicSearcher(ctx, period),
  };
  for (const subscriber of await confirmedSubscribers(ctx.database, frequency)) {
    const content = await sections(ctx, subscriber, lists);
    if (content.length === 0) {
      summary.skipped++;
      continue;
    }
    if (dryRun) {
      summary.queued++;
      continue;
    }
    const { manage, unsubscribe } = await links(ctx, subscriber);
    const mail = digestMail(
      { publicUrl: ctx.config.PUBLIC_URL, siteName: ctx.config.SITE_NAME },
      `${ctx.config.SITE_NAME}: ${period.title}`,
      content,
      manage,
      unsubscribe,
    );
    const queued = await enqueue(
      ctx.database,
      {
        subscriberId: subscriber.id,
        kind: 'digest',
        period: period.key,
        recipient: subscriber.email,
        ...mail,
        // RFC 8058 one-click unsubscribe, and RFC 2369 for the rest.
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      },
      now,
    );
    summary[queued ? 'queued' : 'skipped']++;
  }
  if (!dryRun) Object.assign(summary, await deliverQueue(ctx));
  return summary;
}

/** Queues and sends the mail that asks a new address to confirm (at most one an hour). */
export async function sendConfirmation(ctx: MailContext, subscriber: Subscriber): Promise<void> {
  const now = ctx.now();
  const confirm = `${ctx.config.PUBLIC_URL}/subscribe/confirm?token=${await signToken(ctx.database, 'confirm', subscriber.id)}`;
  const mail = confirmationMail({ publicUrl: ctx.config.PUBLIC_URL, siteName: ctx.config.SITE_NAME }, confirm);
  await enqueue(
    ctx.database,
    {
      subscriberId: subscriber.id,
      kind: 'confirm',
      period: now.toISOString().slice(0, 13),
      recipient: subscriber.email,
      ...mail,
      headers: {},
    },
    now,
  );
  await deliverQueue(ctx);
}

export function deliverQueue(ctx: MailContext): Promise<DeliverySummary> {
  return deliver(ctx.database, ctx.mailer, {
    domain: new URL(ctx.config.PUBLIC_URL).hostname,
    perSecond: ctx.config.MAIL_PER_SECOND,
    now: ctx.now,
  });
}
