// What members do to papers: upvote and discuss them. Each action works as a plain form post (the
// answer is a redirect back) and upvotes also in place with htmx (the answer is the changed button).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { extractArxivId } from '../arxiv/ids.ts';
import {
  addComment,
  CommentError,
  deleteComment,
  editComment,
  getComment,
  mayEdit,
  reportComment,
  revisionsOf,
  showsBody,
  type Comment,
} from '../community/comments.ts';
import { setPick } from '../community/picks.ts';
import { NotOnAList, setUpvote } from '../community/upvotes.ts';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { commentPath, paperPath } from '../http/paths.ts';
import type { Handler } from '../http/route.ts';
import { backTo, requireMember, siteFor } from '../http/session.ts';
import { REPORT_REASONS, type ReportReason } from '../model/community.ts';
import type { Paper } from '../model/paper.ts';
import { forgetTaste, setNotInterested } from '../ranking/for-you.ts';
import { getPaper } from '../storage/papers.ts';
import { sendFragment, sendMessage, sendPrivatePage } from './respond.tsx';
import { Upvotes } from './views/cards.tsx';
import { HiddenPaper } from './views/list.tsx';
import { EditCommentPage, HistoryPage } from './views/comments.tsx';

const PAPER_ACTIONS = ['upvote', 'comments', 'pick', 'not-interested'] as const;

export type CommentForm = {
  body?: string;
  parent?: string;
  reason?: string;
  note?: string;
  back?: string;
  upvote?: string;
  pick?: string;
  undo?: string;
};
type PaperAction = { Params: { '*': string }; Body: CommentForm };
type CommentAction = { Params: { id: string }; Body: CommentForm };

/** A domain refusal (a comment too long, a thread closed) as what the person sees. */
export function commentRefused(err: unknown): never {
  if (err instanceof CommentError) throw new HttpError(err.status, err.status === 409 ? 'Cannot do that' : 'Cannot post that', err.message);
  throw err;
}

/** POST /papers/<id>/upvote, /comments and /pick (moderators); old-style ids have a slash of their own (hep-th/9901001). */
export const paperAction: Handler<PaperAction> = async (ctx, request, reply) => {
  const rest = request.params['*'];
  const action = PAPER_ACTIONS.find((a) => rest.endsWith(`/${a}`));
  if (!action) throw new HttpError(404, 'Page not found', `There is nothing to post to at ${request.url.slice(0, 200)}.`);
  const idText = rest.slice(0, -action.length - 1);
  const parsed = extractArxivId(idText);
  if (!parsed || parsed.id !== idText)
    throw new HttpError(400, 'Not an arXiv identifier', `“${idText.slice(0, 100)}” is not an arXiv identifier such as 2301.00001.`);
  const member = requireMember(request, 'member', paperPath(parsed.id));
  const paper = await getPaper(ctx.database, parsed.id);
  if (!paper) throw new HttpError(404, 'Paper not found', `There is no paper arXiv:${parsed.id} here yet.`);
  if (action === 'pick') return pick(ctx, request, reply, paper);
  if (action === 'not-interested') return notInterested(ctx, request, reply, paper, member.id);
  return action === 'upvote' ? upvote(ctx, request, reply, paper, member.id) : comment(ctx, request, reply, paper, member.id);
};

/** A moderator picks the paper for its list's lead, or takes the pick back; back to the paper. */
async function pick(ctx: AppContext, request: FastifyRequest<PaperAction>, reply: FastifyReply, paper: Paper) {
  const moderator = requireMember(request, 'moderator');
  try {
    await setPick(ctx.database, paper.id, request.body.pick === '0' ? null : moderator.id, ctx.now());
  } catch (err) {
    if (err instanceof NotOnAList) throw new HttpError(409, 'Cannot pick this paper', err.message);
    throw err;
  }
  return reply.redirect(paperPath(paper.arxivId), 303);
}

async function upvote(ctx: AppContext, request: FastifyRequest<PaperAction>, reply: FastifyReply, paper: Paper, memberId: number) {
  const upvoted = request.body.upvote !== '0';
  let count: number;
  try {
    count = await setUpvote(ctx.database, memberId, paper.id, upvoted, ctx.now());
    await forgetTaste(ctx.database, memberId);
  } catch (err) {
    if (err instanceof NotOnAList) throw new HttpError(409, 'Cannot upvote this paper', err.message);
    throw err;
  }
  if (request.headers['hx-request'] !== 'true') return reply.redirect(backTo(request, paperPath(paper.arxivId)), 303);
  const updated = { ...paper, listing: { ...paper.listing!, upvotes: count } };
  return sendFragment(reply, <Upvotes paper={updated} viewer={siteFor(ctx.site, request, reply).viewer} upvoted={upvoted} />);
}

