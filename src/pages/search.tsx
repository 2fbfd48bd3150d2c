// The search page: what people type, ranked by the chosen mode; an arXiv id goes straight to its paper.
// /search/other-words: papers on the search's topic without its words, which the page loads beside
// its first results (search/other-words.ts).
import { pageNumber } from '../http/params.ts';
import type { Handler } from '../http/route.ts';
import { matcher, searchReason } from '../search/highlight.ts';
import { mayBeInOtherWords } from '../search/other-words.ts';
import { arxivIdIn } from '../search/query.ts';
import { search, searchOtherWords, type SearchParams } from '../search/service.ts';
import { InvalidInput } from '../util/errors.ts';
import { sendFragment, sendPage } from './respond.tsx';
import { viewerUpvotes } from './viewer.ts';
import { OtherWords, OtherWordsPage, SearchPage, type SearchForm } from './views/search.tsx';

const PAGE_SIZE = 30;
/** Papers in other words beside the results; their own page (for readers without JavaScript) shows more. */
const OTHER_WORDS = 5;
const OTHER_WORDS_PAGE = 20;

const searchForm = (q: SearchParams): SearchForm => ({
  q: q.q ?? '',
  from: q.from ?? '',
  to: q.to ?? '',
  category: q.category ?? '',
  author: q.author ?? '',
  mode: q.mode ?? '',
});

export const searchPage: Handler<{ Querystring: SearchParams & { page?: string } }> = async (ctx, request, reply) => {
  const q = request.query;
  const form = searchForm(q);
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
    const otherWords = page === 1 && hits.length > 0 && result.mode !== 'keyword' && mayBeInOtherWords(result.query, result.words);
    return sendPage(ctx, request, reply, (site) =>
      SearchPage({ ...empty, site, upvoted, hits, total, capped, page, highlight, reasons, otherWords }),
    );
  } catch (err) {
    // A query we cannot run is the reader's to fix: show the form again with the reason.
    if (!(err instanceof InvalidInput)) throw err;
    return sendPage(ctx, request, reply, (site) => SearchPage({ ...empty, site, message: err.message }), 400);
  }
};

export const otherWordsPage: Handler<{ Querystring: SearchParams }> = async (ctx, request, reply) => {
  const form = searchForm(request.query);
  const fragment = request.headers['hx-request'] === 'true';
  reply.header('vary', 'HX-Request');
  await ctx.searchBudget(request);
  try {
    const { words, hits } = await searchOtherWords(ctx.database, ctx.embedding, request.query, {
      limit: fragment ? OTHER_WORDS : OTHER_WORDS_PAGE,
    });
    if (fragment) return sendFragment(reply, OtherWords({ words, hits }) ?? '');
    return sendPage(ctx, request, reply, (site) => OtherWordsPage({ site, form, words, hits }));
  } catch (err) {
    if (!(err instanceof InvalidInput)) throw err;
    if (fragment) return sendFragment(reply, '');
    return sendPage(ctx, request, reply, (site) => OtherWordsPage({ site, form, words: [], hits: [], message: err.message }), 400);
  }
};
