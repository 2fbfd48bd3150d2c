// Accounts on the web (docs/accounts.md): sign up, sign in by password or emailed link, the mailed
// links themselves, password reset, settings, sign out. Every answer about an address is the same
// whether or not an account uses it; what differs goes into the mail, which only its owner reads.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { issueLink, peekLink, redeemLink, voidLinks, type LinkPurpose } from '../accounts/links.ts';
import { composeAccountMail, type AccountMail } from '../accounts/mails.tsx';
import {
  changeEmail, checkPassword, createMember, findMember, markVerified, memberRow, nameProblem, passwordProblem, setPassword, type Member,
} from '../accounts/members.ts';
import { emailProblem, normaliseEmail } from '../mail/address.ts';
import { countSessions, endAllSessions } from '../accounts/sessions.ts';
import { RecentEvents } from '../accounts/throttle.ts';
import { confirmSubscription, moveSubscription, requestSubscription, setStatus, subscriberByEmail, updatePreferences } from '../digests/subscribers.ts';
import { preferences } from './subscription.tsx';
import type { Config } from '../config/config.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { WebContext } from './context.ts';
import { HttpError } from './errors.ts';
import { LinkPage, ResetRequestPage, SettingsPage, SignInPage, SignUpPage } from './pages/accounts.tsx';
import { MessagePage } from './pages/forms.tsx';
import type { Site } from './pages/layout.tsx';
import { requireMember, safeNext, sendPage, signIn, signOut, SESSION_COOKIE } from './session.ts';

type Form = Partial<Record<'name' | 'email' | 'password' | 'current' | 'next' | 'token', string>>;

const SETTINGS_NOTICES: Record<string, string> = {
  password: 'Your password is set. Every other browser is signed out.',
  email: 'Your account uses its new address now.',
  digest: 'Your digest settings are saved.',
  'digest-stopped': 'The digest is stopped. Nothing more will be mailed.',
};

