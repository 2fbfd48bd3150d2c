// /subscribe, /subscribe/confirm, /subscription (manage) and /unsubscribe. Links in mails carry a
// signed token, which is all the authority they need; forms also carry a CSRF token. The one-click
// unsubscribe of RFC 8058 (a mail client's POST of "List-Unsubscribe=One-Click") needs only the link.
import type {} from '@fastify/csrf-protection'; // types for app.csrfProtection and reply.generateCsrf
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deliverQueue, sendConfirmation, type MailContext } from '../digests/digest.ts';
import { confirmSubscription, getSubscriber, MAX_TOPICS, requestSubscription, setStatus, updatePreferences, type Preferences } from '../digests/subscribers.ts';
import { signToken, verifyToken, type Purpose } from '../digests/tokens.ts';
import { parseQuery, QueryError } from '../search/query.ts';
import type { WebContext } from './context.ts';
import { emailProblem } from '../mail/address.ts';
import { formToken, siteFor } from './session.ts';
import { HttpError } from './errors.ts';
import { renderPage } from './pages/layout.tsx';
import { MessagePage } from './pages/forms.tsx';
import { ManagePage, SubscribePage, UnsubscribePage } from './pages/subscribe.tsx';

type Form = Partial<Record<'email' | 'frequency' | 'top_n' | 'topics' | 'token' | '_csrf' | 'List-Unsubscribe', string>>;


/** The preferences in a posted form, or a message saying what to fix. */
export function preferences(form: Form): Preferences | string {
  const frequency = form.frequency === 'weekly' ? 'weekly' : form.frequency === 'daily' || form.frequency === undefined ? 'daily' : null;
  if (!frequency) return 'Choose daily or weekly.';
  const topN = Number(form.top_n ?? 10);
  if (!Number.isInteger(topN) || topN < 1 || topN > 50) return 'Papers per digest must be a number from 1 to 50.';
  const topics = (form.topics ?? '').split(/\r?\n/).map((t) => t.trim()).filter(Boolean);
  if (topics.length > MAX_TOPICS) return `At most ${MAX_TOPICS} topics.`;
  for (const topic of topics) {
    if (topic.length > 200) return 'Keep each topic under 200 characters.';
    try {
      parseQuery(topic);
    } catch (err) {
      if (err instanceof QueryError) return `Topic “${topic.slice(0, 60)}”: ${err.message}`;
      throw err;
    }
  }
  return { frequency, topN, topics };
}

export function registerSubscription(app: FastifyInstance, { database, site, now }: WebContext, mail: MailContext) {
  const page = (reply: FastifyReply, node: unknown, status = 200) =>
    reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderPage(node));
  const subscriberFor = async (purpose: Purpose, token: string | undefined) => {
    const id = await verifyToken(database, purpose, token);
    const subscriber = id === null ? null : await getSubscriber(database, id);
    if (!subscriber) throw new HttpError(400, 'This link does not work', 'The link is incomplete or was not made by this site. Copy the whole link from the mail.');
    return subscriber;
  };
  const csrf = { preHandler: app.csrfProtection }; // after the body is parsed: the token is a form field

  app.get('/subscribe', async (request, reply) => page(reply, SubscribePage({ site: siteFor(site, request, reply), csrf: formToken(reply) })));

  app.post<{ Body: Form }>('/subscribe', { ...csrf, config: { rateLimit: { max: 10, timeWindow: '1 hour' } } }, async (request, reply) => {
    const email = (request.body.email ?? '').trim();
    const prefs = preferences(request.body);
    const error = emailProblem(email) ?? (typeof prefs === 'string' ? prefs : null);
    if (error || typeof prefs === 'string') return page(reply, SubscribePage({ site: siteFor(site, request, reply), csrf: formToken(reply), error: error ?? '', email }), 400);
    const subscriber = await requestSubscription(database, email, prefs, now());
    // The same answer whatever the address's state, so the form tells nobody who subscribes.
    if (subscriber.status === 'pending') {
      await sendConfirmation(mail, subscriber).catch((err: Error) => request.log.error({ err: err.message }, 'confirmation mail failed'));
    }
    return page(
      reply,
      MessagePage({ site: siteFor(site, request, reply), title: 'Check your inbox', path: '/subscribe', children: <p>If the address can receive our digest, a mail with a link to confirm it is on its way. Nothing else is sent until you confirm.</p> }),
    );
  });

  app.get<{ Querystring: { token?: string } }>('/subscribe/confirm', async (request, reply) => {
    const subscriber = await subscriberFor('confirm', request.query.token);
    const confirmed = await confirmSubscription(database, subscriber.id, now());
    if (confirmed?.status !== 'confirmed') throw new HttpError(400, 'This address cannot be confirmed', 'Mail to it could not be delivered, so it is not mailed any more.');
    const manage = `/subscription?token=${await signToken(database, 'manage', subscriber.id)}`;
    return page(
      reply,
      MessagePage({
        site: siteFor(site, request, reply),
        title: 'You are subscribed',
        path: '/subscribe',
        children: (
          <p>
            Your {confirmed.frequency} digest will come to {confirmed.email}. <a href={manage}>Change what you get</a>.
          </p>
        ),
      }),
    );
  });

  app.get<{ Querystring: { token?: string; saved?: string } }>('/subscription', async (request, reply) => {
    const subscriber = await subscriberFor('manage', request.query.token);
    const unsubscribeToken = await signToken(database, 'unsubscribe', subscriber.id);
    return page(reply, ManagePage({ site: siteFor(site, request, reply), csrf: formToken(reply), token: request.query.token!, unsubscribeToken, subscriber, saved: request.query.saved === '1' }));
  });

  app.post<{ Body: Form }>('/subscription', csrf, async (request, reply) => {
    const subscriber = await subscriberFor('manage', request.body.token);
    const prefs = preferences(request.body);
    if (typeof prefs === 'string') {
      const unsubscribeToken = await signToken(database, 'unsubscribe', subscriber.id);
      return page(reply, ManagePage({ site: siteFor(site, request, reply), csrf: formToken(reply), token: request.body.token!, unsubscribeToken, subscriber, error: prefs }), 400);
    }
    await updatePreferences(database, subscriber.id, prefs, now());
    return reply.redirect(`/subscription?token=${request.body.token}&saved=1`, 303);
  });

  app.get<{ Querystring: { token?: string } }>('/unsubscribe', async (request, reply) => {
    await subscriberFor('unsubscribe', request.query.token);
    // A link scanner following this GET must not unsubscribe anyone: the button POSTs.
    return page(reply, UnsubscribePage({ site: siteFor(site, request, reply), csrf: formToken(reply), token: request.query.token! }));
  });

  const oneClickOrCsrf = async (request: FastifyRequest<{ Body: Form }>, reply: FastifyReply) => {
    if (request.body?.['List-Unsubscribe'] === 'One-Click') return;
    await new Promise<void>((resolve, reject) => app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())));
  };
  app.post<{ Querystring: { token?: string }; Body: Form }>('/unsubscribe', { preHandler: oneClickOrCsrf }, async (request, reply) => {
    const subscriber = await subscriberFor('unsubscribe', request.query.token);
    await setStatus(database, subscriber.id, 'unsubscribed', now());
    return page(reply, MessagePage({ site: siteFor(site, request, reply), title: 'You are unsubscribed', path: '/subscribe', children: <p>No more digests will come to {subscriber.email}.</p> }));
  });

  // A confirmation queued while the mail server was down goes out once it is back.
  app.addHook('onReady', async () => {
    deliverQueue(mail).catch((err: Error) => app.log.error({ err: err.message }, 'delivering the outbox failed'));
  });
}
