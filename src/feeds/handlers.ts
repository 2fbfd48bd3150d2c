// Feeds for feed readers: the rolling daily feed, every day, week and month, any search, every
// author and every public reading list, each as RSS 2.0 (…/rss) and Atom 1.0 (…/atom). Pages link to
// theirs for autodiscovery.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getList, papersInList } from '../community/lists.ts';
import { notModified } from '../http/caching.ts';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { authorName, categoryFilter } from '../http/params.ts';
import { authorPath, listPath, periodPath } from '../http/paths.ts';
import type { Handler } from '../http/route.ts';
import type { Paper } from '../model/paper.ts';
import { inAnyCategory } from '../arxiv/ids.ts';
import { PERIOD_FORMATS, parsePeriod, type PeriodKind } from '../papers/periods.ts';
import { currentTrending } from '../ranking/trending.ts';
import { authorPapers } from '../search/authors.ts';
import { search, type SearchParams } from '../search/service.ts';
import { lastChange, listPapers, recentDays } from '../storage/papers.ts';
import { feedType, renderFeed, type FeedFormat } from './feed.ts';

const ROLLING_DAYS = 5;
const PER_DAY = 30;
const PER_PERIOD = 100;
const PER_SEARCH = 50;
const FORMATS: FeedFormat[] = ['rss', 'atom'];

interface FeedSpec {
  path: string; // the page the feed is of
  title: string;
  description: string;
  papers: () => Promise<Paper[]>;
  /** A trending feed changes with the clock, not only with the data: it relies on its ETag alone. */
  timeDependent?: boolean;
  changedAt?: () => Promise<string | null>;
}

async function send(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, format: FeedFormat, spec: FeedSpec) {
  const changedAt = spec.changedAt ?? (() => lastChange(ctx.database));
  if (!spec.timeDependent && notModified(request, reply, await changedAt())) return reply.code(304).send();
  const { publicUrl } = ctx.site;
  const feed = {
    title: spec.title,
    description: spec.description,
    pageUrl: publicUrl + spec.path,
    selfUrl: publicUrl + request.url,
    papers: await spec.papers(),
    publicUrl,
  };
  return reply.type(feedType(format)).header('cache-control', 'public, max-age=600').send(renderFeed(feed, format));
}

/** A list's feed takes the list's `?category=` filter. */
type Filtered = { Querystring: { category?: string | string[] } };
const inTitle = (categories: string[]) => (categories.length ? ` in ${categories.join(', ')}` : '');

/** `/rss`, `/atom`: the most upvoted papers of the last few daily lists. */
export const rollingFeed =
  (format: FeedFormat): Handler<Filtered> =>
  async (ctx, request, reply) => {
    const categories = categoryFilter(request.query.category);
    return send(ctx, request, reply, format, {
      path: '/',
      title: `${ctx.site.name}: daily papers${inTitle(categories)}`,
      description: `The most upvoted new papers of the last ${ROLLING_DAYS} daily lists.`,
      papers: async () => {
        const papers: Paper[] = [];
        for (const day of await recentDays(ctx.database, ROLLING_DAYS)) {
          papers.push(...(await listPapers(ctx.database, { from: day, to: day, categories, limit: PER_DAY, offset: 0 })).papers);
        }
        return papers;
      },
    });
  };

export const trendingFeed =
  (format: FeedFormat): Handler<Filtered> =>
  async (ctx, request, reply) => {
    const categories = categoryFilter(request.query.category);
    return send(ctx, request, reply, format, {
      path: '/papers/trending',
      title: `${ctx.site.name}: trending papers${inTitle(categories)}`,
      description: 'The research papers rising fastest now.',
      papers: async () =>
        (await currentTrending(ctx.database, ctx.now()))
          .filter((t) => inAnyCategory(t.paper.categories, categories))
          .slice(0, PER_DAY)
          .map((t) => t.paper),
      timeDependent: true,
    });
  };

export const periodFeed =
  (kind: PeriodKind, format: FeedFormat): Handler<Filtered & { Params: { value: string } }> =>
  async (ctx, request, reply) => {
    const period = parsePeriod(kind, request.params.value);
    if (!period) throw new HttpError(400, `Not a valid ${kind}`, `“${request.params.value}” is not ${PERIOD_FORMATS[kind]}.`);
    const categories = categoryFilter(request.query.category);
    return send(ctx, request, reply, format, {
      path: periodPath(period),
      title: `${ctx.site.name}: ${period.value}${inTitle(categories)}`,
      description: `The most upvoted papers listed in ${period.value}.`,
      papers: async () =>
        (await listPapers(ctx.database, { from: period.from, to: period.to, categories, limit: PER_PERIOD, offset: 0 })).papers,
    });
  };

export const authorFeed =
  (format: FeedFormat): Handler<{ Params: { name: string } }> =>
  async (ctx, request, reply) => {
    const name = authorName(request.params.name);
    return send(ctx, request, reply, format, {
      path: authorPath(name),
      title: `${ctx.site.name}: ${name}`,
      description: `New papers by ${name}.`,
      papers: async () => (await authorPapers(ctx.database, name, PER_PERIOD)).papers,
    });
  };

/** A public reading list: what its owner adds, newest first. Private lists have no feed. */
export const readingListFeed =
  (format: FeedFormat): Handler<{ Params: { name: string; slug: string } }> =>
  async (ctx, request, reply) => {
    const list = await getList(ctx.database, request.params.name, request.params.slug);
    if (!list?.public) throw new HttpError(404, 'No such list', 'There is no public list at this address.');
    return send(ctx, request, reply, format, {
      path: listPath(list),
      title: `${list.name} · ${list.owner}`,
      description: list.description || `A reading list by ${list.owner} on ${ctx.site.name}.`,
      papers: () => papersInList(ctx.database, list.id, PER_PERIOD),
      // Either the list or one of its papers may have changed.
      changedAt: async () => [list.updatedAt, (await lastChange(ctx.database)) ?? ''].sort().at(-1)!,
    });
  };

export const searchFeed: Handler<{ Querystring: SearchParams & { format?: string } }> = async (ctx, request, reply) => {
  const format = (request.query.format ?? 'rss') as FeedFormat;
  if (!FORMATS.includes(format)) throw new HttpError(400, 'Not a feed format', 'format must be rss or atom.', 'format');
  await ctx.searchBudget(request);
  const q = request.query.q ?? '';
  return send(ctx, request, reply, format, {
    path: `/search?${new URLSearchParams({ q })}`,
    title: `${ctx.site.name}: search “${q}”`,
    description: `Papers matching “${q}”, best matches first.`,
    papers: async () => (await search(ctx.database, ctx.embedding, request.query, PER_SEARCH, 0)).hits.map((h) => h.paper),
  });
};
