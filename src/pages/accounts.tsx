// Accounts on the web (docs/accounts.md): sign up, sign in by password or emailed link, the mailed
// links themselves, password reset, sign out. Every answer about an address is the same whether or
// not an account uses it; what differs goes into the mail, which only its owner reads.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { peekLink, redeemLink, voidLinks } from '../accounts/links.ts';
import {
  changeEmail,
  checkPassword,
  createMember,
  findMember,
  markVerified,
  memberRow,
  nameProblem,
  passwordProblem,
  setPassword,
  type Member,
} from '../accounts/members.ts';
import { endAllSessions } from '../accounts/sessions.ts';
import { moveSubscription } from '../digests/subscribers.ts';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import type { Handler } from '../http/route.ts';
import { safeNext, signIn, signOut } from '../http/session.ts';
import { emailProblem, normaliseEmail } from '../mail/address.ts';
import { alreadyMember, linkUrl, sendAccountMail } from './account-mail.ts';
import { interestsFrom } from './interests.ts';
import { sendMessage, sendPrivatePage } from './respond.tsx';
import { LinkPage, ResetRequestPage, SignInPage, SignUpPage } from './views/accounts.tsx';

export type AccountForm = Partial<Record<'name' | 'email' | 'password' | 'current' | 'next' | 'token' | 'categories' | 'topics', string>>;
type Next = { Querystring: { next?: string } };
type Posted = { Body: AccountForm };

export const signUpForm: Handler<Next> = async (ctx, request, reply) => {
  if (request.member) return reply.redirect(safeNext(request.query.next), 303);
  return sendPrivatePage(ctx, request, reply, (site, csrf) => SignUpPage({ site, csrf: csrf(), next: safeNext(request.query.next) }));
};

export const signUp: Handler<Posted> = async (ctx, request, reply) => {
  const name = (request.body.name ?? '').trim().toLowerCase();
  const email = normaliseEmail(request.body.email ?? '');
  const password = request.body.password || null;
  const next = safeNext(request.body.next);
  const interests = interestsFrom(request.body);
  const problem =
    nameProblem(name) ??
    emailProblem(email) ??
    (password === null ? null : passwordProblem(password, { name, email })) ??
    (typeof interests === 'string' ? interests : null);
  const again = (error: string) =>
    sendPrivatePage(
      ctx,
      request,
      reply,
      (site, csrf) =>
        SignUpPage({ site, csrf: csrf(), next, error, name, email, interests: typeof interests === 'string' ? undefined : interests }),
      400,
    );
  if (problem || typeof interests === 'string') return again(problem ?? String(interests));
  const created = await createMember(ctx.database, { name, email, password, ...interests }, ctx.now());
  if (created === 'name-taken') return again('That name is taken. Choose another.');
  if (created === 'email-taken') await sendAccountMail(ctx, request, email, alreadyMember(ctx));
  else
    await sendAccountMail(ctx, request, email, {
      kind: 'verify',
      url: await linkUrl(ctx, created, 'verify', email, next),
      name: created.name,
    });
  return sendMessage(
    ctx,
    request,
    reply,
    'Check your inbox',
    `We have mailed ${email} a link to confirm the address. Follow it to finish creating your account.`,
  );
};

export const signInForm: Handler<Next> = async (ctx, request, reply) => {
  if (request.member) return reply.redirect(safeNext(request.query.next), 303);
  return sendPrivatePage(ctx, request, reply, (site, csrf) => SignInPage({ site, csrf: csrf(), next: safeNext(request.query.next) }));
};

export const signInWithPassword: Handler<Posted> = async (ctx, request, reply) => {
  const email = normaliseEmail(request.body.email ?? '');
  const next = safeNext(request.body.next);
  const again = (error: string, status: number) =>
    sendPrivatePage(ctx, request, reply, (site, csrf) => SignInPage({ site, csrf: csrf(), next, error, email }), status);
  const wrongPasswords = ctx.throttles.wrongPasswords;
  const at = ctx.now().getTime();
  if (await wrongPasswords.full(email, at)) {
    const waitMs = await wrongPasswords.waitMs(email, at);
    const minutes = Math.ceil(waitMs / 60_000);
    reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
    return again(
      `Too many wrong passwords for this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or sign in with an emailed link below.`,
      429,
    );
  }
  const row = await memberRow(ctx.database, { email });
  if (!(await checkPassword(row?.password_hash, request.body.password ?? ''))) {
    await wrongPasswords.add(email, at);
    return again('That email and password do not match an account.', 400);
  }
  const member = row!;
  if (member.email_verified_at === null) {
    const url = await linkUrl(ctx, { id: Number(member.id) }, 'verify', member.email, next);
    await sendAccountMail(ctx, request, member.email, { kind: 'verify', url, name: member.name });
    return again('Confirm your address first: we have mailed you a new link.', 403);
  }
  await wrongPasswords.clear(email);
  await signIn(ctx, request, reply, Number(member.id));
  return reply.redirect(next, 303);
};

