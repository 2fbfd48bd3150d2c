// Who is asking: the session cookie read once per request into `request.member`, and the helpers
// routes use to require a member (or a role) and to hand pages the signed-in viewer.
import type {} from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, type Member } from '../accounts/members.ts';
import type { Role } from '../model/community.ts';
import { sessionMember, startSession, endSession } from '../accounts/sessions.ts';
import { tokenMember } from '../accounts/api-tokens.ts';
import type { Database } from '../storage/db.ts';
import { HttpError } from './errors.ts';
import type { AppContext, Site } from './context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in member, or null. */
    member: Member | null;
    /** An API request's `Authorization: Bearer` token: none, a member's (`member` is theirs), or unknown. */
    apiToken: 'none' | 'valid' | 'unknown';
  }
}

export const SESSION_COOKIE = 'session';

export function registerSessions(app: FastifyInstance, database: Database, secure: boolean, now: () => Date) {
  app.decorateRequest('member', null);
  app.decorateRequest('apiToken', 'none');
  app.addHook('onRequest', async (request, reply) => {
    // The API takes personal tokens; pages never do. A token, good or not, speaks for the request.
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer && request.url.startsWith('/api/')) {
      request.member = await tokenMember(database, bearer, now());
      request.apiToken = request.member ? 'valid' : 'unknown';
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token || request.url.startsWith('/static/')) return;
    const session = await sessionMember(database, token, now());
    if (!session) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    request.member = session.member;
    if (session.refreshed) setSessionCookie(reply, token, session.expires, secure);
  });
}

function setSessionCookie(reply: FastifyReply, token: string, expires: Date, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
}

/**
 * Signs a member in on this browser: a new session every time (the one the browser had, if any,
 * ends), so a session token planted before sign-in is worth nothing after it.
 */
export async function signIn(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, memberId: number) {
  const old = request.cookies[SESSION_COOKIE];
  if (old) await endSession(ctx.database, old);
  const { token, expires } = await startSession(ctx.database, memberId, ctx.now(), request.headers['user-agent']);
  setSessionCookie(reply, token, expires, ctx.config.PUBLIC_URL.startsWith('https://'));
}

export async function signOut(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const token = request.cookies[SESSION_COOKIE];
  if (token) await endSession(ctx.database, token);
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  request.member = null;
}

/** The signed-in member; a stranger is sent to sign in and brought back to `back` (this page by default). */
export function requireMember(request: FastifyRequest, role: Role = 'member', back?: string): Member {
  const member = request.member;
  if (!member) {
    const next = safeNext(back ?? (request.method === 'GET' ? request.url : pathOf(request.headers.referer)));
    throw new HttpError(
      401,
      'Sign in first',
      'Sign in or create an account to do this.',
      undefined,
      `/signin?next=${encodeURIComponent(next)}`,
    );
  }
  if (!hasRole(member, role)) throw new HttpError(403, 'Not allowed', `This is for ${role}s of this site.`);
  return member;
}

/**
 * A path on this site to go back to after signing in; anything else (another site, `//host`,
 * `/\\host`, control characters browsers would strip) becomes the front page.
 */
export function safeNext(value: string | undefined): string {
  if (!value || !/^\/(?![/\\])[^\s\x00-\x1f\x7f]*$/.test(value)) return '/';
  // It goes into a Location header, which takes ASCII alone: the rest is percent-encoded.
  try {
    return value.slice(0, 500).replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
  } catch {
    return '/'; // a lone surrogate
  }
}

/** The same-site path a form was posted from (to go back to without JavaScript), or `fallback`. */
export function backTo(request: FastifyRequest, fallback: string): string {
  const path = safeNext(pathOf(request.headers.referer));
  return path === '/' && !request.headers.referer ? fallback : path;
}

function pathOf(url: string | undefined): string | undefined {
  try {
    const parsed = new URL(url ?? '');
    return parsed.pathname + parsed.search;
  } catch {
    return undefined;
  }
}

const tokens = new WeakMap<FastifyReply, string>();

/**
 * The CSRF token for this response's forms. One per response: until the browser has the secret
 * cookie, each call of the plugin's generateCsrf would make a new secret, leaving all but the last
 * form with a token that cannot pass.
 */
export function formToken(reply: FastifyReply): string {
  let token = tokens.get(reply);
  if (!token) tokens.set(reply, (token = reply.generateCsrf({ userInfo: csrfUser(reply.request) })));
  return token;
}

/**
 * What a form token is bound to: the signed-in browser's session, so a token taken from another
 * session (or from before signing in) is refused; strangers' forms share one.
 */
export function csrfUser(request: FastifyRequest): string {
  return request.member ? `session:${request.cookies[SESSION_COOKIE] ?? ''}` : 'stranger';
}

/** True once this response has a form token: it is then kept out of shared caches (server.ts). */
export function hasFormToken(reply: FastifyReply): boolean {
  return tokens.has(reply);
}

/** The site as this request's pages show it: with the signed-in viewer and a CSRF token for their forms. */
export function siteFor(site: Site, request: FastifyRequest, reply: FastifyReply): Site {
  const m = request.member;
  return m ? { ...site, viewer: { id: m.id, name: m.name, role: m.role, csrf: formToken(reply) } } : site;
}

/**
 * The member an API request acts for: by their personal token, or (reads only) their session. An
 * unknown token is a 401 here, where a member is needed; public reads ignore it (HF clients send
 * their own tokens).
 */
export function requireApiMember(request: FastifyRequest): Member {
  if (request.member && (request.apiToken === 'valid' || request.method === 'GET')) return request.member;
  throw new HttpError(401, 'Not signed in', TOKEN_NEEDED);
}

export const TOKEN_NEEDED = 'Send a personal API token (Settings → API tokens) as Authorization: Bearer <token>.';
