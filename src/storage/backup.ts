// `paperboy backup PATH`: a consistent copy of a SQLite database taken while it serves. VACUUM INTO
// reads one snapshot (writes made meanwhile are simply not in it), writes a compacted file, and
// never blocks the server's writers for long. PostgreSQL has pg_dump for this.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import type { Database } from './db.ts';

export const PG_DUMP_ADVICE = `on PostgreSQL, back up with pg_dump, which takes a consistent snapshot while the site runs:
  pg_dump --format=custom --file=paperboy.dump "$DATABASE_URL"
and restore into an empty database with:
  pg_restore --no-owner --dbname="$NEW_DATABASE_URL" paperboy.dump
(or move to SQLite and back with paperboy copy-database --to URL)`;

export async function backupSqlite(database: Database, path: string): Promise<string> {
  if (database.dialect !== 'sqlite') throw new Error(PG_DUMP_ADVICE);
  const file = resolve(path);
  if (existsSync(file)) throw new Error(`${file} already exists: name a new file, so that no backup is overwritten`);
  await sql`VACUUM INTO ${file}`.execute(database.db);
  return file;
}