/** "Not interested" (or `undo`): the paper leaves the member's For you list, which learns from it; back to the list. */
async function notInterested(ctx: AppContext, request: FastifyRequest<PaperAction>, reply: FastifyReply, paper: Paper, memberId: number) {
  const undo = request.body.undo === '1';
  await setNotInterested(ctx.database, memberId, paper.id, !undo, ctx.now());
  await forgetTaste(ctx.database, memberId);
  if (request.headers['hx-request'] !== 'true') return reply.redirect(backTo(request, paperPath(paper.arxivId)), 303);
  const viewer = siteFor(ctx.site, request, reply).viewer!;
  return sendFragment(reply, <HiddenPaper paper={paper} csrf={viewer.csrf} />);
}

async function comment(ctx: AppContext, request: FastifyRequest<PaperAction>, reply: FastifyReply, paper: Paper, memberId: number) {
  const recent = ctx.throttles.comments;
  if (!(await recent.take(String(memberId), ctx.now().getTime()))) {
    throw HttpError.tooMany(
      'Slow down',
      `You have posted ${recent.max} comments in the last ${recent.windowMs / 60_000} minutes. Wait a little before the next.`,
      (await recent.waitMs(String(memberId), ctx.now().getTime())) / 1000,
    );
  }
  const parent = request.body.parent ? Number(request.body.parent) : null;
  if (parent !== null && !Number.isSafeInteger(parent))
    throw new HttpError(400, 'Cannot post that', 'The comment you are replying to is not on this paper.');
  const fields = { paperId: paper.id, memberId, parentId: parent, body: request.body.body ?? '' };
  const commentId = await addComment(ctx.database, fields, ctx.now()).catch(commentRefused);
  return reply.redirect(commentPath({ arxivId: paper.arxivId, id: commentId }), 303);
}

/** The comment named in the URL, or a 404 (also for one the viewer may not see). */
export async function commentFor(ctx: AppContext, request: FastifyRequest<{ Params: { id: string } }>): Promise<Comment> {
  const id = Number(request.params.id);
  const comment = Number.isSafeInteger(id) && id > 0 ? await getComment(ctx.database, id) : null;
  if (!comment) throw new HttpError(404, 'Comment not found', 'There is no such comment.');
  return comment;
}

function authorOnly(request: FastifyRequest, comment: Comment) {
  const member = requireMember(request);
  if (!mayEdit(member, comment))
    throw new HttpError(403, 'Not your comment', 'Only its author can change a comment, and not once it is deleted or hidden.');
  return member;
}

export const editForm: Handler<CommentAction> = async (ctx, request, reply) => {
  const comment = await commentFor(ctx, request);
  authorOnly(request, comment);
  return sendPrivatePage(ctx, request, reply, (site, csrf) => EditCommentPage({ site, csrf: csrf(), comment }));
};

export const edit: Handler<CommentAction> = async (ctx, request, reply) => {
  const comment = await commentFor(ctx, request);
  authorOnly(request, comment);
  try {
    await editComment(ctx.database, comment, request.body.body ?? '', ctx.now());
  } catch (err) {
    if (!(err instanceof CommentError)) throw err;
    const body = request.body.body;
    return sendPrivatePage(
      ctx,
      request,
      reply,
      (site, csrf) => EditCommentPage({ site, csrf: csrf(), comment, body, error: err.message }),
      400,
    );
  }
  return reply.redirect(commentPath(comment), 303);
};

export const history: Handler<CommentAction> = async (ctx, request, reply) => {
  const comment = await commentFor(ctx, request);
  if (!showsBody(request.member, comment)) throw new HttpError(404, 'Comment not found', 'This comment was removed.');
  const revisions = await revisionsOf(ctx.database, comment.id);
  return sendPrivatePage(ctx, request, reply, (site) => HistoryPage({ site, comment, revisions }));
};

export const remove: Handler<CommentAction> = async (ctx, request, reply) => {
  const comment = await commentFor(ctx, request);
  authorOnly(request, comment);
  await deleteComment(ctx.database, comment, ctx.now());
  return reply.redirect(`${paperPath(comment.arxivId)}#comments`, 303);
};

export const report: Handler<CommentAction> = async (ctx, request, reply) => {
  const comment = await commentFor(ctx, request);
  const member = requireMember(request);
  const reason = request.body.reason as ReportReason;
  if (!REPORT_REASONS.includes(reason)) throw new HttpError(400, 'Choose a reason', `A report says why: ${REPORT_REASONS.join(', ')}.`);
  const filed = await reportComment(ctx.database, comment, member.id, reason, request.body.note ?? '', ctx.now()).catch(commentRefused);
  const text = filed ? 'Thank you. Moderators will look at it.' : 'You had reported this comment already; moderators will look at it.';
  return sendMessage(
    ctx,
    request,
    reply,
    'Reported',
    <>
      {text} <a href={commentPath(comment)}>Back to the discussion</a>
    </>,
  );
};
