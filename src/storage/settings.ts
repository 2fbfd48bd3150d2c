// Values the instance keeps for itself in the `setting` table, by key: what one command leaves for
// the next (the public URL `paperboy serve` runs at, for links that command-line jobs write), and
// what it makes once and keeps (its signing key).
import type { Database } from './db.ts';

export async function readSetting(database: Database, key: string): Promise<string | null> {
  const row = await database.db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

/** The key's value, set to `candidate` if it had none: when two processes race, the first write wins and both get it. */
export async function settingOnce(database: Database, key: string, candidate: string): Promise<string> {
  await database.db
    .insertInto('setting')
    .values({ key, value: candidate })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await readSetting(database, key))!;
}

export async function writeSetting(database: Database, key: string, value: string): Promise<void> {
  await database.db
    .insertInto('setting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
