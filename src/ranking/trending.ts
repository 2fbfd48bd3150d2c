// Trending: what is rising now, in the style of Hacker News and Lobsters. A paper's score is its
// upvotes divided by a power of its age on the list, so a fresh paper with a few votes can pass an
// older one with many, and yesterday's hits sink as the days go by:
//
//     score = upvotes / (hours since it entered its list + 2) ^ 1.8
//
// The +2 keeps a brand-new paper from dividing by almost nothing; 1.8 (HN's gravity) sets how fast
// age wins. Only papers of the last WINDOW_DAYS of lists compete (counted back from the latest list,
// so an instance that stopped ingesting still shows its last week). Ties go to the newer paper.
// Explained to readers on /about#trending; computed here and nowhere else.
import type { Database } from '../storage/db.ts';
import { latestDay, listPapers } from '../storage/papers.ts';
import type { Paper } from '../model/paper.ts';
import { addDays } from '../util/dates.ts';

export const GRAVITY = 1.8;
export const WINDOW_DAYS = 7;
const CANDIDATES = 5_000;

export function trendingScore(upvotes: number, listedAt: string, now: Date): number {
  const hours = Math.max(0, (now.getTime() - Date.parse(listedAt)) / 3_600_000);
  return upvotes / (hours + 2) ** GRAVITY;
}

const cache = new WeakMap<Database, { minute: number; ranked: Promise<Trending[]> }>();

/** The current trending list, recomputed at most once a minute (paper pages show their rank). */
export function currentTrending(database: Database, now: Date): Promise<Trending[]> {
  const minute = Math.floor(now.getTime() / 60_000);
  const hit = cache.get(database);
  if (hit && hit.minute === minute) return hit.ranked;
  const ranked = trending(database, now);
  cache.set(database, { minute, ranked });
  return ranked;
}

export interface Trending {
  paper: Paper;
  score: number;
  rank: number; // from 1
}

/**
 * Papers ranked by trending score: those of the last WINDOW_DAYS of lists, or of `period`.
 */
export async function trending(database: Database, now: Date, period?: { from: string; to: string }): Promise<Trending[]> {
  const last = period?.to ?? (await latestDay(database));
  if (!last) return [];
  const { papers } = await listPapers(database, {
    from: period?.from ?? addDays(last, -(WINDOW_DAYS - 1)),
    to: last,
    limit: CANDIDATES,
    offset: 0,
  });
  return papers
    .map((paper) => ({ paper, score: trendingScore(paper.listing!.upvotes, paper.listing!.listedAt, now) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.paper.listing!.listedAt.localeCompare(a.paper.listing!.listedAt) ||
        b.paper.arxivId.localeCompare(a.paper.arxivId),
    )
    .map((t, i) => ({ ...t, rank: i + 1 }));
}
