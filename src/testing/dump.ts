// Everything a database holds about papers, without the times we stored it at: for comparing the
// result of two runs that should end equal.
import type { Database } from '../storage/db.ts';

export async function dumpPapers(db: Database) {
  const rows = await db.db
    .selectFrom('paper')
    .leftJoin('listing', 'listing.paper_id', 'paper.id')
    .selectAll()
    .orderBy('arxiv_id')
    .execute();
  return rows.map(({ id: _i, paper_id: _p, created_at: _c, updated_at: _u, ...rest }) => rest);
}
