// The counts behind rate limits: per key (a client address and what it asks for) and fixed window,
// added to in the database so that every server process sees the same total.
import type { Database } from '../storage/db.ts';

export interface CountIncrement {
  key: string;
  windowStart: number;
  add: number;
  /** When the window ends: the row is forgotten after. */
  expiresAt: number;
}

/** Adds to each key's count in its window and returns the totals, by key and window. */
export async function addCounts(database: Database, increments: CountIncrement[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  if (!increments.length) return totals;
  const rows = await database.db
    .insertInto('rate_count')
    .values(increments.map((i) => ({ key: i.key, window_start: i.windowStart, count: i.add, expires_at: i.expiresAt })))
    .onConflict((oc) =>
      oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_count.count', '+', eb.ref('excluded.count')) })),
    )
    .returning(['key', 'window_start', 'count'])
    .execute();
  for (const row of rows) totals.set(countId(row.key, Number(row.window_start)), Number(row.count));
  return totals;
}

export const countId = (key: string, windowStart: number) => `${windowStart}:${key}`;

export async function forgetEndedCounts(database: Database, now: number): Promise<void> {
  await database.db.deleteFrom('rate_count').where('expires_at', '<', now).execute();
}
