// The mails accounts send (confirm an address, sign in, reset, a changed address) and the one-use
// links they carry. Every answer about an address is the same whether or not an account uses it;
// what differs goes into the mail, which only its owner reads.
import { recordAccountMail } from '../accounts/mail-log.ts';
import type { FastifyRequest } from 'fastify';
import { issueLink } from '../accounts/links.ts';
import { composeAccountMail, type AccountMail } from '../accounts/mails.tsx';
import type { AppContext } from '../http/context.ts';
import type { LinkPurpose } from '../model/community.ts';

/** Mails an account message unless the address has had its share lately; a failure is logged, not shown. */
export async function sendAccountMail(ctx: AppContext, request: FastifyRequest, to: string, mail: AccountMail) {
  const site = { siteName: ctx.config.SITE_NAME, publicUrl: ctx.config.PUBLIC_URL };
  const composed = composeAccountMail(site, to, mail);
  const entry = { recipient: to, kind: mail.kind, subject: composed.subject, error: null };
  if (!(await ctx.throttles.accountMails.take(to, ctx.now().getTime()))) {
    request.log.warn({ kind: mail.kind }, 'account mail throttled');
    return recordAccountMail(ctx.database, { ...entry, status: 'throttled' }, ctx.now());
  }
  try {
    await ctx.mailer.send(composed);
    await recordAccountMail(ctx.database, { ...entry, status: 'sent' }, ctx.now());
  } catch (err) {
    request.log.error({ err: (err as Error).message, kind: mail.kind }, 'account mail failed');
    await recordAccountMail(ctx.database, { ...entry, status: 'failed', error: (err as Error).message }, ctx.now());
  }
}

/** A new one-use link for the member, to come back to `next` after following it. */
export async function linkUrl(ctx: AppContext, member: { id: number }, purpose: LinkPurpose, email: string, next?: string) {
  const token = await issueLink(ctx.database, member.id, purpose, email, ctx.now());
  const back = next && next !== '/' ? `&next=${encodeURIComponent(next)}` : '';
  return `${ctx.config.PUBLIC_URL}/link?token=${token}${back}`;
}

/** For an address that already has an account: how to get in, instead of a second account. */
export function alreadyMember(ctx: AppContext): AccountMail {
  return { kind: 'already-member', signInUrl: `${ctx.config.PUBLIC_URL}/signin`, resetUrl: `${ctx.config.PUBLIC_URL}/reset` };
}
