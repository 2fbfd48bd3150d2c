// Operator pages, for members with the admin role (`paperboy user create-admin` makes the first).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Mailer } from '../mail/mailer.ts';
import { listStates } from '../ingest/state.ts';
import { countPapers, latestDay } from '../storage/papers.ts';
import type { WebContext } from './context.ts';
import { renderPage } from './pages/layout.tsx';
import { requireMember, siteFor } from './session.ts';
import { OutboxPage, StatusPage } from './pages/status.tsx';

export function registerAdmin(app: FastifyInstance, { database, site }: WebContext, mailer: Mailer) {
  const options = { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };
  const operatorOnly = (request: FastifyRequest, reply: FastifyReply) => {
    requireMember(request, 'admin');
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    return siteFor(site, request, reply);
  };

  app.get('/admin/status', options, async (request, reply) => {
    const viewed = operatorOnly(request, reply);
    const [states, papers, day] = await Promise.all([listStates(database), countPapers(database), latestDay(database)]);
    return reply.send(renderPage(StatusPage({ site: viewed, states, papers, latestDay: day })));
  });

  // What was mailed, or would have been: without SMTP the mails are files, and this is their list.
  app.get('/admin/outbox', options, async (request, reply) => {
    const viewed = operatorOnly(request, reply);
    const mails = await database.db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(200).execute();
    return reply.send(renderPage(OutboxPage({ site: viewed, mails, destination: mailer.description })));
  });
}
