// The API as a member: who the token belongs to, their upvotes, and their own ranking of a day
// (docs/api.md). Writes take a personal API token only (app/routes.ts declares them `apiWrite`).
import { extractArxivId } from '../arxiv/ids.ts';
import { NotOnAList, setUpvote, upvotedAmong } from '../community/upvotes.ts';
import { HttpError } from '../http/errors.ts';
import type { Handler } from '../http/route.ts';
import { requireApiMember } from '../http/session.ts';
import { parsePeriod, periodOf } from '../papers/periods.ts';
import { forgetTaste, forYou } from '../ranking/for-you.ts';
import { getPaper, latestDay } from '../storage/papers.ts';
import { hfDailyItem } from './hf-shape.ts';
import { API_LIMITS, badParameter, integer } from './papers.ts';

export const me: Handler = async (_ctx, request) => {
  const m = requireApiMember(request);
  return { name: m.name, role: m.role, email: m.email, categories: m.categories, topics: m.topics, createdAt: m.createdAt };
};

/** `POST` (upvote) or `DELETE` (take it back) `/api/papers/{id}/upvote`: the paper's count afterwards. */
export const upvote: Handler<{ Params: { '*': string } }> = async (ctx, request) => {
  const member = requireApiMember(request);
  const rest = request.params['*'];
  if (!rest.endsWith('/upvote')) throw new HttpError(404, 'Not found', 'POST or DELETE /api/papers/{id}/upvote');
  const parsed = extractArxivId(rest.slice(0, -'/upvote'.length));
  if (!parsed) throw badParameter('id', 'id must be an arXiv identifier such as 2301.00001 or hep-th/9901001');
  const paper = await getPaper(ctx.database, parsed.id);
  if (!paper) throw new HttpError(404, 'Not found', `paper ${parsed.id} not found`);
  const upvoted = request.method === 'POST';
  try {
    const upvotes = await setUpvote(ctx.database, member.id, paper.id, upvoted, ctx.now());
    await forgetTaste(ctx.database, member.id);
    return { id: paper.arxivId, upvoted, upvotes };
  } catch (err) {
    if (err instanceof NotOnAList) throw new HttpError(409, 'Not on a list', err.message);
    throw err;
  }
};

/** `GET /api/me/for-you?date=&limit=`: the day's papers ranked for the member, best first, as HF's daily papers. */
export const forYouList: Handler<{ Querystring: { date?: string; limit?: string; category?: string } }> = async (ctx, request) => {
  const member = requireApiMember(request);
  const q = request.query;
  const limit = integer(q, 'limit', 1, API_LIMITS.maxLimit, API_LIMITS.defaultLimit);
  let period = null;
  if (q.date !== undefined) {
    period = parsePeriod('date', q.date);
    if (!period) throw badParameter('date', 'date must be YYYY-MM-DD');
  } else {
    const day = await latestDay(ctx.database);
    if (!day) return [];
    period = periodOf('date', day);
  }
  const ranked = await forYou(
    ctx.database,
    ctx.embedding,
    member,
    { from: period.from, to: period.to, categories: member.categories, limit, offset: 0 },
    ctx.now(),
  );
  if (!ranked) return [];
  const mine = await upvotedAmong(
    ctx.database,
    member.id,
    ranked.papers.map((p) => p.arxivId),
  );
  return ranked.papers.map((paper) => ({ ...hfDailyItem(paper, ctx.site.publicUrl), upvotedByMe: mine.has(paper.arxivId) }));
};