export function registerAccounts(app: FastifyInstance, { database, site, now }: WebContext, mailer: Mailer, config: Config) {
  const secure = config.PUBLIC_URL.startsWith('https://');
  const mailSite = { siteName: config.SITE_NAME, publicUrl: config.PUBLIC_URL };
  const limited = { config: { rateLimit: { max: config.AUTH_RATE_LIMIT_PER_HOUR, timeWindow: '1 hour' } } };
  const mailsTo = new RecentEvents(5, 15 * 60_000); // account mails per address
  const wrongPasswords = new RecentEvents(5, 15 * 60_000); // per address tried: slows guessing, never locks out links

  // Account pages are never stored, not even by the browser: some carry a mailed link's token.
  const page = (request: FastifyRequest, reply: FastifyReply, render: (site: Site, csrf: () => string) => unknown, status = 200) =>
    sendPage(site, request, reply.header('cache-control', 'no-store'), render, status);
  const message = (request: FastifyRequest, reply: FastifyReply, title: string, text: string, status = 200) =>
    page(request, reply, (s) => MessagePage({ site: s, title, path: request.url.split('?')[0]!, children: <p>{text}</p> }), status);

  /** Mails an account message unless the address has had its share lately; a failure is logged, not shown. */
  async function mail(request: FastifyRequest, to: string, m: AccountMail) {
    if (!mailsTo.take(to, now().getTime())) return request.log.warn({ kind: m.kind }, 'account mail throttled');
    await mailer.send(composeAccountMail(mailSite, to, m)).catch((err: Error) => request.log.error({ err: err.message, kind: m.kind }, 'account mail failed'));
  }
  async function linkUrl(member: { id: number }, purpose: LinkPurpose, email: string, next?: string) {
    const token = await issueLink(database, member.id, purpose, email, now());
    const back = next && next !== '/' ? `&next=${encodeURIComponent(next)}` : '';
    return `${config.PUBLIC_URL}/link?token=${token}${back}`;
  }
  const csrf = { preHandler: app.csrfProtection };

  app.get<{ Querystring: { next?: string } }>('/signup', async (request, reply) => {
    if (request.member) return reply.redirect(safeNext(request.query.next), 303);
    return page(request, reply, (s, csrf) => SignUpPage({ site: s, csrf: csrf(), next: safeNext(request.query.next) }));
  });

  app.post<{ Body: Form }>('/signup', { ...csrf, ...limited }, async (request, reply) => {
    const name = (request.body.name ?? '').trim().toLowerCase();
    const email = normaliseEmail(request.body.email ?? '');
    const password = request.body.password || null;
    const next = safeNext(request.body.next);
    const again = (error: string) => page(request, reply, (s, csrf) => SignUpPage({ site: s, csrf: csrf(), next, error, name, email }), 400);
    const problem = nameProblem(name) ?? emailProblem(email) ?? (password === null ? null : passwordProblem(password, { name, email }));
    if (problem) return again(problem);
    const created = await createMember(database, { name, email, password }, now());
    if (created === 'name-taken') return again('That name is taken. Choose another.');
    if (created === 'email-taken') {
      await mail(request, email, { kind: 'already-member', signInUrl: `${config.PUBLIC_URL}/signin`, resetUrl: `${config.PUBLIC_URL}/reset` });
    } else {
      await mail(request, email, { kind: 'verify', url: await linkUrl(created, 'verify', email, next), name: created.name });
    }
    return message(request, reply, 'Check your inbox', `We have mailed ${email} a link to confirm the address. Follow it to finish creating your account.`);
  });

  app.get<{ Querystring: { next?: string } }>('/signin', async (request, reply) => {
    if (request.member) return reply.redirect(safeNext(request.query.next), 303);
    return page(request, reply, (s, csrf) => SignInPage({ site: s, csrf: csrf(), next: safeNext(request.query.next) }));
  });

  app.post<{ Body: Form }>('/signin', { ...csrf, ...limited }, async (request, reply) => {
    const email = normaliseEmail(request.body.email ?? '');
    const next = safeNext(request.body.next);
    const again = (error: string, status: number) => page(request, reply, (s, csrf) => SignInPage({ site: s, csrf: csrf(), next, error, email }), status);
    const at = now().getTime();
    if (wrongPasswords.full(email, at)) {
      const minutes = Math.ceil(wrongPasswords.waitMs(email, at) / 60_000);
      return again(`Too many wrong passwords for this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or sign in with an emailed link below.`, 429);
    }
    const row = await memberRow(database, { email });
    if (!(await checkPassword(row?.password_hash, request.body.password ?? ''))) {
      wrongPasswords.add(email, at);
      return again('That email and password do not match an account.', 400);
    }
    const member = row!;
    if (member.email_verified_at === null) {
      await mail(request, member.email, { kind: 'verify', url: await linkUrl({ id: Number(member.id) }, 'verify', member.email, next), name: member.name });
      return again('Confirm your address first: we have mailed you a new link.', 403);
    }
    wrongPasswords.clear(email);
    await signIn(request, reply, database, Number(member.id), now(), secure);
    return reply.redirect(next, 303);
  });

  /** Sign-in links and password resets: the same answer for every address, the difference in the mail. */
  function mailedLink(path: '/signin/link' | '/reset', purpose: 'sign-in' | 'reset') {
    app.post<{ Body: Form }>(path, { ...csrf, ...limited }, async (request, reply) => {
      const email = normaliseEmail(request.body.email ?? '');
      const problem = emailProblem(email);
      if (problem) {
        if (path === '/reset') return page(request, reply, (s, csrf) => ResetRequestPage({ site: s, csrf: csrf(), error: problem }), 400);
        return page(request, reply, (s, csrf) => SignInPage({ site: s, csrf: csrf(), next: safeNext(request.body.next), error: problem, email }), 400);
      }
      const member = await findMember(database, { email });
      if (member) await mail(request, email, { kind: purpose, url: await linkUrl(member, purpose, email, safeNext(request.body.next)), name: member.name });
      else await mail(request, email, { kind: 'no-account', signUpUrl: `${config.PUBLIC_URL}/signup` });
      const what = purpose === 'reset' ? 'a link to choose a new password' : 'a link to sign in';
      return message(request, reply, 'Check your inbox', `If an account uses ${email}, we have mailed it ${what}. The link works once and soon expires.`);
    });
  }
  mailedLink('/signin/link', 'sign-in');
  mailedLink('/reset', 'reset');
  app.get('/reset', async (request, reply) => page(request, reply, (s, csrf) => ResetRequestPage({ site: s, csrf: csrf() })));

  const deadLink = () => new HttpError(400, 'This link does not work any more', 'It was used already, has expired, or was not copied whole. Ask for a new one.');

  app.get<{ Querystring: { token?: string; next?: string } }>('/link', async (request, reply) => {
    const link = await peekLink(database, request.query.token ?? '', now());
    if (!link) throw deadLink();
    // The page carries the token in a form; keep it out of Referer headers and caches.
    reply.header('referrer-policy', 'no-referrer');
    return page(request, reply, (s, csrf) => LinkPage({ site: s, csrf: csrf(), token: request.query.token!, purpose: link.purpose, email: link.email, next: safeNext(request.query.next) }));
  });

  app.post<{ Body: Form }>('/link', csrf, async (request, reply) => {
    const token = request.body.token ?? '';
    const link = await peekLink(database, token, now());
    if (!link) throw deadLink();
    const next = safeNext(request.body.next);
    const member = await findMember(database, { id: link.memberId });
    if (!member) throw deadLink();
    if (link.purpose === 'reset') {
      const password = request.body.password ?? '';
      const problem = passwordProblem(password, member);
      if (problem) return page(request, reply, (s, csrf) => LinkPage({ site: s, csrf: csrf(), token, purpose: 'reset', email: link.email, next, error: problem }), 400);
    }
    const used = await redeemLink(database, token, link.purpose, now());
    if (!used) throw deadLink();
    switch (link.purpose) {
      case 'verify':
      case 'sign-in':
        // Either link proves the member reads mail at the address.
        await markVerified(database, member.id, now());
        await signIn(request, reply, database, member.id, now(), secure);
        return reply.redirect(next, 303);
      case 'reset':
        await setPassword(database, member.id, request.body.password!);
        await markVerified(database, member.id, now());
        await passwordChanged(request, reply, member);
        return reply.redirect('/settings?done=password', 303);
      case 'email': {
        if (!(await changeEmail(database, member.id, used.email, now()))) {
          throw new HttpError(409, 'That address is taken', 'Another account started using this address meanwhile. Choose another in your settings.');
        }
        await moveSubscription(database, member.email, used.email, now());
        await mail(request, member.email, { kind: 'email-changed', name: member.name, newEmail: used.email });
        await signIn(request, reply, database, member.id, now(), secure);
        return reply.redirect('/settings?done=email', 303);
      }
    }
  });

  /** After a new password: every session ends, old reset and sign-in links die, this browser stays in. */
  async function passwordChanged(request: FastifyRequest, reply: FastifyReply, member: Member) {
    await endAllSessions(database, member.id, now());
    await voidLinks(database, member.id, ['reset', 'sign-in'], now());
    await signIn(request, reply, database, member.id, now(), secure);
  }

  app.post('/signout', csrf, async (request, reply) => {
    await signOut(request, reply, database);
    return reply.redirect('/', 303);
  });

  app.get<{ Querystring: { done?: string } }>('/settings', async (request, reply) => {
    const member = requireMember(request);
    const [sessions, digest] = await Promise.all([countSessions(database, member.id, now()), subscriberByEmail(database, member.email)]);
    const notice = SETTINGS_NOTICES[request.query.done ?? ''];
    return page(request, reply, (s, csrf) => SettingsPage({ site: s, csrf: csrf(), member, sessions, digest, notice }));
  });

  const settingsError = async (request: FastifyRequest, reply: FastifyReply, member: Member, error: string, status = 400) => {
    const [sessions, digest] = await Promise.all([countSessions(database, member.id, now()), subscriberByEmail(database, member.email)]);
    return page(request, reply, (s, csrf) => SettingsPage({ site: s, csrf: csrf(), member, sessions, digest, error }), status);
  };

  // The digest for the member's own address. The account confirmed the address, so there is no
  // confirmation mail; digests still carry their one-click unsubscribe link.
  app.post<{ Body: Record<string, string> }>('/settings/digest', csrf, async (request, reply) => {
    const member = requireMember(request);
    const prefs = preferences(request.body);
    if (typeof prefs === 'string') return settingsError(request, reply, member, prefs);
    const subscriber = await requestSubscription(database, member.email, prefs, now());
    if (subscriber.status === 'bounced') await setStatus(database, subscriber.id, 'confirmed', now());
    else if (subscriber.status !== 'confirmed') await confirmSubscription(database, subscriber.id, now());
    await updatePreferences(database, subscriber.id, prefs, now());
    return reply.redirect('/settings?done=digest#digest', 303);
  });

  app.post('/settings/digest/stop', csrf, async (request, reply) => {
    const member = requireMember(request);
    const subscriber = await subscriberByEmail(database, member.email);
    if (subscriber) await setStatus(database, subscriber.id, 'unsubscribed', now());
    return reply.redirect('/settings?done=digest-stopped#digest', 303);
  });

  app.post<{ Body: Form }>('/settings/password', { ...csrf, ...limited }, async (request, reply) => {
    const member = requireMember(request);
    if (member.hasPassword) {
      const row = await memberRow(database, { id: member.id });
      if (!(await checkPassword(row?.password_hash, request.body.current ?? ''))) return settingsError(request, reply, member, 'Your current password is not right.');
    }
    const password = request.body.password ?? '';
    const problem = passwordProblem(password, member);
    if (problem) return settingsError(request, reply, member, problem);
    await setPassword(database, member.id, password);
    await passwordChanged(request, reply, member);
    return reply.redirect('/settings?done=password', 303);
  });

  app.post<{ Body: Form }>('/settings/email', { ...csrf, ...limited }, async (request, reply) => {
    const member = requireMember(request);
    const email = normaliseEmail(request.body.email ?? '');
    const problem = emailProblem(email) ?? (email === member.email ? 'That is the address you have.' : null);
    if (problem) return settingsError(request, reply, member, problem);
    // Whether another account has the address is the other member's business: the answer is the same.
    if (await findMember(database, { email })) {
      await mail(request, email, { kind: 'already-member', signInUrl: `${config.PUBLIC_URL}/signin`, resetUrl: `${config.PUBLIC_URL}/reset` });
    } else {
      await mail(request, email, { kind: 'email', url: await linkUrl(member, 'email', email), name: member.name });
    }
    return message(request, reply, 'Check the new inbox', `We have mailed ${email} a link. Your account keeps ${member.email} until you follow it.`);
  });

  app.post('/settings/signout-everywhere', csrf, async (request, reply) => {
    const member = requireMember(request);
    await endAllSessions(database, member.id, now());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    request.member = null;
    return message(request, reply, 'Signed out everywhere', 'Every browser signed in to your account, this one included, is signed out.');
  });
}
