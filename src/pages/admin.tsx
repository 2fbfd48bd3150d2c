// Operator pages, for members with the admin role (`paperboy user create-admin` makes the first).
import { recentMails } from '../digests/outbox.ts';
import type { Handler } from '../http/route.ts';
import { requireMember } from '../http/session.ts';
import { listStates } from '../ingest/state.ts';
import { countPapers, latestDay } from '../storage/papers.ts';
import { sendPrivatePage } from './respond.tsx';
import { OutboxPage, StatusPage } from './views/status.tsx';

const OUTBOX_SHOWN = 200;

export const statusPage: Handler = async (ctx, request, reply) => {
  requireMember(request, 'admin');
  const [states, papers, day] = await Promise.all([listStates(ctx.database), countPapers(ctx.database), latestDay(ctx.database)]);
  return sendPrivatePage(ctx, request, reply, (site) => StatusPage({ site, states, papers, latestDay: day }));
};

/** What was mailed, or would have been: without SMTP the mails are files, and this is their list. */
export const outboxPage: Handler = async (ctx, request, reply) => {
  requireMember(request, 'admin');
  const mails = await recentMails(ctx.database, OUTBOX_SHOWN);
  return sendPrivatePage(ctx, request, reply, (site) => OutboxPage({ site, mails, destination: ctx.mailer.description }));
};
