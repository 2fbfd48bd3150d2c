// Versioned SQL migrations, one folder per dialect (migrations/sqlite, migrations/postgres), files
// named NNNN_what.sql. Each runs as one transaction together with the row that records it, so a
// crash leaves the database at a whole version, and two processes starting at once cannot both apply
// the same migration (the second one's insert of the version row fails and its transaction rolls back).
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Database } from './db.ts';
import { projectFile } from '../util/project.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const folder = projectFile('src/storage/migrations/');

export function migrationsFor(dialect: Database['dialect']): Migration[] {
  const dir = new URL(`${dialect}/`, folder);
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(new URL(file, dir), 'utf8'),
    }));
}

export async function currentVersion(database: Database): Promise<number> {
  await database.runScript(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`,
  );
  const row = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(database.db);
  return Number(row.rows[0]?.v ?? 0);
}

/** Applies every migration above the current version (or up to `target`); returns those applied. */
export async function migrate(database: Database, target = Infinity): Promise<Migration[]> {
  const from = await currentVersion(database);
  const pending = migrationsFor(database.dialect).filter((m) => m.version > from && m.version <= target);
  for (const m of pending) {
    const record = `INSERT INTO schema_migrations (version, name, applied_at)
      VALUES (${m.version}, '${m.name}', '${new Date().toISOString()}');`;
    await database.runScript(`${m.sql}\n${record}`).catch((err: Error) => {
      throw new Error(`migration ${m.name} failed: ${err.message}`);
    });
  }
  return pending;
}
