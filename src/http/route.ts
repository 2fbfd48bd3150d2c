// How a route is declared: a method, a URL, its handler and what guards it. app/routes.ts lists them
// all; app/server.ts turns each into a Fastify route (the CSRF check, the rate limit).
import type { FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import type { AppContext } from './context.ts';

/** Parses the request, calls the domain, renders: everything else comes in `ctx`. */
export type Handler<G extends RouteGenericInterface = RouteGenericInterface> = (
  ctx: AppContext,
  request: FastifyRequest<G>,
  reply: FastifyReply,
) => Promise<unknown>;

/**
 * A rate limit beside the site-wide one: `auth` (AUTH_RATE_LIMIT_PER_HOUR per address), a number
 * of posts per minute per member, or a number per hour or minute per address.
 */
export type Limit = 'auth' | { perMember: number } | { perHour: number } | { perMinute: number };

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  handler: Handler<any>; // each handler types its own request
  /** Form posts carry a CSRF token; `or-one-click` also takes RFC 8058's one-click unsubscribe. */
  csrf?: true | 'or-one-click';
  /** An API write: only a personal API token (`Authorization: Bearer`) may make it, never a cookie. */
  token?: true;
  limit?: Limit;
  /** Strangers' responses may be served from the response cache (http/response-cache.ts): the route shows the same to everyone not signed in. */
  cache?: true;
}

export const get = (url: string, handler: Handler<any>, options: Pick<Route, 'limit' | 'cache'> = {}): Route => ({
  method: 'GET',
  url,
  handler,
  ...options,
});

/** A form post: CSRF-checked unless said otherwise. */
export const post = (url: string, handler: Handler<any>, options: Pick<Route, 'limit' | 'csrf'> = {}): Route => ({
  method: 'POST',
  url,
  handler,
  csrf: true,
  ...options,
});

/** A write through the API, made with a personal API token (no cookie, so no CSRF to check). */
export const apiWrite = (method: 'POST' | 'DELETE', url: string, handler: Handler<any>, options: Pick<Route, 'limit'> = {}): Route => ({
  method,
  url,
  handler,
  token: true,
  ...options,
});
