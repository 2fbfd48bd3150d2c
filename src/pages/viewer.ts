// What the signed-in viewer has done among the papers a page shows: their upvotes, their lists.
import type { FastifyRequest } from 'fastify';
import { listsHolding, listsOf } from '../community/lists.ts';
import { upvotedAmong } from '../community/upvotes.ts';
import type { AppContext } from '../http/context.ts';
import type { Paper } from '../model/paper.ts';

/** The papers among these the signed-in viewer has upvoted (none for a stranger). */
export async function viewerUpvotes(ctx: AppContext, request: FastifyRequest, papers: Paper[]): Promise<Set<string> | undefined> {
  return request.member
    ? upvotedAmong(
        ctx.database,
        request.member.id,
        papers.map((p) => p.arxivId),
      )
    : undefined;
}

/** The member's lists, and which of them hold the paper (for "Save to list"). */
export async function savedIn(ctx: AppContext, memberId: number, paperId: number) {
  const [all, holding] = await Promise.all([listsOf(ctx.database, memberId, true), listsHolding(ctx.database, memberId, paperId)]);
  return { all, holding };
}
