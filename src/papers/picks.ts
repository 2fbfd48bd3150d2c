// A list leads with the community's picks (papers members submitted or upvoted, moderators picked,
// or a source of picks such as Hugging Face's daily papers listed); the whole announcement is one
// click away.
// A list with no picks shows every paper, as arXiv announced them.
import type { Paper } from '../model/paper.ts';
import type { Database } from '../storage/db.ts';
import { countListed, listPapers, type ListQuery } from '../storage/papers.ts';

export type ListChoice = 'picks' | 'all';
export const LIST_CHOICES: ListChoice[] = ['picks', 'all'];

export interface ShownList {
  papers: Paper[];
  total: number; // of the list shown
  counts: { picks: number; all: number };
  showing: ListChoice;
}

/** The page of the list asked for: its picks, unless every paper was asked for or there are none. */
export async function shownList(database: Database, query: Omit<ListQuery, 'picksOnly'>, asked: ListChoice): Promise<ShownList> {
  const { limit, offset, ...range } = query;
  const counts = await countListed(database, range);
  const showing: ListChoice = asked === 'all' || counts.picks === 0 ? 'all' : 'picks';
  const { papers } = await listPapers(database, { ...query, picksOnly: showing === 'picks' });
  return { papers, total: showing === 'picks' ? counts.picks : counts.all, counts, showing };
}
