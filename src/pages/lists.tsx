// The lists of papers: the front page (the latest day), each day, week and month, trending, and an
// author's papers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { notModified } from '../http/caching.ts';
import { authorName, categoryFilter, listChoice, listQuery, pageInRange, pageNumber } from '../http/params.ts';
import { authorPath, periodPath } from '../http/paths.ts';
import type { Handler } from '../http/route.ts';
import { inAnyCategory } from '../arxiv/ids.ts';
import { PERIOD_FORMATS, parsePeriod, periodOf, type Period, type PeriodKind } from '../papers/periods.ts';
import { forYou } from '../ranking/for-you.ts';
import { currentTrending } from '../ranking/trending.ts';
import { authorPapers } from '../search/authors.ts';
import { shownList } from '../papers/picks.ts';
import { lastChange, latestDay, neighbourDays } from '../storage/papers.ts';
import { formatDay, formatMonth, formatShortDay, formatWeek } from '../util/format.ts';
import { sendPage } from './respond.tsx';
import { viewerUpvotes } from './viewer.ts';
import { ListPage, type NavLink, type PersonalList } from './views/list.tsx';

const PAGE_SIZE = 30;
type Paged = { Querystring: { page?: string; category?: string | string[]; list?: string } };

export const home: Handler<Paged> = async (ctx, request, reply) => {
  const day = await latestDay(ctx.database);
  if (!day) return sendPage(ctx, request, reply, (site) => ListPage({ ...emptyList, site, title: site.name }));
  return periodList(ctx, request, reply, periodOf('date', day), '/');
};

export const papersIndex: Handler = async (_ctx, _request, reply) => reply.redirect('/');

/** `/papers/date` and the like, without a value: the period holding the latest list. */
export const latestPeriod =
  (kind: PeriodKind): Handler =>
  async (ctx, _request, reply) => {
    const day = await latestDay(ctx.database);
    return reply.redirect(day ? periodPath(periodOf(kind, day)) : '/');
  };

export const periodPage =
  (kind: PeriodKind): Handler<Paged & { Params: { value: string } }> =>
  async (ctx, request, reply) => {
    const period = parsePeriod(kind, request.params.value);
    if (!period) throw new HttpError(400, `Not a valid ${kind}`, `“${request.params.value}” is not ${PERIOD_FORMATS[kind]}.`);
    return periodList(ctx, request, reply, period, periodPath(period));
  };

export const trendingPage: Handler<Paged> = async (ctx, request, reply) => {
  const page = pageNumber(request.query.page);
  const categories = shownCategories(request);
  const ranked = (await currentTrending(ctx.database, ctx.now())).filter((t) => inAnyCategory(t.paper.categories, categories));
  pageInRange(page, ranked.length, PAGE_SIZE);
  const shown = ranked.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((t) => t.paper);
  const upvoted = await viewerUpvotes(ctx, request, shown);
  return sendPage(ctx, request, reply, (site) =>
    ListPage({
      ...unpaged,
      site,
      upvoted,
      path: '/papers/trending',
      title: 'Trending papers',
      heading: 'Trending',
      description: 'The research papers rising fastest now: upvotes weighed against time on the list.',
      papers: shown,
      total: ranked.length,
      page,
      categories,
      ranking: (
        <>
          Rising now: upvotes weighed against time on the list (<a href="/about#trending">how</a>)
        </>
      ),
    }),
  );
};

/** An author's papers, newest first: every author name on a card links here. */
export const authorPage: Handler<Paged & { Params: { name: string } }> = async (ctx, request, reply) => {
  const name = authorName(request.params.name);
  const page = pageNumber(request.query.page);
  const { papers, total } = await authorPapers(ctx.database, name, page * PAGE_SIZE);
  pageInRange(page, total, PAGE_SIZE);
  const shown = papers.slice((page - 1) * PAGE_SIZE);
  const upvoted = await viewerUpvotes(ctx, request, shown);
  return sendPage(ctx, request, reply, (site) =>
    ListPage({
      ...unpaged,
      site,
      upvoted,
      path: authorPath(name),
      title: name,
      heading: name,
      description: `Research papers by ${name} on ${site.name}, newest first.`,
      papers: shown,
      total,
      page,
      emptyMessage: `No papers by ${name} here.`,
      ranking: `${total.toLocaleString('en-US')} ${total === 1 ? 'paper' : 'papers'} by this author, newest first`,
    }),
  );
};

