// Spacing requests to someone else's server across every process that shares the database: arXiv
// asks for one request every three seconds from a client, however many server workers and machines
// that client runs. Each request reserves the next free start time, at least `intervalMs` after the
// previous reservation, in one atomic statement.
import { sql } from 'kysely';
import type { Database } from '../storage/db.ts';

/** Reserves a start time for a request to `name` (ms since 1970): now, or `intervalMs` after the last one reserved. */
export async function reserveSlot(database: Database, name: string, intervalMs: number, now: number): Promise<number> {
  const key = `pacing:${name}`;
  const row = await sql<{ value: string }>`
    INSERT INTO setting (key, value) VALUES (${key}, ${String(now)})
    ON CONFLICT (key) DO UPDATE SET value = CASE
      WHEN CAST(setting.value AS BIGINT) + ${intervalMs} > ${now} THEN CAST(CAST(setting.value AS BIGINT) + ${intervalMs} AS TEXT)
      ELSE ${String(now)}
    END
    RETURNING value`.execute(database.db);
  return Number(row.rows[0]!.value);
}
