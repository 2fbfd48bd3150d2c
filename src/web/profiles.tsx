// Profiles (/u/NAME), reading lists (/u/NAME/lists/SLUG and the forms that change them) and BibTeX
// for a list. Someone else's private list answers 404, as if it did not exist.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findMember } from '../accounts/members.ts';
import { bibtexFile } from '../community/bibtex.ts';
import {
  addToList, checkListFields, createList, deleteList, getList, ListError, listsOf, papersInList, removeFromList, submittedBy, updateList, upvotedBy,
  type ReadingList,
} from '../community/lists.ts';
import { upvotedAmong } from '../community/upvotes.ts';
import { extractArxivId } from '../arxiv/ids.ts';
import { getPaper, type Paper } from '../storage/papers.ts';
import type { WebContext } from './context.ts';
import { HttpError } from './errors.ts';
import { paperPath } from './pages/cards.tsx';
import { listPath, ProfilePage, ReadingListPage } from './pages/profile.tsx';
import { perMember, requireMember, sendPage } from './session.ts';

const SHOWN = 30;

type ListForm = { name?: string; description?: string; public?: string; paper?: string; list?: string };
type ListParams = { name: string; slug: string };

export function registerProfiles(app: FastifyInstance, { database, site, now }: WebContext) {
  const csrf = { preHandler: app.csrfProtection };
  const viewerVotes = (request: FastifyRequest, papers: Paper[]) =>
    request.member ? upvotedAmong(database, request.member.id, papers.map((p) => p.arxivId)) : Promise.resolve(undefined);

  async function profile(request: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply, error?: string) {
    const member = await findMember(database, { name: request.params.name });
    if (!member || !member.verified) throw new HttpError(404, 'No such member', `Nobody here is called ${request.params.name.slice(0, 40)}.`);
    const own = request.member?.id === member.id;
    const [lists, upvoted, submitted] = await Promise.all([listsOf(database, member.id, own), upvotedBy(database, member.id, SHOWN), submittedBy(database, member.name, SHOWN)]);
    const votes = await viewerVotes(request, [...upvoted, ...submitted]);
    return sendPage(site, request, reply, (s, csrf) => ProfilePage({ site: s, member, lists, upvoted, submitted, own, csrf: own ? csrf() : undefined, error, viewerVotes: votes }), error ? 400 : 200);
  }

  app.get<{ Params: { name: string } }>('/u/:name', async (request, reply) => profile(request, reply));

  /** The list in the URL if the viewer may see it (404 otherwise); `owner` also requires it to be theirs. */
  async function listFor(request: FastifyRequest<{ Params: ListParams }>, owner = false): Promise<ReadingList> {
    const list = await getList(database, request.params.name, request.params.slug);
    const mine = !!list && request.member?.id === list.memberId;
    if (!list || (!list.public && !mine)) throw new HttpError(404, 'No such list', 'There is no list at this address, or it is private.');
    if (owner && !mine) {
      requireMember(request);
      throw new HttpError(403, 'Not your list', 'Only its owner can change a list.');
    }
    return list;
  }

  async function paperFrom(value: string | undefined): Promise<Paper> {
    const parsed = extractArxivId(value ?? '');
    const paper = parsed && (await getPaper(database, parsed.id));
    if (!paper) throw new HttpError(404, 'Paper not found', 'That paper is not here.');
    return paper;
  }

  app.get<{ Params: ListParams }>('/u/:name/lists/:slug', async (request, reply) => {
    const list = await listFor(request);
    const papers = await papersInList(database, list.id);
    const votes = await viewerVotes(request, papers);
    if (!list.public) reply.header('cache-control', 'private, no-cache');
    return sendPage(site, request, reply, (s, csrf) => ReadingListPage({ site: s, list, papers, own: request.member?.id === list.memberId, csrf: request.member?.id === list.memberId ? csrf() : undefined, viewerVotes: votes }));
  });

  app.get<{ Params: ListParams }>('/u/:name/lists/:slug/bibtex', async (request, reply) => {
    const list = await listFor(request);
    const papers = await papersInList(database, list.id);
    return reply
      .type('application/x-bibtex; charset=utf-8')
      .header('content-disposition', `attachment; filename="${list.slug}.bib"`)
      .header('cache-control', list.public ? 'public, max-age=60' : 'private, no-cache')
      .send(bibtexFile([...papers].reverse())); // in the order they were added
  });

  app.post<{ Body: ListForm }>('/lists', { ...csrf, ...perMember(30) }, async (request, reply) => {
    const member = requireMember(request);
    const fields = checkListFields(request.body);
    const fail = (message: string) => profile(Object.assign(request, { params: { name: member.name } }), reply, message);
    if (typeof fields === 'string') return fail(fields);
    try {
      const { slug } = await createList(database, member.id, fields, now());
      return reply.redirect(listPath({ owner: member.name, slug }), 303);
    } catch (err) {
      if (err instanceof ListError) return fail(err.message);
      throw err;
    }
  });

  // From a paper's page: into one of the member's lists, or a new one named on the spot.
  app.post<{ Body: ListForm }>('/lists/save', { ...csrf, ...perMember(60) }, async (request, reply) => {
    const member = requireMember(request);
    const paper = await paperFrom(request.body.paper);
    const lists = await listsOf(database, member.id, true);
    let list = lists.find((l) => String(l.id) === request.body.list);
    try {
      if (!list) {
        if (request.body.list !== 'new') throw new HttpError(404, 'No such list', 'That list is not yours or no longer exists.');
        const fields = checkListFields({ name: request.body.name || 'Reading list' });
        if (typeof fields === 'string') throw new HttpError(400, 'Cannot make that list', fields);
        const made = await createList(database, member.id, fields, now());
        list = (await getList(database, member.name, made.slug))!;
      }
      await addToList(database, list, paper.id, now());
    } catch (err) {
      if (err instanceof ListError) throw new HttpError(400, 'Cannot save it there', err.message);
      throw err;
    }
    return reply.redirect(paperPath(paper.arxivId), 303);
  });

  app.post<{ Params: ListParams; Body: ListForm }>('/u/:name/lists/:slug/edit', csrf, async (request, reply) => {
    const list = await listFor(request, true);
    const fields = checkListFields(request.body);
    if (typeof fields === 'string') {
      const papers = await papersInList(database, list.id);
      return sendPage(site, request, reply, (s, csrf) => ReadingListPage({ site: s, list, papers, own: true, csrf: csrf(), error: fields }), 400);
    }
    await updateList(database, list.id, fields, now());
    return reply.redirect(listPath(list), 303);
  });

  app.post<{ Params: ListParams }>('/u/:name/lists/:slug/delete', csrf, async (request, reply) => {
    const list = await listFor(request, true);
    await deleteList(database, list.id);
    return reply.redirect(`/u/${list.owner}`, 303);
  });

  app.post<{ Params: ListParams; Body: ListForm }>('/u/:name/lists/:slug/remove', csrf, async (request, reply) => {
    const list = await listFor(request, true);
    const paper = await paperFrom(request.body.paper);
    await removeFromList(database, list, paper.id, now());
    return reply.redirect(listPath(list), 303);
  });
}
