// /subscribe, /subscribe/confirm, /subscription (manage) and /unsubscribe. Links in mails carry a
// signed token, which is all the authority they need; forms also carry a CSRF token. The one-click
// unsubscribe of RFC 8058 (a mail client's POST of "List-Unsubscribe=One-Click") needs only the link.
import { sendConfirmation } from '../digests/digest.ts';
import {
  confirmSubscription,
  getSubscriber,
  MAX_TOPICS,
  requestSubscription,
  setStatus,
  updatePreferences,
  type Preferences,
} from '../digests/subscribers.ts';
import { signToken, verifyToken, type Purpose } from '../digests/tokens.ts';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import type { Handler } from '../http/route.ts';
import { emailProblem } from '../mail/address.ts';
import { parseQuery, QueryError } from '../search/query.ts';
import { sendMessage, sendPrivatePage } from './respond.tsx';
import { ConfirmPage, ManagePage, SubscribePage, UnsubscribePage } from './views/subscribe.tsx';

export type SubscriptionForm = Partial<Record<'email' | 'frequency' | 'top_n' | 'topics' | 'token' | '_csrf' | 'List-Unsubscribe', string>>;
type Token = { Querystring: { token?: string } };

/** The preferences in a posted form, or a message saying what to fix. */
export function preferences(form: SubscriptionForm): Preferences | string {
  const frequency = form.frequency === 'weekly' ? 'weekly' : form.frequency === 'daily' || form.frequency === undefined ? 'daily' : null;
  if (!frequency) return 'Choose daily or weekly.';
  const topN = Number(form.top_n ?? 10);
  if (!Number.isInteger(topN) || topN < 1 || topN > 50) return 'Papers per digest must be a number from 1 to 50.';
  const topics = (form.topics ?? '')
    .split(/\r?\n/)
    .map((t) => t.trim())
    .filter(Boolean);
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

/** The subscriber a mailed link's token names, or a 400 for a token this site did not make. */
async function subscriberFor(ctx: AppContext, purpose: Purpose, token: string | undefined) {
  const id = await verifyToken(ctx.database, purpose, token);
  const subscriber = id === null ? null : await getSubscriber(ctx.database, id);
  if (!subscriber)
    throw new HttpError(
      400,
      'This link does not work',
      'The link is incomplete or was not made by this site. Copy the whole link from the mail.',
    );
  return subscriber;
}

export const subscribeForm: Handler = async (ctx, request, reply) =>
  sendPrivatePage(ctx, request, reply, (site, csrf) => SubscribePage({ site, csrf: csrf() }));

export const subscribe: Handler<{ Body: SubscriptionForm }> = async (ctx, request, reply) => {
  const email = (request.body.email ?? '').trim();
  const prefs = preferences(request.body);
  const error = emailProblem(email) ?? (typeof prefs === 'string' ? prefs : null);
  if (error || typeof prefs === 'string')
    return sendPrivatePage(ctx, request, reply, (site, csrf) => SubscribePage({ site, csrf: csrf(), error: error ?? '', email }), 400);
  const subscriber = await requestSubscription(ctx.database, email, prefs, ctx.now());
  // The same answer whatever the address's state, so the form tells nobody who subscribes.
  if (subscriber.status === 'pending') {
    await sendConfirmation(ctx.mail, subscriber).catch((err: Error) => request.log.error({ err: err.message }, 'confirmation mail failed'));
  }
  const text =
    'If the address can receive our digest, a mail with a link to confirm it is on its way. Nothing else is sent until you confirm.';
  return sendMessage(ctx, request, reply, 'Check your inbox', text);
};

/**
 * The mailed confirmation link opens a page with a button: mail scanners follow links, and must
 * not subscribe anyone by doing so (account links work the same way).
 */
export const confirmForm: Handler<Token> = async (ctx, request, reply) => {
  const subscriber = await subscriberFor(ctx, 'confirm', request.query.token);
  reply.header('referrer-policy', 'no-referrer');
  return sendPrivatePage(ctx, request, reply, (site, csrf) =>
    ConfirmPage({ site, csrf: csrf(), token: request.query.token!, email: subscriber.email }),
  );
};

export const confirm: Handler<{ Body: { token?: string } }> = async (ctx, request, reply) => {
  const subscriber = await subscriberFor(ctx, 'confirm', request.body.token);
  const confirmed = await confirmSubscription(ctx.database, subscriber.id, ctx.now());
  if (confirmed?.status !== 'confirmed')
    throw new HttpError(400, 'This address cannot be confirmed', 'Mail to it could not be delivered, so it is not mailed any more.');
  const manage = `/subscription?token=${await signToken(ctx.database, 'manage', subscriber.id)}`;
  return sendMessage(
    ctx,
    request,
    reply,
    'You are subscribed',
    <>
      Your {confirmed.frequency} digest will come to {confirmed.email}. <a href={manage}>Change what you get</a>.
    </>,
  );
};

export const managePage: Handler<{ Querystring: { token?: string; saved?: string } }> = async (ctx, request, reply) => {
  const subscriber = await subscriberFor(ctx, 'manage', request.query.token);
  const unsubscribeToken = await signToken(ctx.database, 'unsubscribe', subscriber.id);
  const page = { token: request.query.token!, unsubscribeToken, subscriber, saved: request.query.saved === '1' };
  return sendPrivatePage(ctx, request, reply, (site, csrf) => ManagePage({ ...page, site, csrf: csrf() }));
};

export const manage: Handler<{ Body: SubscriptionForm }> = async (ctx, request, reply) => {
  const subscriber = await subscriberFor(ctx, 'manage', request.body.token);
  const prefs = preferences(request.body);
  if (typeof prefs === 'string') {
    const unsubscribeToken = await signToken(ctx.database, 'unsubscribe', subscriber.id);
    const page = { token: request.body.token!, unsubscribeToken, subscriber, error: prefs };
    return sendPrivatePage(ctx, request, reply, (site, csrf) => ManagePage({ ...page, site, csrf: csrf() }), 400);
  }
  await updatePreferences(ctx.database, subscriber.id, prefs, ctx.now());
  return reply.redirect(`/subscription?token=${request.body.token}&saved=1`, 303);
};

export const unsubscribeForm: Handler<Token> = async (ctx, request, reply) => {
  await subscriberFor(ctx, 'unsubscribe', request.query.token);
  // A link scanner following this GET must not unsubscribe anyone: the button POSTs.
  return sendPrivatePage(ctx, request, reply, (site, csrf) => UnsubscribePage({ site, csrf: csrf(), token: request.query.token! }));
};

export const unsubscribe: Handler<Token & { Body: SubscriptionForm }> = async (ctx, request, reply) => {
  const subscriber = await subscriberFor(ctx, 'unsubscribe', request.query.token);
  await setStatus(ctx.database, subscriber.id, 'unsubscribed', ctx.now());
  return sendMessage(ctx, request, reply, 'You are unsubscribed', `No more digests will come to ${subscriber.email}.`);
};
