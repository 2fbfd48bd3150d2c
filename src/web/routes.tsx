// The HTML pages: day, week and month lists, and a paper's own page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { extractArxivId } from '../arxiv/ids.ts';
import { getPaper, lastChange, latestDay, listPapers, neighbourDays, type Paper } from '../storage/papers.ts';
import { upvotedAmong } from '../community/upvotes.ts';
import { listsHolding, listsOf } from '../community/lists.ts';
import { bibtexEntry, citationKey } from '../community/bibtex.ts';
import { commentsOn } from '../community/comments.ts';
import { notModified } from './caching.ts';
import { matcher, searchReason } from '../search/highlight.ts';
import { arxivIdIn } from '../search/query.ts';
import { search, type SearchParams } from '../search/service.ts';
import { similarPapers } from '../search/similar.ts';
import { authorPapers } from '../search/authors.ts';
import { authorPath } from './pages/cards.tsx';
import { currentTrending } from '../ranking/trending.ts';
import type { WebContext } from './context.ts';
import { siteFor } from './session.ts';
import { HttpError } from './errors.ts';
import { formatDay, formatMonth, formatShortDay, formatWeek } from './pages/format.ts';
import { renderPage, type Site } from './pages/layout.tsx';
import { ListPage, type NavLink } from './pages/list.tsx';
import { AboutPage } from './pages/about.tsx';
import { PaperPage } from './pages/paper.tsx';
import { SearchPage } from './pages/search.tsx';
import { SimilarList, SimilarPage } from './pages/similar.tsx';
import { thumbnailSvg } from './pages/thumbnail.ts';
import { PERIOD_FORMATS, parsePeriod, periodOf, periodPath, type Period, type PeriodKind } from './periods.ts';

const PAGE_SIZE = 30;
const SIMILAR = 10;
const VIEWS = ['similar', 'thumbnail.svg', 'bibtex'] as const;
const MAX_PAGE = 1_000;

