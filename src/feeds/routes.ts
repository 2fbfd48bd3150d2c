// Feeds for feed readers: the rolling daily feed, every day, week and month, any search, every
// author and every public reading list, each as RSS 2.0 (…/rss) and Atom 1.0 (…/atom). Pages link to
// theirs for autodiscovery.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { currentTrending } from '../ranking/trending.ts';
import { search, type SearchParams } from '../search/service.ts';
import { lastChange, listPapers, recentDays, type Paper } from '../storage/papers.ts';
import { notModified } from '../web/caching.ts';
import { HttpError } from '../web/errors.ts';
import { PERIOD_FORMATS, parsePeriod, periodPath, type Period } from '../web/periods.ts';
import type { WebContext } from '../web/context.ts';
import { feedType, renderFeed, type FeedFormat } from './feed.ts';
import { getList, papersInList } from '../community/lists.ts';
import { authorPapers } from '../search/authors.ts';
import { authorPath } from '../web/pages/cards.tsx';
import { listPath } from '../web/pages/profile.tsx';

const ROLLING_DAYS = 5;
const PER_DAY = 30;
const PER_PERIOD = 100;
const PER_SEARCH = 50;
const FORMATS: FeedFormat[] = ['rss', 'atom'];

export function registerFeeds(app: FastifyInstance, { database, embedding, site, searchBudget, now }: WebContext) {
  async function send(
    request: FastifyRequest,
    reply: FastifyReply,
    format: FeedFormat,
    path: string,
    title: string,
    description: string,
    papers: () => Promise<Paper[]>,
    { timeDependent = false, changedAt = () => lastChange(database) }: { timeDependent?: boolean; changedAt?: () => Promise<string | null> } = {},
  ) {
    // A trending feed changes with the clock, not only with the data: it relies on its ETag alone.
    if (!timeDependent && notModified(request, reply, await changedAt())) return reply.code(304).send();
    const selfUrl = site.publicUrl + request.url;
    const body = renderFeed({ title, description, pageUrl: site.publicUrl + path, selfUrl, papers: await papers(), publicUrl: site.publicUrl }, format);
    return reply.type(feedType(format)).header('cache-control', 'public, max-age=600').send(body);
  }

  for (const format of FORMATS) {
    app.get(`/${format}`, async (request, reply) =>
      send(request, reply, format, '/', `${site.name}: daily papers`, `The most upvoted new papers of the last ${ROLLING_DAYS} daily lists.`, async () => {
        const papers: Paper[] = [];
        for (const day of await recentDays(database, ROLLING_DAYS)) {
          papers.push(...(await listPapers(database, { from: day, to: day, limit: PER_DAY, offset: 0 })).papers);
        }
        return papers;
      }),
    );

    app.get(`/papers/trending/${format}`, async (request, reply) =>
      send(request, reply, format, '/papers/trending', `${site.name}: trending papers`, 'The research papers rising fastest now.', async () =>
        (await currentTrending(database, now())).slice(0, PER_DAY).map((t) => t.paper),
      { timeDependent: true },
      ),
    );

    for (const kind of ['date', 'week', 'month'] as const) {
      app.get<{ Params: { value: string } }>(`/papers/${kind}/:value/${format}`, async (request, reply) => {
        const period: Period | null = parsePeriod(kind, request.params.value);
        if (!period) throw new HttpError(400, `Not a valid ${kind}`, `“${request.params.value}” is not ${PERIOD_FORMATS[kind]}.`);
        return send(request, reply, format, periodPath(period), `${site.name}: ${period.value}`, `The most upvoted papers listed in ${period.value}.`, async () =>
          (await listPapers(database, { from: period.from, to: period.to, limit: PER_PERIOD, offset: 0 })).papers,
        );
      });
    }

    app.get<{ Params: { name: string } }>(`/authors/:name/${format}`, async (request, reply) => {
      const name = request.params.name.trim();
      if (!name || name.length > 200) throw new HttpError(400, 'Not an author name', 'An author name has 1 to 200 characters.');
      return send(request, reply, format, authorPath(name), `${site.name}: ${name}`, `New papers by ${name}.`, async () => (await authorPapers(database, name, PER_PERIOD)).papers);
    });

    // A public reading list: what its owner adds, newest first. Private lists have no feed.
    app.get<{ Params: { name: string; slug: string } }>(`/u/:name/lists/:slug/${format}`, async (request, reply) => {
      const list = await getList(database, request.params.name, request.params.slug);
      if (!list?.public) throw new HttpError(404, 'No such list', 'There is no public list at this address.');
      return send(request, reply, format, listPath(list), `${list.name} · ${list.owner}`, list.description || `A reading list by ${list.owner} on ${site.name}.`, () => papersInList(database, list.id, PER_PERIOD), {
        // Either the list or one of its papers may have changed.
        changedAt: async () => [list.updatedAt, (await lastChange(database)) ?? ''].sort().at(-1)!,
      });
    });
  }

  app.get<{ Querystring: SearchParams & { format?: string } }>('/search/feed', async (request, reply) => {
    const format = (request.query.format ?? 'rss') as FeedFormat;
    if (!FORMATS.includes(format)) throw new HttpError(400, 'Not a feed format', 'format must be rss or atom.', 'format');
    await searchBudget(request);
    const q = request.query.q ?? '';
    const path = `/search?${new URLSearchParams({ q })}`;
    return send(request, reply, format, path, `${site.name}: search “${q}”`, `Papers matching “${q}”, best matches first.`, async () =>
      (await search(database, embedding, request.query, PER_SEARCH, 0)).hits.map((h) => h.paper),
    );
  });
}
