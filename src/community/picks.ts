// Moderators' picks: a moderator puts a paper among its list's picks whatever its votes, or takes
// it back out (a list leads with its picks: src/papers/picks.ts).
import type { Database } from '../storage/db.ts';
import { NotOnAList } from './upvotes.ts';

/** Picks the paper for its list (`moderatorId`), or unpicks it (null). */
export async function setPick(database: Database, paperId: number, moderatorId: number | null, now: Date): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    const changed = await tx.updateTable('listing').set({ picked_by: moderatorId }).where('paper_id', '=', paperId).executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) throw new NotOnAList('picked');
    // What lists show changed: Last-Modified must move.
    await tx.updateTable('paper').set({ updated_at: now.toISOString() }).where('id', '=', paperId).execute();
  });
}
