// Operator pages, for members with the admin role (`paperboy user create-admin` makes the first).
import { recentAccountMails } from '../accounts/mail-log.ts';
import { findMember, listMembers, ROLES, setRole } from '../accounts/members.ts';
import { recentMails } from '../digests/outbox.ts';
import { HttpError } from '../http/errors.ts';
import type { Role } from '../model/community.ts';
import type { Handler } from '../http/route.ts';
import { requireMember } from '../http/session.ts';
import { listStates } from '../ingest/state.ts';
import { countPapers, latestDay } from '../storage/papers.ts';
import { sendPrivatePage } from './respond.tsx';
import { MembersPage, OutboxPage, StatusPage } from './views/status.tsx';

const OUTBOX_SHOWN = 200;
const MEMBERS_SHOWN = 500;

export const statusPage: Handler = async (ctx, request, reply) => {
  requireMember(request, 'admin');
  const [states, papers, day] = await Promise.all([listStates(ctx.database), countPapers(ctx.database), latestDay(ctx.database)]);
  return sendPrivatePage(ctx, request, reply, (site) => StatusPage({ site, states, papers, latestDay: day }));
};

/** What was mailed, or would have been: without SMTP the mails are files, and this is their list. */
export const outboxPage: Handler = async (ctx, request, reply) => {
  requireMember(request, 'admin');
  const [mails, accountMails] = await Promise.all([
    recentMails(ctx.database, OUTBOX_SHOWN),
    recentAccountMails(ctx.database, OUTBOX_SHOWN),
  ]);
  return sendPrivatePage(ctx, request, reply, (site) => OutboxPage({ site, mails, accountMails, destination: ctx.mailer.description }));
};

const ROLE_NOTICE = 'The role is changed.';

export const membersPage: Handler<{ Querystring: { done?: string } }> = async (ctx, request, reply) => {
  requireMember(request, 'admin');
  const members = await listMembers(ctx.database, MEMBERS_SHOWN);
  const notice = request.query.done === 'role' ? ROLE_NOTICE : undefined;
  return sendPrivatePage(ctx, request, reply, (site, csrf) => MembersPage({ site, csrf: csrf(), members, notice }));
};

/** An admin gives a member a role; their own stays (an admin cannot lock themselves out here). */
export const changeRole: Handler<{ Body: { member?: string; role?: string } }> = async (ctx, request, reply) => {
  const admin = requireMember(request, 'admin');
  const role = request.body.role as Role;
  if (!ROLES.includes(role)) throw new HttpError(400, 'Not a role', `A role is one of ${ROLES.join(', ')}.`);
  const member = await findMember(ctx.database, { id: Number(request.body.member) || 0 });
  if (!member) throw new HttpError(404, 'No such member', 'That member does not exist (any more).');
  if (member.id === admin.id)
    throw new HttpError(400, 'Not your own role', 'Another admin can change your role, or the operator with paperboy user set-role.');
  await setRole(ctx.database, member.id, role);
  return reply.redirect('/admin/members?done=role', 303);
};
