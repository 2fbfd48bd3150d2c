// Operator pages, behind HTTP Basic authentication with the ADMIN_PASSWORD setting (user name
// `admin`). Without ADMIN_PASSWORD they are off. Members and roles will take this over.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Mailer } from '../mail/mailer.ts';
import { listStates } from '../ingest/state.ts';
import { countPapers, latestDay } from '../storage/papers.ts';
import type { WebContext } from './context.ts';
import { HttpError } from './errors.ts';
import { renderPage } from './pages/layout.tsx';
import { OutboxPage, StatusPage } from './pages/status.tsx';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function authorised(request: FastifyRequest, password: string): boolean {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice(6), 'base64').toString('utf8');
  // Compare digests so the comparison takes the same time whatever was sent.
  return timingSafeEqual(digest(given), digest(`admin:${password}`));
}

export function registerAdmin(app: FastifyInstance, { database, site }: WebContext, password: string | undefined, mailer: Mailer) {
  const options = { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };
  const operatorOnly = (request: FastifyRequest, reply: FastifyReply) => {
    if (!password) throw new HttpError(404, 'Page not found', 'Operator pages are off: set ADMIN_PASSWORD to turn them on.');
    if (!authorised(request, password)) {
      reply.header('www-authenticate', 'Basic realm="Paperboy admin", charset="UTF-8"');
      throw new HttpError(401, 'Sign in', 'These pages are for the operator of this site.');
    }
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
  };

  app.get('/admin/status', options, async (request, reply) => {
    operatorOnly(request, reply);
    const [states, papers, day] = await Promise.all([listStates(database), countPapers(database), latestDay(database)]);
    return reply.send(renderPage(StatusPage({ site, states, papers, latestDay: day })));
  });

  // What was mailed, or would have been: without SMTP the mails are files, and this is their list.
  app.get('/admin/outbox', options, async (request, reply) => {
    operatorOnly(request, reply);
    const mails = await database.db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(200).execute();
    return reply.send(renderPage(OutboxPage({ site, mails, destination: mailer.description })));
  });
}
