// The change clock (migration 0020): a number that database triggers move whenever papers,
// listings, comments, members' names or the searched model change, by whichever process or machine.
import type { Database } from './db.ts';

/** The clock's current reading; pages rendered under an older one may show what has since changed. */
export async function changeGeneration(database: Database): Promise<number> {
  if (database.readClock) return database.readClock();
  const row = await database.db.selectFrom('change_clock').select('generation').where('id', '=', 1).executeTakeFirst();
  return Number(row?.generation ?? 0);
}
