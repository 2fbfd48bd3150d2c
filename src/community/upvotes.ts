// Members' upvotes: one per member per paper. The vote row and the listing's count change in one
// transaction, by exactly one and only when the row really came or went, so the count stays exact
// however many votes arrive at once and however often one member clicks.
import { sql } from 'kysely';
import type { Database } from '../storage/db.ts';

export class NotOnAList extends Error {
  constructor(what: 'upvoted' | 'picked' = 'upvoted') {
    super(`This paper is not on a daily list, so it cannot be ${what}.`);
  }
}

/** Sets a member's vote on a paper (idempotent); returns the paper's count afterwards. */
export async function setUpvote(database: Database, memberId: number, paperId: number, upvoted: boolean, now: Date): Promise<number> {
  return database.db.transaction().execute(async (tx) => {
    const listing = await tx.selectFrom('listing').select('paper_id').where('paper_id', '=', paperId).executeTakeFirst();
    if (!listing) throw new NotOnAList();
    const changed = upvoted
      ? await tx
          .insertInto('upvote')
          .values({ member_id: memberId, paper_id: paperId, created_at: now.toISOString() })
          .onConflict((oc) => oc.doNothing())
          .returning('paper_id')
          .executeTakeFirst()
      : await tx
          .deleteFrom('upvote')
          .where('member_id', '=', memberId)
          .where('paper_id', '=', paperId)
          .returning('paper_id')
          .executeTakeFirst();
    if (changed) {
      await tx
        .updateTable('listing')
        .set({ upvotes: sql<number>`upvotes + ${upvoted ? 1 : -1}` })
        .where('paper_id', '=', paperId)
        .execute();
      // What lists show changed: Last-Modified must move.
      await tx.updateTable('paper').set({ updated_at: now.toISOString() }).where('id', '=', paperId).execute();
    }
    const row = await tx.selectFrom('listing').select('upvotes').where('paper_id', '=', paperId).executeTakeFirstOrThrow();
    return row.upvotes;
  });
}

/** Which of these papers (by arXiv id) the member has upvoted. */
export async function upvotedAmong(database: Database, memberId: number, arxivIds: string[]): Promise<Set<string>> {
  if (arxivIds.length === 0) return new Set();
  const rows = await database.db
    .selectFrom('upvote')
    .innerJoin('paper', 'paper.id', 'upvote.paper_id')
    .select('paper.arxiv_id')
    .where('upvote.member_id', '=', memberId)
    .where('paper.arxiv_id', 'in', arxivIds)
    .execute();
  return new Set(rows.map((r) => r.arxiv_id));
}
