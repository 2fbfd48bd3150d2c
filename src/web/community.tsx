// What members do to papers: submit, upvote and discuss them; and what moderators do to the discussion.
// Each action works as a plain form post (the answer is a redirect back) and upvotes also in place
// with htmx (the answer is the changed button).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { extractArxivId } from '../arxiv/ids.ts';
import {
  addComment, CommentError, deleteComment, dismissReports, editComment, getComment, HIDE_REASONS, hideComment, mayEdit,
  moderationQueue, recentlyHidden, reportComment, REPORT_REASONS, revisionsOf, showsBody, unhideComment, type Comment, type HideReason, type ReportReason,
} from '../community/comments.ts';
import { NotOnAList, setUpvote } from '../community/upvotes.ts';
import { submissionsToday, submitPaper, SubmissionError, type Lookup, type SubmissionRules } from '../community/submissions.ts';
import { dayIn } from '../util/dates.ts';
import { SubmitPage } from './pages/submit.tsx';
import { RecentEvents } from '../accounts/throttle.ts';
import { getPaper, type Paper } from '../storage/papers.ts';
import type { WebContext } from './context.ts';
import { HttpError } from './errors.ts';
import { paperPath, Upvotes } from './pages/cards.tsx';
import { EditCommentPage, HistoryPage } from './pages/comments.tsx';
import { MessagePage } from './pages/forms.tsx';
import type { Site } from './pages/layout.tsx';
import { ModerationPage } from './pages/moderation.tsx';
import { backTo, perMember, requireMember, safeNext, sendPage, siteFor } from './session.ts';

const PAPER_ACTIONS = ['upvote', 'comments'] as const;

type CommentForm = { body?: string; parent?: string; reason?: string; note?: string; back?: string; upvote?: string };

