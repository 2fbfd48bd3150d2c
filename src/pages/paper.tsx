// A paper's own page, and its views: /papers/<id>/similar, /papers/<id>/thumbnail.svg,
// /papers/<id>/bibtex. Old-style ids have a slash of their own (hep-th/9901001), so views are told
// apart by name.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { extractArxivId } from '../arxiv/ids.ts';
import { bibtexEntry, citationKey } from '../community/bibtex.ts';
import { commentsOn } from '../community/comments.ts';
import { notModified } from '../http/caching.ts';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import type { Handler } from '../http/route.ts';
import type { Paper } from '../model/paper.ts';
import { currentTrending } from '../ranking/trending.ts';
import { similarPapers } from '../search/similar.ts';
import { getPaper } from '../storage/papers.ts';
import { paperMarkdown } from './paper-markdown.ts';
import { sendFragment, sendPage } from './respond.tsx';
import { savedIn, viewerUpvotes } from './viewer.ts';
import { PaperPage } from './views/paper.tsx';
import { SimilarList, SimilarPage } from './views/similar.tsx';
import { thumbnailSvg } from './views/thumbnail.ts';

const SIMILAR = 10;
const VIEWS = ['similar', 'thumbnail.svg', 'bibtex'] as const;
type View = (typeof VIEWS)[number];

export const paperPage: Handler<{ Params: { '*': string } }> = async (ctx, request, reply) => {
  const rest = request.params['*'];
  const view = VIEWS.find((v) => rest.endsWith(`/${v}`));
  const markdown = !view && rest.endsWith('.md');
  const idText = view ? rest.slice(0, -view.length - 1) : markdown ? rest.slice(0, -'.md'.length) : rest;
  const parsed = extractArxivId(idText);
  if (!parsed)
    throw new HttpError(
      400,
      'Not an arXiv identifier',
      `“${idText.slice(0, 100)}” is not an arXiv identifier such as 2301.00001 or hep-th/9901001.`,
    );
  // One URL per paper: versions and pasted arXiv URLs land on the plain id.
  if (idText !== parsed.id) return reply.redirect(`/papers/${parsed.id}${view ? `/${view}` : markdown ? '.md' : ''}`, 301);
  const paper = await getPaper(ctx.database, parsed.id);
  if (!paper) throw new HttpError(404, 'Paper not found', `There is no paper arXiv:${parsed.id} here yet.`);
  if (markdown) {
    if (notModified(request, reply, paper.updatedAt)) return reply.code(304).send();
    return reply.type('text/markdown; charset=utf-8').send(paperMarkdown(paper, ctx.site.publicUrl));
  }
  return view ? paperView(ctx, request, reply, paper, view) : fullPage(ctx, request, reply, paper);
};

async function fullPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, paper: Paper) {
  // The page shows today's trending rank, which moves with the clock as well as with the data:
  // its ETag (a hash of the page) is what tells a client its copy is still current.
  const [trending, votes, threads, lists] = await Promise.all([
    currentTrending(ctx.database, ctx.now()),
    viewerUpvotes(ctx, request, [paper]),
    commentsOn(ctx.database, paper.arxivId),
    request.member ? savedIn(ctx, request.member.id, paper.id) : undefined,
  ]);
  const trendingRank = trending.find((t) => t.paper.arxivId === paper.arxivId)?.rank ?? null;
  const upvoted = votes?.has(paper.arxivId) ?? false;
  return sendPage(ctx, request, reply, (site) => PaperPage({ site, paper, trendingRank, upvoted, threads, lists }));
}

async function paperView(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, paper: Paper, view: View) {
  if (view === 'similar') {
    await ctx.searchBudget(request);
    // The ranking depends on the whole library, not just this paper: no Last-Modified from it.
    const hits = await similarPapers(ctx.database, ctx.embedding, paper, SIMILAR);
    reply.header('vary', 'HX-Request');
    if (request.headers['hx-request'] === 'true') return sendFragment(reply, SimilarList({ hits }));
    return sendPage(ctx, request, reply, (site) => SimilarPage({ site, paper, hits }));
  }
  if (notModified(request, reply, paper.updatedAt)) return reply.code(304).send();
  if (view === 'bibtex') {
    return reply
      .type('application/x-bibtex; charset=utf-8')
      .header('content-disposition', `inline; filename="${citationKey(paper)}.bib"`)
      .send(bibtexEntry(paper));
  }
  return reply.type('image/svg+xml').send(thumbnailSvg(paper, ctx.site.name));
}