/** Sign-in links and password resets: the same answer for every address, the difference in the mail. */
const mailedLink =
  (purpose: 'sign-in' | 'reset'): Handler<Posted> =>
  async (ctx, request, reply) => {
    const email = normaliseEmail(request.body.email ?? '');
    const next = safeNext(request.body.next);
    const problem = emailProblem(email);
    if (problem) {
      if (purpose === 'reset')
        return sendPrivatePage(ctx, request, reply, (site, csrf) => ResetRequestPage({ site, csrf: csrf(), error: problem }), 400);
      return sendPrivatePage(ctx, request, reply, (site, csrf) => SignInPage({ site, csrf: csrf(), next, error: problem, email }), 400);
    }
    const member = await findMember(ctx.database, { email });
    if (member)
      await sendAccountMail(ctx, request, email, {
        kind: purpose,
        url: await linkUrl(ctx, member, purpose, email, next),
        name: member.name,
      });
    else await sendAccountMail(ctx, request, email, { kind: 'no-account', signUpUrl: `${ctx.config.PUBLIC_URL}/signup` });
    const what = purpose === 'reset' ? 'a link to choose a new password' : 'a link to sign in';
    return sendMessage(
      ctx,
      request,
      reply,
      'Check your inbox',
      `If an account uses ${email}, we have mailed it ${what}. The link works once and soon expires.`,
    );
  };
export const mailSignInLink = mailedLink('sign-in');
export const mailResetLink = mailedLink('reset');

export const resetForm: Handler = async (ctx, request, reply) =>
  sendPrivatePage(ctx, request, reply, (site, csrf) => ResetRequestPage({ site, csrf: csrf() }));

const deadLink = () =>
  new HttpError(400, 'This link does not work any more', 'It was used already, has expired, or was not copied whole. Ask for a new one.');

/** A mailed link asks for a button press: mail scanners follow links, and must not sign anyone in. */
export const linkForm: Handler<{ Querystring: { token?: string; next?: string } }> = async (ctx, request, reply) => {
  const link = await peekLink(ctx.database, request.query.token ?? '', ctx.now());
  if (!link) throw deadLink();
  // The page carries the token in a form; keep it out of Referer headers and caches.
  reply.header('referrer-policy', 'no-referrer');
  const next = safeNext(request.query.next);
  return sendPrivatePage(ctx, request, reply, (site, csrf) =>
    LinkPage({ site, csrf: csrf(), token: request.query.token!, purpose: link.purpose, email: link.email, next }),
  );
};

export const followLink: Handler<Posted> = async (ctx, request, reply) => {
  const token = request.body.token ?? '';
  const link = await peekLink(ctx.database, token, ctx.now());
  const member = link && (await findMember(ctx.database, { id: link.memberId }));
  if (!link || !member) throw deadLink();
  const next = safeNext(request.body.next);
  if (link.purpose === 'reset') {
    const problem = passwordProblem(request.body.password ?? '', member);
    if (problem)
      return sendPrivatePage(
        ctx,
        request,
        reply,
        (site, csrf) => LinkPage({ site, csrf: csrf(), token, purpose: 'reset', email: link.email, next, error: problem }),
        400,
      );
  }
  const used = await redeemLink(ctx.database, token, link.purpose, ctx.now());
  if (!used) throw deadLink();
  switch (link.purpose) {
    case 'verify':
    case 'sign-in':
      // Either link proves the member reads mail at the address.
      await markVerified(ctx.database, member.id, ctx.now());
      await signIn(ctx, request, reply, member.id);
      return reply.redirect(next, 303);
    case 'reset':
      await setPassword(ctx.database, member.id, request.body.password!);
      await markVerified(ctx.database, member.id, ctx.now());
      await passwordChanged(ctx, request, reply, member);
      return reply.redirect('/settings?done=password', 303);
    case 'email':
      return emailConfirmed(ctx, request, reply, member, used.email);
  }
};

async function emailConfirmed(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, member: Member, email: string) {
  if (!(await changeEmail(ctx.database, member.id, email, ctx.now()))) {
    throw new HttpError(
      409,
      'That address is taken',
      'Another account started using this address meanwhile. Choose another in your settings.',
    );
  }
  await moveSubscription(ctx.database, member.email, email, ctx.now());
  await sendAccountMail(ctx, request, member.email, { kind: 'email-changed', name: member.name, newEmail: email });
  await signIn(ctx, request, reply, member.id);
  return reply.redirect('/settings?done=email', 303);
}

/** After a new password: every session ends, old reset and sign-in links die, this browser stays in. */
export async function passwordChanged(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, member: Member) {
  await endAllSessions(ctx.database, member.id, ctx.now());
  await voidLinks(ctx.database, member.id, ['reset', 'sign-in'], ctx.now());
  await signIn(ctx, request, reply, member.id);
}

export const signOutHere: Handler = async (ctx, request, reply) => {
  await signOut(ctx, request, reply);
  return reply.redirect('/', 303);
};
