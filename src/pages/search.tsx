// The search page: what people type, ranked by the chosen mode; an arXiv id goes straight to its paper.
import { pageNumber } from '../http/params.ts';
import type { Handler } from '../http/route.ts';
import { matcher, searchReason } from '../search/highlight.ts';
import { arxivIdIn } from '../search/query.ts';
import { search, type SearchParams } from '../search/service.ts';
import { InvalidInput } from '../util/errors.ts';
import { sendPage } from './respond.tsx';
import { viewerUpvotes } from './viewer.ts';
import { SearchPage } from './views/search.tsx';

const PAGE_SIZE = 30;

export const searchPage: Handler<{ Querystring: SearchParams & { page?: string } }> = async (ctx, request, reply) => {
  const q = request.query;
  const form = { q: q.q ?? '', from: q.from ?? '', to: q.to ?? '', category: q.category ?? '', author: q.author ?? '', mode: q.mode ?? '' };
  const empty = { form, hits: [], total: 0, capped: false, page: 1, pageSize: PAGE_SIZE, reasons: [] };
  if (!form.q.trim()) return sendPage(ctx, request, reply, (site) => SearchPage({ ...empty, site }));
  const id = arxivIdIn(form.q);
  if (id) return reply.redirect(`/papers/${id}`);
  const page = pageNumber(q.page);
  await ctx.searchBudget(request);
  try {
    const result = await search(ctx.database, ctx.embedding, q, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    const highlight = matcher(result.words);
    const reasons = result.hits.map((h) => searchReason(h, result.words));
    const upvoted = await viewerUpvotes(
      ctx,
      request,
      result.hits.map((h) => h.paper),
    );
    const { hits, total, capped } = result;
    return sendPage(ctx, request, reply, (site) => SearchPage({ ...empty, site, upvoted, hits, total, capped, page, highlight, reasons }));
  } catch (err) {
    // A query we cannot run is the reader's to fix: show the form again with the reason.
    if (!(err instanceof InvalidInput)) throw err;
    return sendPage(ctx, request, reply, (site) => SearchPage({ ...empty, site, message: err.message }), 400);
  }
};
