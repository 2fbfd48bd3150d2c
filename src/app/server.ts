// The composition root: builds the services a request needs once (app context), then Fastify with
// security headers, compression, ETags, sessions, CSRF and rate limits, the error pages, static
// files and every route of the route table (routes.ts). Everything is passed in; nothing here opens
// files or databases on its own.
import { createHash, randomUUID } from 'node:crypto';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import etag from '@fastify/etag';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import staticFiles from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Throttle } from '../coordination/throttle.ts';
import { NO_CONTACT_EMAIL, SubmissionError, type Lookup } from '../community/submissions.ts';
import type { Config } from '../config/config.ts';
import { deliverQueue } from '../digests/digest.ts';
import { linkKey } from '../digests/tokens.ts';
import type { AppContext, SearchBudget } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import type { Limit, Route } from '../http/route.ts';
import { registerResponseCache, ResponseCache } from '../http/response-cache.ts';
import { answerSnapshotRequests, RequestMetrics } from '../http/metrics.ts';
import { SharedCounts, sharedStore } from '../http/rate-store.ts';
import { csrfUser, hasFormToken, registerSessions, siteFor, TOKEN_NEEDED } from '../http/session.ts';
import { makeSources, type Sources } from '../ingest/run.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import { ErrorPage } from '../pages/views/error.tsx';
import { renderPage } from '../pages/views/layout.tsx';
import type { Database } from '../storage/db.ts';
import { InvalidInput } from '../util/errors.ts';
import { ROUTES, STATIC } from './routes.ts';
import { projectPath } from '../util/project.ts';

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

export async function buildServer({
  config,
  database,
  logger,
  now = () => new Date(),
  mailer,
  sources,
}: ServerOptions): Promise<FastifyInstance> {
  let ctx: AppContext | undefined;
  const app = Fastify({
    // A URL the router cannot take (bad escapes, a path part too long) is answered as any other
    // error: a page or JSON by the asker, never the URL echoed back.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode === 414 ? 414 : 400;
      const problem = new HttpError(
        status,
        status === 414 ? 'Address too long' : 'Bad address',
        'This address is not one this site can read.',
      );
      void sendError(ctx!, request as FastifyRequest, reply as FastifyReply, problem, '/');
    },
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's two lines a request cost more than a cached page does; one line at debug (below)
    // tells the same, and failures are logged where they are answered (sendError).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 64 * 1024,
  });
  const cache = config.RESPONSE_CACHE_MB > 0 ? new ResponseCache(config.RESPONSE_CACHE_MB * 1024 * 1024, () => now().getTime()) : null;
  const metrics = observe(app, logger, cache);
  await registerPlugins(app, config, database, now, cache);
  const mail = mailer ?? createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, outboxDir: config.OUTBOX_DIR });
  if (!mailer) app.addHook('onClose', async () => mail.close());
  ctx = {
    config,
    database,
    embedding: config,
    site: { name: config.SITE_NAME, publicUrl: config.PUBLIC_URL },
    searchBudget: searchBudget(app, config),
    now,
    mailer: mail,
    mail: { database, mailer: mail, config, now },
    metrics,
    throttles: {
      accountMails: new Throttle(database, 'account-mail', 5, 15 * 60_000),
      wrongPasswords: new Throttle(database, 'wrong-password', 5, 15 * 60_000),
      comments: new Throttle(database, 'comment', 10, 10 * 60_000),
    },
    submissions: {
      rules: {
        maxAgeDays: config.SUBMISSION_MAX_AGE_DAYS,
        perDay: config.SUBMISSIONS_PER_DAY,
        minAccountAgeHours: config.SUBMISSION_MIN_ACCOUNT_AGE_HOURS,
        timeZone: config.DAY_TIMEZONE,
      },
      lookup: arxivLookup(config, sources ?? makeSources(config, database), logger),
    },
  };
  registerErrorPages(app, ctx);
  app.addHook('onRequest', async (request) => refuseRepeats(request.query as Record<string, unknown>));
  for (const route of ROUTES) registerRoute(app, ctx, route);
  // A confirmation queued while the mail server was down goes out once it is back.
  app.addHook('onReady', async () => {
    deliverQueue(ctx.mail).catch((err: Error) => app.log.error({ err: err.message }, 'delivering the outbox failed'));
  });
  return app;
}

