// The HTTP server: Fastify with security headers, compression, ETags and rate limits, the pages, the
// JSON API and static assets. Everything a request needs is passed in; nothing here opens files or
// databases on its own.
import { createHash, randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import { fileURLToPath } from 'node:url';
import compress from '@fastify/compress';
import etag from '@fastify/etag';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import staticFiles from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { openApiDocument } from '../api/openapi.ts';
import { registerApi } from '../api/routes.ts';
import { registerFeeds } from '../feeds/routes.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../storage/db.ts';
import { registerAdmin } from './admin.ts';
import { linkKey } from '../digests/tokens.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import type { WebContext } from './context.ts';
import { HttpError } from './errors.ts';
import { ErrorPage } from './pages/error.tsx';
import { renderPage, type Site } from './pages/layout.tsx';
import { registerPages } from './routes.tsx';
import { registerSubscription } from './subscription.tsx';
import { registerAccounts } from './accounts.tsx';
import { registerCommunity } from './community.tsx';
import { registerProfiles } from './profiles.tsx';
import type { Lookup, SubmissionRules } from '../community/submissions.ts';
import { makeSources, type Sources } from '../ingest/run.ts';
import { hasFormToken, registerSessions, siteFor } from './session.ts';

export interface ServerOptions {
  config: Config;
  database: Database;
  logger: Logger;
  now?: () => Date;
  /** Defaults to SMTP_URL, or .eml files in OUTBOX_DIR. */
  mailer?: Mailer;
  /** Where submitted papers are looked up; share the ingest's, so one gate spaces every arXiv request. */
  sources?: Sources;
}

function submissionRules(config: Config): SubmissionRules {
  return {
    maxAgeDays: config.SUBMISSION_MAX_AGE_DAYS,
    perDay: config.SUBMISSIONS_PER_DAY,
    minAccountAgeHours: config.SUBMISSION_MIN_ACCOUNT_AGE_HOURS,
    timeZone: config.DAY_TIMEZONE,
  };
}

/** Looks a submitted paper up with the arXiv API client, as politely as ingest does. */
function arxivLookup(config: Config, sources: Sources): Lookup {
  return async (arxivId) => {
    if (!config.CONTACT_EMAIL) throw new Error('this site has no CONTACT_EMAIL set, which arXiv asks of its API clients');
    const feed = await sources.quickApi.lookup([arxivId]);
    return feed.records.find((r) => r.arxivId === arxivId) ?? null;
  };
}

function appendVary(current: unknown, field: string): string {
  const fields = String(current ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  return [...new Set([...fields, field])].join(', ');
}

export async function buildServer({ config, database, logger, now, mailer, sources }: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 64 * 1024,
  });
  const site: Site = { name: config.SITE_NAME, publicUrl: config.PUBLIC_URL };

  await app.register(helmet, {
    // KaTeX sets inline style attributes for layout; scripts stay locked to our own origin.
    contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
    hsts: config.PUBLIC_URL.startsWith('https://'),
  });
  await app.register(compress, { threshold: 1024 });
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await app.register(cookie, { secret: createHash('sha256').update(await linkKey(database)).update('csrf-cookie').digest('base64url') });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.PUBLIC_URL.startsWith('https://') },
  });
  registerSessions(app, database, config.PUBLIC_URL.startsWith('https://'), now ?? (() => new Date()));
  await app.register(etag); // ETag on every response, so If-None-Match gets 304
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    allowList: (request) => request.url.startsWith('/static/') || request.url === '/healthz',
  });
  await app.register(staticFiles, { root: fileURLToPath(new URL('./static/', import.meta.url)), prefix: '/static/', maxAge: '1d' });
  await app.register(staticFiles, {
    root: fileURLToPath(new URL('../../node_modules/katex/dist/', import.meta.url)),
    prefix: '/static/katex/',
    decorateReply: false,
    allowedPath: (path) => path === '/katex.min.css' || path.startsWith('/fonts/'),
    maxAge: '30d',
    immutable: true,
  });

  await app.register(staticFiles, {
    root: fileURLToPath(new URL('../../node_modules/htmx.org/dist/', import.meta.url)),
    prefix: '/static/htmx/',
    decorateReply: false,
    allowedPath: (path) => path === '/htmx.min.js',
    maxAge: '30d',
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // A signed-in member's pages, and any page with a form token (its cookie), are one browser's
    // alone: no shared cache may keep them.
    if ((request.member || hasFormToken(reply)) && reply.getHeader('cache-control') !== 'no-store') reply.header('cache-control', 'private, no-cache');
    else if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'public, max-age=60');
    if (!isApi(request.url) && !request.url.startsWith('/static/')) reply.header('vary', appendVary(reply.getHeader('vary'), 'Cookie'));
  });

  const isApi = (url: string) => url.startsWith('/api/') || url === '/openapi.json' || url === '/healthz';

  app.setNotFoundHandler(async (request, reply) => {
    const error = new HttpError(404, 'Page not found', `There is nothing at ${request.url.slice(0, 200)}.`);
    return sendError(request, reply, error);
  });

  app.setErrorHandler(async (err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof HttpError) return sendError(request, reply, err);
    const status = err.statusCode ?? 500;
    if (status >= 500) request.log.error({ err }, 'request failed');
    const message = status === 429 ? 'Too many requests: slow down and try again in a minute.' : status < 500 ? err.message : 'Something went wrong on our side. It has been logged.';
    return sendError(request, reply, new HttpError(status, status === 429 ? 'Too many requests' : status < 500 ? 'Bad request' : 'Server error', message));
  });

  function sendError(request: FastifyRequest, reply: FastifyReply, err: HttpError) {
    const url = request.url;
    reply.code(err.status).header('cache-control', 'no-store');
    if (isApi(url)) return reply.send({ error: err.message, ...(err.parameter && { parameter: err.parameter }), statusCode: err.status });
    if (err.location) {
      // htmx follows redirects itself and would swap the sign-in page into a button: tell it to navigate.
      if (request.headers['hx-request'] === 'true') return reply.header('hx-redirect', err.location).send();
      return reply.redirect(err.location, 303);
    }
    const page = ErrorPage({ site: siteFor(site, request, reply), status: err.status, title: err.title, message: err.message, path: url.split('?')[0]! });
    return reply.type('text/html; charset=utf-8').send(renderPage(page));
  }

  app.get('/healthz', async (_request, reply) => {
    await sql`SELECT 1`.execute(database.db);
    reply.header('cache-control', 'no-store');
    return { status: 'ok', database: database.dialect };
  });
  app.get('/openapi.json', async () => openApiDocument(config.PUBLIC_URL));

  // Searching costs far more than reading a page: its own, tighter budget per client address.
  const searchLimiter = app.createRateLimit({ max: config.SEARCH_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000, keyGenerator: (r) => `search:${r.ip}` });
  const searchBudget = async (request: FastifyRequest) => {
    const verdict = await searchLimiter(request);
    if (!verdict.isAllowed && verdict.isExceeded) throw new HttpError(429, 'Too many searches', 'Too many searches from your address: try again in a minute.');
  };

  const context: WebContext = { database, embedding: config, site, searchBudget, now: now ?? (() => new Date()) };
  registerPages(app, context);
  registerApi(app, context);
  registerFeeds(app, context);
  const mail = mailer ?? createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, outboxDir: config.OUTBOX_DIR });
  if (!mailer) app.addHook('onClose', async () => mail.close());
  registerAdmin(app, context, mail);
  registerSubscription(app, context, { database, mailer: mail, config, now: context.now });
  registerAccounts(app, context, mail, config);
  registerProfiles(app, context);
  registerCommunity(app, context, { rules: submissionRules(config), lookup: arxivLookup(config, sources ?? makeSources(config)) });
  return app;
}
