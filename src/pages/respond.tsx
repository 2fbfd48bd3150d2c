// Sending a rendered page: the one way handlers answer with HTML.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, Site } from '../http/context.ts';
import { formToken, siteFor } from '../http/session.ts';
import type { Child } from 'hono/jsx';
import { MessagePage } from './views/forms.tsx';
import { renderPage } from './views/layout.tsx';

/** Renders a page for this request's viewer; `csrf()` makes a form token only for pages with forms, so others stay cacheable. */
export type Render = (site: Site, csrf: () => string) => unknown;

export function sendPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, render: Render, status = 200) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(renderPage(render(siteFor(ctx.site, request, reply), () => formToken(reply))));
}

/** A page no cache may keep, not even the browser's: forms with tokens, account pages, mailed links. */
export function sendPrivatePage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, render: Render, status = 200) {
  return sendPage(ctx, request, reply.header('cache-control', 'no-store'), render, status);
}

/** A piece of a page, for htmx to swap in. */
export function sendFragment(reply: FastifyReply, node: unknown) {
  return reply.type('text/html; charset=utf-8').send(String(node));
}

/** A short message page (“Check your inbox”), never cached. */
export function sendMessage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, title: string, text: Child, status = 200) {
  const path = request.url.split('?')[0]!;
  return sendPrivatePage(ctx, request, reply, (site) => MessagePage({ site, title, path, children: <p>{text}</p> }), status);
}