/** Counts every request for /metrics (answering the first process's requests for them), and logs it at debug. */
function observe(app: FastifyInstance, logger: Logger, cache: ResponseCache | null): RequestMetrics {
  const metrics = new RequestMetrics(() =>
    cache
      ? { hits: cache.hits, misses: cache.misses, bytes: cache.bytes, entries: cache.size }
      : { hits: 0, misses: 0, bytes: 0, entries: 0 },
  );
  const debug = logger.isLevelEnabled('debug');
  app.addHook('onResponse', async (request, reply) => {
    metrics.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    if (debug)
      request.log.debug(
        { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
  });
  const stop = answerSnapshotRequests(metrics);
  app.addHook('onClose', async () => stop());
  return metrics;
}

async function registerPlugins(app: FastifyInstance, config: Config, database: Database, now: () => Date, cache: ResponseCache | null) {
  const secure = config.PUBLIC_URL.startsWith('https://');
  await app.register(helmet, {
    // Scripts, style sheets and fonts come from our own origin alone. KaTeX lays formulas out with
    // style attributes, so those (and only those, not <style> elements) are allowed inline.
    contentSecurityPolicy: {
      directives: {
        'style-src': ["'self'"],
        'style-src-elem': ["'self'"],
        'style-src-attr': ["'unsafe-inline'"],
        'font-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        // Helmet's default; on a plain-http site it would send browsers to an https that is not there.
        'upgrade-insecure-requests': secure ? [] : null,
      },
    },
    hsts: secure,
  });
  // Before compress and etag: cached pages are kept uncompressed, with their ETag (response-cache.ts).
  if (cache) registerResponseCache(app, cache, database);
  await app.register(compress, { threshold: 1024 });
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  const key = await linkKey(database);
  const derived = (purpose: string) => createHash('sha256').update(key).update(purpose).digest('base64url');
  await app.register(cookie, { secret: derived('csrf-cookie') });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure },
    // A form token is good for the session it was made in alone (formToken passes the same).
    getUserInfo: csrfUser,
    csrfOpts: { hmacKey: derived('csrf-user') },
  });
  registerSessions(app, database, secure, now);
  await app.register(etag); // ETag on every response, so If-None-Match gets 304
  // Counted in the database, so the limits hold across processes and machines (http/rate-store.ts).
  const counts = new SharedCounts(database, () => now().getTime());
  app.addHook('onClose', () => counts.close());
  await app.register(rateLimit, {
    store: sharedStore(counts) as unknown as FastifyRateLimitStoreCtor,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    allowList: (request) => request.url.startsWith('/static/') || request.url === '/healthz',
  });
  for (const [i, { prefix, folder, only, maxAge, immutable = false }] of STATIC.entries()) {
    const root = projectPath(folder);
    await app.register(staticFiles, { root, prefix, maxAge, immutable, decorateReply: i === 0, ...(only && { allowedPath: only }) });
  }
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Every 429 says when to come back; the limits that know set it themselves.
    if (reply.statusCode === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
    // A signed-in member's pages, and any page with a form token (its cookie), are one browser's
    // alone: no shared cache may keep them.
    if ((request.member || hasFormToken(reply)) && reply.getHeader('cache-control') !== 'no-store')
      reply.header('cache-control', 'private, no-cache');
    else if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'public, max-age=60');
    if (!isApi(request.url) && !request.url.startsWith('/static/')) reply.header('vary', appendVary(reply.getHeader('vary'), 'Cookie'));
  });
}

function registerRoute(app: FastifyInstance, ctx: AppContext, route: Route) {
  const preHandler = route.token
    ? requireToken
    : route.csrf === true
      ? [sameOrigin(ctx.config), app.csrfProtection]
      : route.csrf === 'or-one-click'
        ? [sameOrigin(ctx.config), oneClickOrCsrf(app)]
        : undefined;
  app.route({
    method: route.method,
    url: route.url,
    ...(preHandler && { preHandler }),
    config: { ...(route.limit && { rateLimit: rateLimitOf(route.limit, ctx.config) }), ...(route.cache && { cache: true }) },
    handler: (request, reply) => route.handler(ctx, request, reply),
  });
}

function rateLimitOf(limit: Limit, config: Config) {
  if (limit === 'auth') return { max: config.AUTH_RATE_LIMIT_PER_HOUR, timeWindow: '1 hour' };
  if ('perHour' in limit) return { max: limit.perHour, timeWindow: '1 hour' };
  if ('perMinute' in limit) return { max: limit.perMinute, timeWindow: '1 minute' };
  // Votes, comments and the like are limited per member (per address for strangers, who get a 401 anyway).
  return {
    max: limit.perMember,
    timeWindow: '1 minute',
    keyGenerator: (r: FastifyRequest) => (r.member ? `member:${r.member.id}` : `ip:${r.ip}`),
  };
}

/**
 * A form post from another site is refused before its token is even read: browsers name the page's
 * origin on POSTs, and ours is PUBLIC_URL's or the host asked for (behind a trusted proxy, the one
 * it forwards). No Origin, or "null" (which browsers send for our own pages too, since they go out
 * with Referrer-Policy: no-referrer), leaves it to the token.
 */
function sameOrigin(config: Config) {
  const ours = new URL(config.PUBLIC_URL).origin;
  return async (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin === undefined || origin === 'null' || origin === ours) return;
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      // unreadable: refused
    }
    if (host !== request.host) throw new HttpError(403, 'Refused', 'This form was sent from another site.');
  };
}