export function registerPages(app: FastifyInstance, { database, embedding, site, searchBudget, now }: WebContext) {
  /** The papers among these the signed-in viewer has upvoted (none for a stranger). */
  const upvotedBy = async (request: FastifyRequest, papers: Paper[]) =>
    request.member ? upvotedAmong(database, request.member.id, papers.map((p) => p.arxivId)) : undefined;
  /** The member's lists, and which of them hold the paper (for "Save to list"). */
  const savedIn = async (memberId: number, paperId: number) => {
    const [all, holding] = await Promise.all([listsOf(database, memberId, true), listsHolding(database, memberId, paperId)]);
    return { all, holding };
  };
  const html = (reply: FastifyReply, body: unknown, page = true) =>
    reply.type('text/html; charset=utf-8').send(page ? renderPage(body) : String(body));

  app.get<{ Querystring: { page?: string } }>('/', async (request, reply) => {
    const day = await latestDay(database);
    if (!day) return html(reply, emptySite(siteFor(site, request, reply)));
    return listPage(request, reply, periodOf('date', day), '/');
  });

  app.get('/papers', async (_request, reply) => reply.redirect('/'));

  app.get('/about', async (request, reply) => html(reply, AboutPage({ site: siteFor(site, request, reply) })));

  app.get<{ Querystring: { page?: string } }>('/papers/trending', async (request, reply) => {
    const page = pageNumber(request.query.page);
    const ranked = await currentTrending(database, now());
    const shown = ranked.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((t) => t.paper);
    return html(
      reply,
      ListPage({
        site: siteFor(site, request, reply),
        upvoted: await upvotedBy(request, shown),
        path: '/papers/trending',
        title: 'Trending papers',
        heading: 'Trending',
        description: 'The research papers rising fastest now: upvotes weighed against time on the list.',
        papers: shown,
        total: ranked.length,
        page,
        pageSize: PAGE_SIZE,
        previous: null,
        next: null,
        related: [],
        ranking: (
          <>
            Rising now: upvotes weighed against time on the list (<a href="/about#trending">how</a>)
          </>
        ),
      }),
    );
  });

  // An author's papers, newest first: every author name on a card links here.
  app.get<{ Params: { name: string }; Querystring: { page?: string } }>('/authors/:name', async (request, reply) => {
    const name = request.params.name.trim();
    if (!name || name.length > 200) throw new HttpError(400, 'Not an author name', 'An author name has 1 to 200 characters.');
    const page = pageNumber(request.query.page);
    const { papers, total } = await authorPapers(database, name, page * PAGE_SIZE);
    const shown = papers.slice((page - 1) * PAGE_SIZE);
    const path = authorPath(name);
    return html(
      reply,
      ListPage({
        site: siteFor(site, request, reply),
        upvoted: await upvotedBy(request, shown),
        path,
        title: name,
        heading: name,
        description: `Research papers by ${name} on ${site.name}, newest first.`,
        papers: shown,
        total,
        page,
        pageSize: PAGE_SIZE,
        previous: null,
        next: null,
        related: [],
        emptyMessage: `No papers by ${name} here.`,
        ranking: `${total.toLocaleString('en-US')} ${total === 1 ? 'paper' : 'papers'} by this author, newest first`,
      }),
    );
  });

  app.get<{ Querystring: SearchParams & { page?: string } }>('/search', async (request, reply) => {
    const q = request.query;
    const form = { q: q.q ?? '', from: q.from ?? '', to: q.to ?? '', category: q.category ?? '', author: q.author ?? '', mode: q.mode ?? '' };
    const empty = { site: siteFor(site, request, reply), form, hits: [], total: 0, capped: false, page: 1, pageSize: PAGE_SIZE, reasons: [] };
    if (!form.q.trim()) return html(reply, SearchPage(empty));
    const id = arxivIdIn(form.q);
    if (id) return reply.redirect(`/papers/${id}`);
    const page = pageNumber(q.page);
    await searchBudget(request);
    try {
      const result = await search(database, embedding, q, PAGE_SIZE, (page - 1) * PAGE_SIZE);
      const highlight = matcher(result.words);
      const reasons = result.hits.map((h) => searchReason(h, result.words));
      const upvoted = await upvotedBy(request, result.hits.map((h) => h.paper));
      return html(reply, SearchPage({ ...empty, upvoted, hits: result.hits, total: result.total, capped: result.capped, page, highlight, reasons }));
    } catch (err) {
      // A query we cannot run is the reader's to fix: show the form again with the reason.
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      reply.code(400);
      return html(reply, SearchPage({ ...empty, message: err.message }));
    }
  });

  for (const kind of ['date', 'week', 'month'] as const) {
    // Without a value: the period holding the latest list.
    app.get(`/papers/${kind}`, async (_request, reply) => {
      const day = await latestDay(database);
      return reply.redirect(day ? periodPath(periodOf(kind, day)) : '/');
    });
    app.get<{ Params: { value: string }; Querystring: { page?: string } }>(`/papers/${kind}/:value`, async (request, reply) => {
      const period = parsePeriod(kind, request.params.value);
      if (!period) throw new HttpError(400, `Not a valid ${kind}`, `“${request.params.value}” is not ${PERIOD_FORMATS[kind]}.`);
      return listPage(request, reply, period, periodPath(period));
    });
  }

  // /papers/<id>, and the views of a paper: /papers/<id>/similar, /papers/<id>/thumbnail.svg, /papers/<id>/bibtex.
  // Old-style ids have a slash of their own (hep-th/9901001), so views are told apart by name.
  app.get<{ Params: { '*': string } }>('/papers/*', async (request, reply) => {
    const rest = request.params['*'];
    const view = VIEWS.find((v) => rest.endsWith(`/${v}`));
    const idText = view ? rest.slice(0, -view.length - 1) : rest;
    const parsed = extractArxivId(idText);
    if (!parsed) throw new HttpError(400, 'Not an arXiv identifier', `“${idText.slice(0, 100)}” is not an arXiv identifier such as 2301.00001 or hep-th/9901001.`);
    // One URL per paper: versions and pasted arXiv URLs land on the plain id.
    if (idText !== parsed.id) return reply.redirect(`/papers/${parsed.id}${view ? `/${view}` : ''}`, 301);
    const paper = await getPaper(database, parsed.id);
    if (!paper) throw new HttpError(404, 'Paper not found', `There is no paper arXiv:${parsed.id} here yet.`);
    if (view === 'similar') {
      await searchBudget(request);
      // The ranking depends on the whole library, not just this paper: no Last-Modified from it.
      const hits = await similarPapers(database, embedding, paper, SIMILAR);
      const fragment = request.headers['hx-request'] === 'true';
      reply.header('vary', 'HX-Request');
      return html(reply, fragment ? SimilarList({ hits }) : SimilarPage({ site: siteFor(site, request, reply), paper, hits }), !fragment);
    }
    if (view === 'bibtex') {
      if (notModified(request, reply, paper.updatedAt)) return reply.code(304).send();
      return reply.type('application/x-bibtex; charset=utf-8').header('content-disposition', `inline; filename="${citationKey(paper)}.bib"`).send(bibtexEntry(paper));
    }
    if (view === 'thumbnail.svg') {
      if (notModified(request, reply, paper.updatedAt)) return reply.code(304).send();
      return reply.type('image/svg+xml').send(thumbnailSvg(paper, site.name));
    }
    // The page shows today's trending rank, which moves with the clock as well as with the data:
    // its ETag (a hash of the page) is what tells a client its copy is still current.
    const [trending, votes, threads, lists] = await Promise.all([
      currentTrending(database, now()),
      upvotedBy(request, [paper]),
      commentsOn(database, paper.arxivId),
      request.member ? savedIn(request.member.id, paper.id) : undefined,
    ]);
    const trendingRank = trending.find((t) => t.paper.arxivId === paper.arxivId)?.rank ?? null;
    const upvoted = votes?.has(paper.arxivId) ?? false;
    return html(reply, PaperPage({ site: siteFor(site, request, reply), paper, trendingRank, upvoted, threads, lists }));
  });

  async function listPage(request: FastifyRequest<{ Querystring: { page?: string } }>, reply: FastifyReply, period: Period, path: string) {
    const page = pageNumber(request.query.page);
    if (notModified(request, reply, await lastChange(database))) return reply.code(304).send();
    const { papers, total } = await listPapers(database, {
      from: period.from,
      to: period.to,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const { previous, next } = await neighbourDays(database, period.from, period.to);
    const link = (day: string | null): NavLink | null => {
      if (!day) return null;
      const p = periodOf(period.kind, day);
      return { href: periodPath(p), label: label(p, true) };
    };
    const related: NavLink[] =
      period.kind === 'date'
        ? (['week', 'month'] as const).map((k) => ({ href: periodPath(periodOf(k, period.from)), label: `This ${k}` }))
        : [];
    const heading = label(period, false);
    return html(reply, ListPage({
      site: siteFor(site, request, reply),
      upvoted: await upvotedBy(request, papers),
      path,
      title: `Daily Papers · ${heading}`,
      heading,
      description: `The ${total} research papers on the ${kindNoun[period.kind]} list for ${heading}, ranked by the community's upvotes.`,
      papers,
      total,
      page,
      pageSize: PAGE_SIZE,
      previous: link(previous),
      next: link(next),
      related,
    }));
  }
}

const kindNoun: Record<PeriodKind, string> = { date: 'daily', week: 'weekly', month: 'monthly' };

function label(period: Pick<Period, 'kind' | 'value'>, short: boolean): string {
  if (period.kind === 'date') return short ? formatShortDay(period.value) : formatDay(period.value);
  return period.kind === 'week' ? formatWeek(period.value) : formatMonth(period.value);
}

function pageNumber(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new HttpError(400, 'Not a valid page', `The page number must be a whole number from 1 to ${MAX_PAGE}.`);
  }
  return n;
}

function emptySite(site: Site) {
  return ListPage({
    site,
    path: '/',
    title: site.name,
    heading: 'No papers yet',
    description: 'This instance has no papers yet.',
    papers: [],
    total: 0,
    page: 1,
    pageSize: PAGE_SIZE,
    previous: null,
    next: null,
    related: [],
    emptyMessage: 'Import papers with `paperboy import <file>`, or start with `npm start` to load the demo papers.',
  });
}
