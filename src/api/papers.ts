// The JSON API: Hugging Face's GET /api/daily_papers and GET /api/papers/{id}, same parameters and
// shape (docs/api.md), so existing HF clients work when pointed at this site.
import { extractArxivId, inAnyCategory } from '../arxiv/ids.ts';
import { getPaper, latestDay } from '../storage/papers.ts';
import { shownList } from '../papers/picks.ts';
import { arxivIdIn } from '../search/query.ts';
import { search, searchFilters, searchMode, type SearchParams } from '../search/service.ts';
import { similarPapers } from '../search/similar.ts';
import { currentTrending, trending } from '../ranking/trending.ts';
import { HttpError } from '../http/errors.ts';
import { categoryFilter, listChoice } from '../http/params.ts';
import type { AppContext } from '../http/context.ts';
import type { Handler } from '../http/route.ts';
import { PERIOD_FORMATS, parsePeriod, periodOf, type Period, type PeriodKind } from '../papers/periods.ts';
import { hfDailyItem, hfPaper } from './hf-shape.ts';

export const API_LIMITS = { defaultLimit: 50, maxLimit: 100, maxPage: 10_000 };

type DailyQuery = Partial<Record<'date' | 'week' | 'month' | 'submitter' | 'sort' | 'p' | 'limit' | 'list', string>> & {
  category?: string | string[];
};
type Paging = Partial<Record<'p' | 'limit', string>>;

export function badParameter(parameter: string, message: string): HttpError {
  return new HttpError(400, 'Invalid parameter', message, parameter);
}

export function integer(query: Paging, name: 'p' | 'limit', min: number, max: number, fallback: number): number {
  const value = query[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw badParameter(name, `${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

export const dailyPapers: Handler<{ Querystring: DailyQuery }> = async (ctx, request) => {
  const q = request.query;
  const period = await requestedPeriod(ctx, q);
  if (q.sort !== undefined && q.sort !== 'publishedAt' && q.sort !== 'trending')
    throw badParameter('sort', 'sort must be publishedAt or trending');
  if (q.submitter !== undefined && (q.submitter.length === 0 || q.submitter.length > 100)) {
    throw badParameter('submitter', 'submitter must be a user name of 1 to 100 characters');
  }
  const limit = integer(q, 'limit', 1, API_LIMITS.maxLimit, API_LIMITS.defaultLimit);
  const page = integer(q, 'p', 0, API_LIMITS.maxPage, 0);
  const categories = categoryFilter(q.category);
  const asked = listChoice(q.list);
  if (asked === 'for-you') throw badParameter('list', "list must be picks or all; a member's own ranking is GET /api/me/for-you");
  if (!period) return [];
  if (q.sort === 'trending') {
    // Within the given period; without one, the current trending window (as HF's sort=trending).
    const ranked = period.given ? await trending(ctx.database, ctx.now(), period) : await currentTrending(ctx.database, ctx.now());
    return ranked
      .filter((t) => (!q.submitter || t.paper.listing?.submittedBy === q.submitter) && inAnyCategory(t.paper.categories, categories))
      .slice(page * limit, (page + 1) * limit)
      .map((t) => hfDailyItem(t.paper, ctx.site.publicUrl));
  }
  const sort = q.sort === 'publishedAt' ? 'publishedAt' : 'upvotes';
  // Like Hugging Face's, the picks; `list=all` for every paper, as does a list without picks.
  const { papers } = await shownList(
    ctx.database,
    { from: period.from, to: period.to, submitter: q.submitter, categories, sort, limit, offset: page * limit },
    asked,
  );
  return papers.map((paper) => hfDailyItem(paper, ctx.site.publicUrl));
};

/** The period asked for (one of date, week and month), else the latest day's; null when there are no papers. */
async function requestedPeriod(ctx: AppContext, q: DailyQuery): Promise<(Period & { given: boolean }) | null> {
  const kinds = (['date', 'week', 'month'] as const).filter((k) => q[k] !== undefined);
  if (kinds.length > 1) throw badParameter(kinds[1]!, `give only one of date, week and month (got ${kinds.join(' and ')})`);
  const kind: PeriodKind | undefined = kinds[0];
  // As Hugging Face's: a submitter's papers of all time unless a period is given.
  if (!kind && q.submitter !== undefined) return { kind: 'date', value: '', from: '1900-01-01', to: '2199-12-31', given: true };
  if (kind) {
    const period = parsePeriod(kind, q[kind]!);
    if (!period) throw badParameter(kind, `${kind} must be ${PERIOD_FORMATS[kind]}`);
    return { ...period, given: true };
  }
  const day = await latestDay(ctx.database);
  return day ? { ...periodOf('date', day), given: false } : null;
}

export const searchPapers: Handler<{ Querystring: SearchParams & { limit?: string; p?: string; mode?: string } }> = async (
  ctx,
  request,
) => {
  const q = request.query;
  searchMode(q.mode); // a bad mode is a 400 even when the query is an arXiv id
  const limit = integer(q, 'limit', 1, API_LIMITS.maxLimit, API_LIMITS.defaultLimit);
  const page = integer(q, 'p', 0, API_LIMITS.maxPage, 0);
  const id = arxivIdIn(q.q ?? '');
  if (id) {
    const paper = await getPaper(ctx.database, id);
    return paper ? [hfDailyItem(paper, ctx.site.publicUrl)] : [];
  }
  await ctx.searchBudget(request);
  const { hits } = await search(ctx.database, ctx.embedding, q, limit, page * limit);
  return hits.map((hit) => hfDailyItem(hit.paper, ctx.site.publicUrl));
};

/** /api/papers/{id} and /api/papers/{id}/similar (old-style ids contain a slash of their own). */
export const paper: Handler<{ Params: { '*': string }; Querystring: SearchParams & { limit?: string } }> = async (ctx, request) => {
  const rest = request.params['*'];
  const similar = rest.endsWith('/similar');
  const parsed = extractArxivId(similar ? rest.slice(0, -'/similar'.length) : rest);
  // Hugging Face answers 404 for any id it does not have, well-formed or not; its clients expect that.
  if (!parsed) throw new HttpError(404, 'Not found', 'no paper has that id (arXiv ids look like 2301.00001 or hep-th/9901001)');
  const found = await getPaper(ctx.database, parsed.id);
  if (!found) throw new HttpError(404, 'Not found', `paper ${parsed.id} not found`);
  if (!similar) return hfPaper(found, ctx.site.publicUrl);
  const limit = integer(request.query, 'limit', 1, 50, 10);
  await ctx.searchBudget(request);
  const hits = await similarPapers(ctx.database, ctx.embedding, found, limit, searchFilters(request.query));
  return hits.map((hit) => hfDailyItem(hit.paper, ctx.site.publicUrl));
};