/** An API write needs a personal token: a session cookie alone could be a forged cross-site request. */
async function requireToken(request: FastifyRequest, reply: FastifyReply) {
  if (request.apiToken === 'valid') return;
  reply.header('www-authenticate', 'Bearer');
  throw new HttpError(401, 'Not signed in', TOKEN_NEEDED);
}

/** RFC 8058: a mail client's one-click unsubscribe POST carries no CSRF token, only the link's own. */
function oneClickOrCsrf(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if ((request.body as Record<string, string> | undefined)?.['List-Unsubscribe'] === 'One-Click') return;
    await new Promise<void>((resolve, reject) => app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())));
  };
}

/** Searching costs far more than reading a page: its own, tighter budget per client address. */
function searchBudget(app: FastifyInstance, config: Config): SearchBudget {
  const limiter = app.createRateLimit({
    max: config.SEARCH_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (r) => `search:${r.ip}`,
  });
  return async (request) => {
    const verdict = await limiter(request);
    if (!verdict.isAllowed && verdict.isExceeded)
      throw HttpError.tooMany('Too many searches', 'Too many searches from your address: try again in a minute.', verdict.ttlInSeconds);
  };
}

/** Parameters a URL may give more than once (`?category=cs.CL&category=cs.LG`). */
const REPEATABLE = new Set(['category']);

/** One rule for the whole site: any other parameter given twice is a 400 that names it. */
function refuseRepeats(query: Record<string, unknown>) {
  for (const [name, value] of Object.entries(query ?? {}))
    if (Array.isArray(value) && !REPEATABLE.has(name))
      throw new HttpError(400, 'Invalid parameter', `Give ${name.slice(0, 40)} only once.`, name.slice(0, 40));
}

/** Looks a submitted paper up with the arXiv API client, as politely as ingest does. */
function arxivLookup(config: Config, sources: Sources, logger: Logger): Lookup {
  return async (arxivId) => {
    if (!config.CONTACT_EMAIL) throw new SubmissionError(NO_CONTACT_EMAIL, 503);
    const feed = await sources.quickApi.lookup([arxivId]).catch((err: Error) => {
      logger.warn({ err: err.message, arxivId }, 'looking a submitted paper up on arXiv failed');
      throw err;
    });
    return feed.records.find((r) => r.arxivId === arxivId) ?? null;
  };
}

const isApi = (url: string) => url.startsWith('/api/') || url === '/openapi.json' || url === '/healthz';

function appendVary(current: unknown, field: string): string {
  const fields = String(current ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  return [...new Set([...fields, field])].join(', ');
}

/** Errors as the asker reads them: JSON for the API, a page for people, a redirect to sign in. */
function registerErrorPages(app: FastifyInstance, ctx: AppContext) {
  app.setNotFoundHandler(async (request, reply) => {
    const error = new HttpError(404, 'Page not found', `There is nothing at ${request.url.slice(0, 200)}.`);
    return sendError(ctx, request, reply, error);
  });
  app.setErrorHandler(async (err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof HttpError) return sendError(ctx, request, reply, err);
    if (err instanceof InvalidInput) return sendError(ctx, request, reply, new HttpError(400, err.title, err.message, err.parameter));
    const status = err.statusCode ?? 500;
    if (status >= 500) request.log.error({ err }, 'request failed');
    const title = status === 429 ? 'Too many requests' : status < 500 ? 'Bad request' : 'Server error';
    const message =
      status === 429
        ? 'Too many requests: slow down and try again in a minute.'
        : status < 500
          ? err.message
          : 'Something went wrong on our side. It has been logged.';
    return sendError(ctx, request, reply, new HttpError(status, title, message));
  });
}

/** `path`: the page's own address, as its links name it (the request's, unless it cannot be read). */
function sendError(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, err: HttpError, path = request.url.split('?')[0]!) {
  const url = request.url;
  reply.code(err.status).header('cache-control', 'no-store');
  if (err.retryAfter !== undefined) {
    // One of our own limits: the site-wide limiter's counts describe another one.
    for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) reply.removeHeader(header);
    reply.header('retry-after', String(err.retryAfter));
  } else if (err.status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  if (isApi(url)) return reply.send({ error: err.message, ...(err.parameter && { parameter: err.parameter }), statusCode: err.status });
  if (err.location) {
    // htmx follows redirects itself and would swap the sign-in page into a button: tell it to navigate.
    if (request.headers['hx-request'] === 'true') return reply.header('hx-redirect', err.location).send();
    return reply.redirect(err.location, 303);
  }
  const page = ErrorPage({
    site: siteFor(ctx.site, request, reply),
    status: err.status,
    title: err.title,
    message: err.message,
    path,
  });
  return reply.type('text/html; charset=utf-8').send(renderPage(page));
}
