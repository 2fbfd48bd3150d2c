// For you's speed, on the corpus and the built-in model the search benchmark left behind:
//   - a day's ~500 papers ranked for 10,000 members whose models are stored (a digest run, every
//     member a different model): the scores and each member's top 10 (target: 2 s in all);
//   - one member end to end, as the For you tab serves them right after a vote: their model learned
//     from 50 upvotes, the day ranked, the reasons found (target: 50 ms).
import { createMember } from '../src/accounts/members.ts';
import { setUpvote } from '../src/community/upvotes.ts';
import { candidates, forgetTaste, forYou, tasteIndex } from '../src/ranking/for-you.ts';
import { scoreBlock, stack, topIndices, trainTaste } from '../src/ranking/taste.ts';
import type { Database } from '../src/storage/db.ts';
import { percentile } from './search.ts';

type Line = (name: string, value: string, note?: string) => void;
const BUILTIN = { EMBEDDER: 'builtin' } as const;
const MEMBERS = 10_000;
const DAY_PAPERS = 500;
const MODELS = 200; // distinct trained models, each used by 50 members (ranking costs the same for any)

/** The listed day with the most papers (For you takes DAY_PAPERS of them; the throughput benchmark its page). */
export async function busiestDay(database: Database): Promise<string> {
  const row = await database.db
    .selectFrom('listing')
    .select(['day', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('day')
    .orderBy('n', 'desc')
    .executeTakeFirstOrThrow();
  return row.day;
}

export async function benchForYou(line: Line, database: Database) {
  const index = await tasteIndex(database, BUILTIN);
  if (!index) throw new Error('For you needs the built-in model: run the search benchmark first');
  const day = await busiestDay(database);
  const list = await candidates(database, index, { from: day, to: day }, []);
  const vectors = list.vectors.filter((v): v is Float32Array => v !== undefined).slice(0, DAY_PAPERS);
  const d = index.model.dimensions;
  const block = stack(vectors, d);

  // Models learned from 30 random papers of the day each.
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const models = Array.from({ length: MODELS }, () => {
    const liked = Array.from({ length: 30 }, () => vectors[Math.floor(random() * vectors.length)]!);
    return trainTaste({ liked, disliked: [] }, index.background)!;
  });
  const start = performance.now();
  let checksum = 0;
  for (let m = 0; m < MEMBERS; m++) checksum += topIndices(scoreBlock(models[m % MODELS]!, block), 10)[0]!;
  const seconds = (performance.now() - start) / 1000;
  line(
    `For you: ${MEMBERS} members × ${vectors.length} papers`,
    `${seconds.toFixed(2)} s`,
    `stored models, scores and top 10 each; target ≤ 2 s (${(seconds / 2).toFixed(2)}× of budget) [${checksum > 0 ? 'ok' : ''}]`,
  );

  const created = await createMember(
    database,
    { name: 'bench-reader', email: 'bench-reader@example.org', password: null, verifiedAt: new Date().toISOString() },
    new Date(),
  );
  if (typeof created === 'string') throw new Error(created);
  const reader = { ...created, topics: [] };
  for (const paper of list.papers.slice(0, 50)) await setUpvote(database, reader.id, paper.id, true, new Date());
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    await forgetTaste(database, reader.id);
    const t = performance.now();
    await forYou(database, BUILTIN, reader, { from: day, to: day, categories: [], limit: 30, offset: 0 }, new Date());
    times.push(performance.now() - t);
  }
  const p50 = percentile(times, 50);
  line(
    `For you: one member, learned + ranked`,
    `p50 ${p50.toFixed(1)} ms`,
    `p95 ${percentile(times, 95).toFixed(1)} ms; ${list.papers.length} papers on ${day}, 50 upvotes; target ≤ 50 ms (${(p50 / 50).toFixed(2)}× of budget)`,
  );
}
