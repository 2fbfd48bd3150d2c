// A member's settings: the categories their lists show and the topics For you starts from, their digest, password and address, and signing out every browser.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  checkPassword,
  findMember,
  memberRow,
  passwordProblem,
  setMemberInterests,
  setPassword,
  type Member,
} from '../accounts/members.ts';
import { apiTokensOf, createApiToken, revokeApiToken, TokenError } from '../accounts/api-tokens.ts';
import { countSessions, endAllSessions } from '../accounts/sessions.ts';
import { confirmSubscription, requestSubscription, setStatus, subscriberByEmail, updatePreferences } from '../digests/subscribers.ts';
import type { AppContext } from '../http/context.ts';
import type { Handler } from '../http/route.ts';
import { requireMember, SESSION_COOKIE } from '../http/session.ts';
import { emailProblem, normaliseEmail } from '../mail/address.ts';
import { forgetTaste } from '../ranking/for-you.ts';
import { alreadyMember, linkUrl, sendAccountMail } from './account-mail.ts';
import { passwordChanged, type AccountForm } from './accounts.tsx';
import { interestsFrom, type InterestsForm } from './interests.ts';
import { sendMessage, sendPrivatePage } from './respond.tsx';
import { preferences } from './subscription.tsx';
import { SettingsPage } from './views/accounts.tsx';

const NOTICES: Record<string, string> = {
  password: 'Your password is set. Every other browser is signed out.',
  email: 'Your account uses its new address now.',
  digest: 'Your digest settings are saved.',
  interests: 'Saved: lists show your categories unless you choose others, and For you starts from your topics.',
  'digest-stopped': 'The digest is stopped. Nothing more will be mailed.',
  'token-revoked': 'The token is revoked: nothing can use it any more.',
};

export const settingsPage: Handler<{ Querystring: { done?: string } }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  return settings(ctx, request, reply, member, { notice: NOTICES[request.query.done ?? ''] });
};

async function settings(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  member: Member,
  say: { notice?: string; error?: string; newToken?: string },
) {
  const [sessions, digest, tokens] = await Promise.all([
    countSessions(ctx.database, member.id, ctx.now()),
    subscriberByEmail(ctx.database, member.email),
    apiTokensOf(ctx.database, member.id),
  ]);
  return sendPrivatePage(
    ctx,
    request,
    reply,
    (site, csrf) => SettingsPage({ site, csrf: csrf(), member, sessions, digest, tokens, ...say }),
    say.error ? 400 : 200,
  );
}

/**
 * The digest for the member's own address. The account confirmed the address, so there is no
 * confirmation mail; digests still carry their one-click unsubscribe link.
 */
export const saveDigest: Handler<{ Body: Record<string, string> }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  const given = preferences(request.body);
  if (typeof given === 'string') return settings(ctx, request, reply, member, { error: given });
  const prefs = { ...given, forYou: request.body.for_you === '1' };
  const subscriber = await requestSubscription(ctx.database, member.email, prefs, ctx.now());
  if (subscriber.status === 'bounced') await setStatus(ctx.database, subscriber.id, 'confirmed', ctx.now());
  else if (subscriber.status !== 'confirmed') await confirmSubscription(ctx.database, subscriber.id, ctx.now());
  await updatePreferences(ctx.database, subscriber.id, prefs, ctx.now());
  return reply.redirect('/settings?done=digest#digest', 303);
};

export const stopDigest: Handler = async (ctx, request, reply) => {
  const member = requireMember(request);
  const subscriber = await subscriberByEmail(ctx.database, member.email);
  if (subscriber) await setStatus(ctx.database, subscriber.id, 'unsubscribed', ctx.now());
  return reply.redirect('/settings?done=digest-stopped#digest', 303);
};

export const saveInterests: Handler<{ Body: InterestsForm }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  const interests = interestsFrom(request.body);
  if (typeof interests === 'string') return settings(ctx, request, reply, member, { error: interests });
  await setMemberInterests(ctx.database, member.id, interests);
  await forgetTaste(ctx.database, member.id);
  return reply.redirect('/settings?done=interests#interests', 303);
};

/** A new personal API token, shown on the page this once (the page is never cached). */
export const makeToken: Handler<{ Body: { name?: string } }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  try {
    const { token } = await createApiToken(ctx.database, member.id, request.body.name ?? '', ctx.now());
    return settings(ctx, request, reply, member, { newToken: token });
  } catch (err) {
    if (err instanceof TokenError) return settings(ctx, request, reply, member, { error: err.message });
    throw err;
  }
};

export const revokeToken: Handler<{ Body: { id?: string } }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  await revokeApiToken(ctx.database, member.id, Number(request.body.id));
  return reply.redirect('/settings?done=token-revoked#tokens', 303);
};

export const changePassword: Handler<{ Body: AccountForm }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  if (member.hasPassword) {
    const row = await memberRow(ctx.database, { id: member.id });
    if (!(await checkPassword(row?.password_hash, request.body.current ?? '')))
      return settings(ctx, request, reply, member, { error: 'Your current password is not right.' });
  }
  const password = request.body.password ?? '';
  const problem = passwordProblem(password, member);
  if (problem) return settings(ctx, request, reply, member, { error: problem });
  await setPassword(ctx.database, member.id, password);
  await passwordChanged(ctx, request, reply, member);
  return reply.redirect('/settings?done=password', 303);
};

export const changeAddress: Handler<{ Body: AccountForm }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  const email = normaliseEmail(request.body.email ?? '');
  const problem = emailProblem(email) ?? (email === member.email ? 'That is the address you have.' : null);
  if (problem) return settings(ctx, request, reply, member, { error: problem });
  // Whether another account has the address is the other member's business: the answer is the same.
  if (await findMember(ctx.database, { email })) await sendAccountMail(ctx, request, email, alreadyMember(ctx));
  else await sendAccountMail(ctx, request, email, { kind: 'email', url: await linkUrl(ctx, member, 'email', email), name: member.name });
  return sendMessage(
    ctx,
    request,
    reply,
    'Check the new inbox',
    `We have mailed ${email} a link. Your account keeps ${member.email} until you follow it.`,
  );
};

export const signOutEverywhere: Handler = async (ctx, request, reply) => {
  const member = requireMember(request);
  await endAllSessions(ctx.database, member.id, ctx.now());
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  request.member = null;
  return sendMessage(
    ctx,
    request,
    reply,
    'Signed out everywhere',
    'Every browser signed in to your account, this one included, is signed out.',
  );
};