async function periodList(ctx: AppContext, request: FastifyRequest<Paged>, reply: FastifyReply, period: Period, path: string) {
  const page = pageNumber(request.query.page);
  const categories = shownCategories(request);
  const asked = listChoice(request.query.list);
  const personal = asked === 'for-you' && period.kind !== 'month';
  // A member's own ranking changes with what they like, which no list's change time follows.
  if (!personal && notModified(request, reply, await lastChange(ctx.database))) return reply.code(304).send();
  const range = { from: period.from, to: period.to, categories, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const { papers, total, counts, showing } = await shownList(ctx.database, range, asked === 'all' ? 'all' : 'picks');
  const mine = personal ? await personalList(ctx, request, range) : null;
  pageInRange(page, mine?.list?.total ?? total, PAGE_SIZE);
  const { previous, next } = await neighbourDays(ctx.database, period.from, period.to);
  // The neighbouring lists keep the filter, and the tab shown.
  const filter = listQuery({ categories, list: asked });
  const link = (day: string | null): NavLink | null => {
    if (!day) return null;
    const p = periodOf(period.kind, day);
    return { href: periodPath(p) + filter, label: label(p, true) };
  };
  const related: NavLink[] =
    period.kind === 'date'
      ? (['week', 'month'] as const).map((k) => ({ href: periodPath(periodOf(k, period.from)) + filter, label: `This ${k}` }))
      : [];
  const heading = label(period, false);
  const shown = mine?.list?.papers ?? papers;
  const upvoted = await viewerUpvotes(ctx, request, shown);
  return sendPage(ctx, request, reply, (site) =>
    ListPage({
      site,
      upvoted,
      path,
      title: `Daily Papers · ${heading}`,
      heading,
      description: `The ${counts.all} research papers on the ${kindNoun[period.kind]} list for ${heading}, ranked by the community's upvotes.`,
      papers: shown,
      total: mine?.list?.total ?? total,
      page,
      pageSize: PAGE_SIZE,
      categories,
      picks: { counts, showing: mine ? 'for-you' : showing, asked, forYou: period.kind !== 'month' },
      forYou: mine ?? undefined,
      previous: link(previous),
      next: link(next),
      related,
    }),
  );
}

/** The For you tab: the member's ranking of the list, or, before there is one, why not. */
async function personalList(ctx: AppContext, request: FastifyRequest, range: Parameters<typeof forYou>[3]): Promise<PersonalList> {
  const member = request.member;
  if (!member) return { list: null, signedIn: false };
  return { list: await forYou(ctx.database, ctx.embedding, member, range, ctx.now()), signedIn: true };
}

/** The categories asked for; without `?category=`, a signed-in member's own (settings), else every one. */
function shownCategories(request: FastifyRequest<Paged>): string[] {
  if (request.query.category === undefined) return request.member?.categories ?? [];
  return categoryFilter(request.query.category);
}

/** What a list without neighbours (trending, an author) sets the same way. */
const unpaged = { pageSize: PAGE_SIZE, previous: null, next: null, related: [] };

const emptyList = {
  ...unpaged,
  path: '/',
  heading: 'No papers yet',
  description: 'This instance has no papers yet.',
  papers: [],
  total: 0,
  page: 1,
  emptyMessage: (
    <>
      Import papers with <code>paperboy import FILE</code>, or start with <code>npm start</code> to load the demo papers.
    </>
  ),
};

const kindNoun: Record<PeriodKind, string> = { date: 'daily', week: 'weekly', month: 'monthly' };

function label(period: Pick<Period, 'kind' | 'value'>, short: boolean): string {
  if (period.kind === 'date') return short ? formatShortDay(period.value) : formatDay(period.value);
  return period.kind === 'week' ? formatWeek(period.value) : formatMonth(period.value);
}
