// What moderators do to the discussion: the queue of reported comments, hiding (with a reason),
// showing again, and dismissing reports.
import { dismissReports, hideComment, moderationQueue, recentlyHidden, unhideComment, type Comment } from '../community/comments.ts';
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import { commentPath } from '../http/paths.ts';
import type { Handler } from '../http/route.ts';
import { requireMember, safeNext } from '../http/session.ts';
import { HIDE_REASONS, type HideReason } from '../model/community.ts';
import { commentFor, type CommentForm } from './community.tsx';
import { sendPrivatePage } from './respond.tsx';
import { ModerationPage } from './views/moderation.tsx';

type CommentAction = { Params: { id: string }; Body: CommentForm };

const moderatorOnly = (request: FastifyRequest) => requireMember(request, 'moderator');
/** Back to the queue when acting from it, else to the comment. */
const afterModeration = (request: FastifyRequest<{ Body: CommentForm }>, comment: Comment) =>
  request.body?.back ? safeNext(request.body.back) : commentPath(comment);

export const queuePage: Handler = async (ctx, request, reply) => {
  moderatorOnly(request);
  const [queue, hidden] = await Promise.all([moderationQueue(ctx.database), recentlyHidden(ctx.database)]);
  return sendPrivatePage(ctx, request, reply, (site, csrf) => ModerationPage({ site, csrf: csrf(), queue, hidden }));
};

export const hide: Handler<CommentAction> = async (ctx, request, reply) => {
  const comment = await commentFor(ctx, request);
  const moderator = moderatorOnly(request);
  const reason = request.body.reason as HideReason;
  if (!HIDE_REASONS.includes(reason)) throw new HttpError(400, 'Choose a reason', `Hiding says why: ${HIDE_REASONS.join(', ')}.`);
  await hideComment(ctx.database, comment, moderator.id, reason, ctx.now());
  return reply.redirect(afterModeration(request, comment), 303);
};

export const unhide: Handler<CommentAction> = async (ctx, request, reply) => {
  const comment = await commentFor(ctx, request);
  moderatorOnly(request);
  await unhideComment(ctx.database, comment, ctx.now());
  return reply.redirect(afterModeration(request, comment), 303);
};

export const dismiss: Handler<CommentAction> = async (ctx, request, reply) => {
  const comment = await commentFor(ctx, request);
  const moderator = moderatorOnly(request);
  await dismissReports(ctx.database, comment.id, moderator.id, ctx.now());
  return reply.redirect('/moderation', 303);
};
