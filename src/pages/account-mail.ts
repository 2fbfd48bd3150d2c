// The mails accounts send (confirm an address, sign in, reset, a changed address) and the one-use
// links they carry. Every answer about an address is the same whether or not an account uses it;
// what differs goes into the mail, which only its owner reads.
import type { FastifyRequest } from 'fastify';
import { issueLink } from '../accounts/links.ts';
import { composeAccountMail, type AccountMail } from '../accounts/mails.tsx';
import type { AppContext } from '../http/context.ts';
import type { LinkPurpose } from '../model/community.ts';

/** Mails an account message unless the address has had its share lately; a failure is logged, not shown. */
export async function sendAccountMail(ctx: AppContext, request: FastifyRequest, to: string, mail: AccountMail) {
  if (!ctx.throttles.accountMails.take(to, ctx.now().getTime())) return request.log.warn({ kind: mail.kind }, 'account mail throttled');
  const site = { siteName: ctx.config.SITE_NAME, publicUrl: ctx.config.PUBLIC_URL };
  await ctx.mailer
    .send(composeAccountMail(site, to, mail))
    .catch((err: Error) => request.log.error({ err: err.message, kind: mail.kind }, 'account mail failed'));
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
