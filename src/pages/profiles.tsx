// Profiles (/u/NAME), reading lists (/u/NAME/lists/SLUG and the forms that change them) and BibTeX
// for a list. Someone else's private list answers 404, as if it did not exist.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findMember } from '../accounts/members.ts';
import { extractArxivId } from '../arxiv/ids.ts';
import { bibtexFile } from '../community/bibtex.ts';
import {
  addToList,
  checkListFields,
  createList,
  deleteList,
  getList,
  ListError,
  listsOf,
  papersInList,
  removeFromList,
  submittedBy,
  updateList,
  upvotedBy,
  type ReadingList,
} from '../community/lists.ts';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { listPath, paperPath } from '../http/paths.ts';
import type { Handler } from '../http/route.ts';
import { requireMember } from '../http/session.ts';
import type { Paper } from '../model/paper.ts';
import { getPaper } from '../storage/papers.ts';
import { forgetTaste } from '../ranking/for-you.ts';
import { sendPage } from './respond.tsx';
import { viewerUpvotes } from './viewer.ts';
import { ProfilePage, ReadingListPage } from './views/profile.tsx';

const SHOWN = 30;

type ListForm = { name?: string; description?: string; public?: string; paper?: string; list?: string };
type ListParams = { Params: { name: string; slug: string } };

export const profilePage: Handler<{ Params: { name: string } }> = async (ctx, request, reply) =>
  profile(ctx, request, reply, request.params.name);

async function profile(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, name: string, error?: string) {
  const member = await findMember(ctx.database, { name });
  if (!member || !member.verified) throw new HttpError(404, 'No such member', `Nobody here is called ${name.slice(0, 40)}.`);
  const own = request.member?.id === member.id;
  const [lists, upvoted, submitted] = await Promise.all([
    listsOf(ctx.database, member.id, own),
    upvotedBy(ctx.database, member.id, SHOWN),
    submittedBy(ctx.database, member.name, SHOWN),
  ]);
  const viewerVotes = await viewerUpvotes(ctx, request, [...upvoted, ...submitted]);
  const page = { member, lists, upvoted, submitted, own, error, viewerVotes };
  return sendPage(ctx, request, reply, (site, csrf) => ProfilePage({ ...page, site, csrf: own ? csrf() : undefined }), error ? 400 : 200);
}

/** The list in the URL if the viewer may see it (404 otherwise); `owner` also requires it to be theirs. */
async function listFor(ctx: AppContext, request: FastifyRequest<ListParams>, owner = false): Promise<ReadingList> {
  const list = await getList(ctx.database, request.params.name, request.params.slug);
  const mine = !!list && request.member?.id === list.memberId;
  if (!list || (!list.public && !mine)) throw new HttpError(404, 'No such list', 'There is no list at this address, or it is private.');
  if (owner && !mine) {
    requireMember(request);
    throw new HttpError(403, 'Not your list', 'Only its owner can change a list.');
  }
  return list;
}

async function paperFrom(ctx: AppContext, value: string | undefined): Promise<Paper> {
  const parsed = extractArxivId(value ?? '');
  const paper = parsed && (await getPaper(ctx.database, parsed.id));
  if (!paper) throw new HttpError(404, 'Paper not found', 'That paper is not here.');
  return paper;
}

export const listPage: Handler<ListParams> = async (ctx, request, reply) => {
  const list = await listFor(ctx, request);
  const papers = await papersInList(ctx.database, list.id);
  const viewerVotes = await viewerUpvotes(ctx, request, papers);
  const own = request.member?.id === list.memberId;
  if (!list.public) reply.header('cache-control', 'private, no-cache');
  return sendPage(ctx, request, reply, (site, csrf) =>
    ReadingListPage({ site, list, papers, own, csrf: own ? csrf() : undefined, viewerVotes }),
  );
};

export const listBibtex: Handler<ListParams> = async (ctx, request, reply) => {
  const list = await listFor(ctx, request);
  const papers = await papersInList(ctx.database, list.id);
  return reply
    .type('application/x-bibtex; charset=utf-8')
    .header('content-disposition', `attachment; filename="${list.slug}.bib"`)
    .header('cache-control', list.public ? 'public, max-age=60' : 'private, no-cache')
    .send(bibtexFile([...papers].reverse())); // in the order they were added
};

export const createListFromProfile: Handler<{ Body: ListForm }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  const fields = checkListFields(request.body);
  if (typeof fields === 'string') return profile(ctx, request, reply, member.name, fields);
  try {
    const { slug } = await createList(ctx.database, member.id, fields, ctx.now());
    return reply.redirect(listPath({ owner: member.name, slug }), 303);
  } catch (err) {
    if (err instanceof ListError) return profile(ctx, request, reply, member.name, err.message);
    throw err;
  }
};

/** From a paper's page: into one of the member's lists, or a new one named on the spot. */
export const saveToList: Handler<{ Body: ListForm }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  const paper = await paperFrom(ctx, request.body.paper);
  const lists = await listsOf(ctx.database, member.id, true);
  try {
    const list = lists.find((l) => String(l.id) === request.body.list) ?? (await newListFor(ctx, member, request.body));
    await addToList(ctx.database, list, paper.id, ctx.now());
    await forgetTaste(ctx.database, member.id);
  } catch (err) {
    if (err instanceof ListError) throw new HttpError(400, 'Cannot save it there', err.message);
    throw err;
  }
  return reply.redirect(paperPath(paper.arxivId), 303);
};

async function newListFor(ctx: AppContext, member: { id: number; name: string }, form: ListForm): Promise<ReadingList> {
  if (form.list !== 'new') throw new HttpError(404, 'No such list', 'That list is not yours or no longer exists.');
  const fields = checkListFields({ name: form.name || 'Reading list' });
  if (typeof fields === 'string') throw new HttpError(400, 'Cannot make that list', fields);
  const made = await createList(ctx.database, member.id, fields, ctx.now());
  return (await getList(ctx.database, member.name, made.slug))!;
}

export const editList: Handler<ListParams & { Body: ListForm }> = async (ctx, request, reply) => {
  const list = await listFor(ctx, request, true);
  const fields = checkListFields(request.body);
  if (typeof fields === 'string') {
    const papers = await papersInList(ctx.database, list.id);
    return sendPage(
      ctx,
      request,
      reply,
      (site, csrf) => ReadingListPage({ site, list, papers, own: true, csrf: csrf(), error: fields }),
      400,
    );
  }
  await updateList(ctx.database, list.id, fields, ctx.now());
  return reply.redirect(listPath(list), 303);
};

export const removeList: Handler<ListParams> = async (ctx, request, reply) => {
  const list = await listFor(ctx, request, true);
  await deleteList(ctx.database, list.id);
  await forgetTaste(ctx.database, list.memberId);
  return reply.redirect(`/u/${list.owner}`, 303);
};

export const removeFromListPage: Handler<ListParams & { Body: ListForm }> = async (ctx, request, reply) => {
  const list = await listFor(ctx, request, true);
  const paper = await paperFrom(ctx, request.body.paper);
  await removeFromList(ctx.database, list, paper.id, ctx.now());
  await forgetTaste(ctx.database, list.memberId);
  return reply.redirect(listPath(list), 303);
};