export function registerCommunity(app: FastifyInstance, { database, site, now }: WebContext, submissions: { rules: SubmissionRules; lookup: Lookup }) {
  const isHtmx = (request: FastifyRequest) => request.headers['hx-request'] === 'true';
  const recentComments = new RecentEvents(10, 10 * 60_000); // per member, on top of the route's rate limit
  const csrf = { preHandler: app.csrfProtection };
  const page = (request: FastifyRequest, reply: FastifyReply, render: (s: Site, csrf: () => string) => unknown, status = 200) =>
    sendPage(site, request, reply.header('cache-control', 'no-store'), render, status);
  const commentPath = (c: Pick<Comment, 'arxivId' | 'id'>) => `${paperPath(c.arxivId)}#comment-${c.id}`;
  const asHttp = (err: unknown): never => {
    if (err instanceof CommentError) throw new HttpError(err.status, err.status === 409 ? 'Cannot do that' : 'Cannot post that', err.message);
    throw err;
  };

  // POST /papers/<id>/<action>; old-style ids have a slash of their own (hep-th/9901001).
  app.post<{ Params: { '*': string }; Body: CommentForm }>('/papers/*', { ...csrf, ...perMember(60) }, async (request, reply) => {
    const rest = request.params['*'];
    const action = PAPER_ACTIONS.find((a) => rest.endsWith(`/${a}`));
    if (!action) throw new HttpError(404, 'Page not found', `There is nothing to post to at ${request.url.slice(0, 200)}.`);
    const idText = rest.slice(0, -action.length - 1);
    const parsed = extractArxivId(idText);
    if (!parsed || parsed.id !== idText) throw new HttpError(400, 'Not an arXiv identifier', `“${idText.slice(0, 100)}” is not an arXiv identifier such as 2301.00001.`);
    const member = requireMember(request, 'member', paperPath(parsed.id));
    const paper = await getPaper(database, parsed.id);
    if (!paper) throw new HttpError(404, 'Paper not found', `There is no paper arXiv:${parsed.id} here yet.`);
    if (action === 'upvote') return upvote(request, reply, paper, member.id);

    if (!recentComments.take(String(member.id), now().getTime())) {
      throw new HttpError(429, 'Slow down', `You have posted ${recentComments.max} comments in the last ${recentComments.windowMs / 60_000} minutes. Wait a little before the next.`);
    }
    const parent = request.body.parent ? Number(request.body.parent) : null;
    if (parent !== null && !Number.isSafeInteger(parent)) throw new HttpError(400, 'Cannot post that', 'The comment you are replying to is not on this paper.');
    const commentId = await addComment(database, { paperId: paper.id, memberId: member.id, parentId: parent, body: request.body.body ?? '' }, now()).catch(asHttp);
    return reply.redirect(commentPath({ arxivId: paper.arxivId, id: commentId }), 303);
  });

  async function upvote(request: FastifyRequest<{ Body: CommentForm }>, reply: FastifyReply, paper: Paper, memberId: number) {
    const upvoted = request.body.upvote !== '0';
    let count: number;
    try {
      count = await setUpvote(database, memberId, paper.id, upvoted, now());
    } catch (err) {
      if (err instanceof NotOnAList) throw new HttpError(409, 'Cannot upvote this paper', err.message);
      throw err;
    }
    if (!isHtmx(request)) return reply.redirect(backTo(request, paperPath(paper.arxivId)), 303);
    const updated = { ...paper, listing: { ...paper.listing!, upvotes: count } };
    return reply.type('text/html; charset=utf-8').send(String(<Upvotes paper={updated} viewer={siteFor(site, request, reply).viewer} upvoted={upvoted} />));
  }

  /** The comment named in the URL, or a 404 (also for one the viewer may not see). */
  async function commentFor(request: FastifyRequest<{ Params: { id: string } }>): Promise<Comment> {
    const id = Number(request.params.id);
    const comment = Number.isSafeInteger(id) && id > 0 ? await getComment(database, id) : null;
    if (!comment) throw new HttpError(404, 'Comment not found', 'There is no such comment.');
    return comment;
  }

  const authorOnly = (request: FastifyRequest, comment: Comment) => {
    const member = requireMember(request);
    if (!mayEdit(member, comment)) throw new HttpError(403, 'Not your comment', 'Only its author can change a comment, and not once it is deleted or hidden.');
    return member;
  };

  app.get<{ Params: { id: string } }>('/comments/:id/edit', async (request, reply) => {
    const comment = await commentFor(request);
    authorOnly(request, comment);
    return page(request, reply, (s, csrf) => EditCommentPage({ site: s, csrf: csrf(), comment }));
  });

  app.post<{ Params: { id: string }; Body: CommentForm }>('/comments/:id/edit', { ...csrf, ...perMember(20) }, async (request, reply) => {
    const comment = await commentFor(request);
    authorOnly(request, comment);
    try {
      await editComment(database, comment, request.body.body ?? '', now());
    } catch (err) {
      if (!(err instanceof CommentError)) throw err;
      return page(request, reply, (s, csrf) => EditCommentPage({ site: s, csrf: csrf(), comment, body: request.body.body, error: err.message }), 400);
    }
    return reply.redirect(commentPath(comment), 303);
  });

  app.get<{ Params: { id: string } }>('/comments/:id/history', async (request, reply) => {
    const comment = await commentFor(request);
    if (!showsBody(request.member, comment)) throw new HttpError(404, 'Comment not found', 'This comment was removed.');
    const revisions = await revisionsOf(database, comment.id);
    return page(request, reply, (s) => HistoryPage({ site: s, comment, revisions }));
  });

  app.post<{ Params: { id: string } }>('/comments/:id/delete', csrf, async (request, reply) => {
    const comment = await commentFor(request);
    authorOnly(request, comment);
    await deleteComment(database, comment, now());
    return reply.redirect(`${paperPath(comment.arxivId)}#comments`, 303);
  });

  app.post<{ Params: { id: string }; Body: CommentForm }>('/comments/:id/report', { ...csrf, ...perMember(10) }, async (request, reply) => {
    const comment = await commentFor(request);
    const member = requireMember(request);
    const reason = request.body.reason as ReportReason;
    if (!REPORT_REASONS.includes(reason)) throw new HttpError(400, 'Choose a reason', `A report says why: ${REPORT_REASONS.join(', ')}.`);
    const filed = await reportComment(database, comment, member.id, reason, request.body.note ?? '', now()).catch(asHttp);
    const text = filed ? 'Thank you. Moderators will look at it.' : 'You had reported this comment already; moderators will look at it.';
    return page(request, reply, (s) => MessagePage({ site: s, title: 'Reported', path: `/comments/${comment.id}/report`, children: <p>{text} <a href={commentPath(comment)}>Back to the discussion</a></p> }));
  });

  const moderatorOnly = (request: FastifyRequest) => requireMember(request, 'moderator');
  const afterModeration = (request: FastifyRequest<{ Body: CommentForm }>, comment: Comment) => (request.body?.back ? safeNext(request.body.back) : commentPath(comment));

  app.post<{ Params: { id: string }; Body: CommentForm }>('/comments/:id/hide', csrf, async (request, reply) => {
    const comment = await commentFor(request);
    const moderator = moderatorOnly(request);
    const reason = request.body.reason as HideReason;
    if (!HIDE_REASONS.includes(reason)) throw new HttpError(400, 'Choose a reason', `Hiding says why: ${HIDE_REASONS.join(', ')}.`);
    await hideComment(database, comment, moderator.id, reason, now());
    return reply.redirect(afterModeration(request, comment), 303);
  });

  app.post<{ Params: { id: string }; Body: CommentForm }>('/comments/:id/unhide', csrf, async (request, reply) => {
    const comment = await commentFor(request);
    moderatorOnly(request);
    await unhideComment(database, comment, now());
    return reply.redirect(afterModeration(request, comment), 303);
  });

  app.post<{ Params: { id: string } }>('/comments/:id/dismiss', csrf, async (request, reply) => {
    const comment = await commentFor(request);
    const moderator = moderatorOnly(request);
    await dismissReports(database, comment.id, moderator.id, now());
    return reply.redirect('/moderation', 303);
  });

  app.get('/submit', async (request, reply) => {
    const member = requireMember(request);
    const left = await submissionsLeft(member);
    return page(request, reply, (s, csrf) => SubmitPage({ site: s, csrf: csrf(), rules: submissions.rules, left }));
  });

  app.post<{ Body: { paper?: string } }>('/submit', { ...csrf, ...perMember(10) }, async (request, reply) => {
    const member = requireMember(request);
    const input = (request.body.paper ?? '').slice(0, 300);
    try {
      const { arxivId } = await submitPaper(database, submissions.lookup, member, input, submissions.rules, now());
      return reply.redirect(paperPath(arxivId), 303);
    } catch (err) {
      if (!(err instanceof SubmissionError)) throw err;
      const left = await submissionsLeft(member);
      return page(request, reply, (s, csrf) => SubmitPage({ site: s, csrf: csrf(), rules: submissions.rules, left, value: input, error: err.message, see: err.see }), err.status);
    }
  });

  async function submissionsLeft(member: { name: string }) {
    return Math.max(0, submissions.rules.perDay - (await submissionsToday(database, member, dayIn(now(), submissions.rules.timeZone))));
  }

  app.get('/moderation', async (request, reply) => {
    moderatorOnly(request);
    const [queue, hidden] = await Promise.all([moderationQueue(database), recentlyHidden(database)]);
    return page(request, reply, (s, csrf) => ModerationPage({ site: s, csrf: csrf(), queue, hidden }));
  });
}
