// Moving a whole instance between databases, SQLite to PostgreSQL or back (`paperboy copy-database`):
// every table that holds what people made or the instance learned, row for row with the same ids,
// into an empty database migrated to the same version. What the target's own triggers rebuild
// (search indexes, categories) or what is only the moment's state (leases, rate counts) is left out,
// each with its reason, and a test fails when a table is in neither list.
import { sql, type RawBuilder } from 'kysely';
import type { Database } from './db.ts';

/** Copied, in this order: every table after the tables it refers to. */
export const COPIED = [
  'paper',
  'listing',
  'ingest_state',
  'setting',
  'subscriber',
  'outbox',
  'embedding_model',
  'paper_embedding',
  'member',
  'member_session',
  'member_link',
  'api_token',
  'upvote',
  'comment',
  'comment_revision',
  'comment_report',
  'reading_list',
  'reading_list_paper',
  'not_interested',
  'account_mail',
] as const;

/** Not copied, and why. */
export const NOT_COPIED: Record<string, string> = {
  schema_migrations: 'the target is migrated to the same version first',
  paper_category: 'filled by the target’s triggers as papers arrive',
  paper_term: 'filled by the target’s triggers as papers arrive (PostgreSQL’s keyword index)',
  paper_fts: 'filled by the target’s triggers as papers arrive (SQLite’s keyword index)',
  change_clock: 'the target’s own: its triggers move it',
  member_taste: 'learned again at a member’s next ranking',
  lease: 'who runs a job now: the moment’s state',
  rate_count: 'rate limits’ counts: the moment’s state',
  throttle_event: 'throttles’ recent events: the moment’s state',
};

/** Columns that hold a vector: float32 bytes on SQLite, real[] on PostgreSQL. */
const VECTORS = new Set(['paper_embedding.vector']);
/** Values a statement may bind: PostgreSQL allows 65,535, SQLite 32,766. */
const MAX_VALUES = 30_000;

/** The database's own tables (SQLite's internal and FTS shadow tables are the FTS table's). */
export async function listTables(database: Database): Promise<string[]> {
  const query =
    database.dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'paper\\_fts\\_%' ESCAPE '\\'`
      : sql<{
          name: string;
        }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  return (await query.execute(database.db)).rows.map((r) => r.name).sort();
}

interface Columns {
  /** Columns a row is written with (generated ones left to the database). */
  writable: string[];
  /** What rows are read in order of: the primary key, else every column. */
  order: string[];
  identity: boolean;
}

async function columnsOf(database: Database, table: string): Promise<Columns> {
  if (database.dialect === 'sqlite') {
    const rows = (
      await sql<{ name: string; pk: number; hidden: number }>`SELECT name, pk, hidden FROM pragma_table_xinfo(${table})`.execute(
        database.db,
      )
    ).rows;
    const writable = rows.filter((r) => r.hidden === 0).map((r) => r.name);
    const key = rows
      .filter((r) => r.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((r) => r.name);
    return { writable, order: key.length ? key : writable, identity: false };
  }
  const rows = (
    await sql<{ name: string; generated: string; identity: string; key: number | null }>`
      SELECT c.column_name AS name, c.is_generated AS generated, c.is_identity AS identity, k.ordinal_position AS key
      FROM information_schema.columns c
      LEFT JOIN information_schema.table_constraints t
        ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY'
      LEFT JOIN information_schema.key_column_usage k
        ON k.constraint_name = t.constraint_name AND k.table_schema = c.table_schema AND k.column_name = c.column_name
      WHERE c.table_schema = current_schema() AND c.table_name = ${table}
      ORDER BY c.ordinal_position`.execute(database.db)
  ).rows;
  const writable = rows.filter((r) => r.generated !== 'ALWAYS').map((r) => r.name);
  const key = rows
    .filter((r) => r.key !== null)
    .sort((a, b) => Number(a.key) - Number(b.key))
    .map((r) => r.name);
  return { writable, order: key.length ? key : writable, identity: rows.some((r) => r.identity === 'YES') };
}

/** A value read from one dialect, as the other stores it: only vectors differ (both store flags as integers). */
function convert(value: unknown, target: Database['dialect'], vector: boolean): unknown {
  if (!vector || value == null) return value;
  if (target === 'postgres' && value instanceof Uint8Array)
    return Array.from(new Float32Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)));
  if (target === 'sqlite' && Array.isArray(value)) return Buffer.from(new Float32Array(value as number[]).buffer);
  return value;
}

async function targetIsEmpty(to: Database): Promise<boolean> {
  for (const table of ['paper', 'member', 'subscriber'] as const) {
    const row = await to.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(row.n) > 0) return false;
  }
  return true;
}

export class CopyError extends Error {}

/**
 * Copies every table of COPIED from `from` into `to`, both migrated to the same version, `to` empty.
 * Calls `onProgress` after each batch with the table, the rows copied so far and its row count.
 */
export async function copyDatabase(
  from: Database,
  to: Database,
  onProgress: (table: string, done: number, total: number) => void = () => {},
): Promise<{ table: string; rows: number }[]> {
  if (!(await targetIsEmpty(to)))
    throw new CopyError('the target database already has papers, members or subscribers: copy into an empty one');
  const copied: { table: string; rows: number }[] = [];
  for (const table of COPIED) copied.push({ table, rows: await copyTable(from, to, table, onProgress) });
  if (to.dialect === 'postgres') await resetIdentities(to);
  return copied;
}

async function copyTable(from: Database, to: Database, table: string, onProgress: (table: string, done: number, total: number) => void) {
  const source = await columnsOf(from, table);
  const target = await columnsOf(to, table);
  const columns = target.writable.filter((c) => source.writable.includes(c));
  const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(from.db)).rows[0]!.n);
  const batch = Math.max(1, Math.min(500, Math.floor(MAX_VALUES / columns.length)));
  const order = sql.join(source.order.map((c) => sql.ref(c)));
  const overriding = target.identity ? sql`OVERRIDING SYSTEM VALUE` : sql``;
  for (let done = 0; done < total;) {
    const rows = (
      await sql<
        Record<string, unknown>
      >`SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)} ORDER BY ${order} LIMIT ${batch} OFFSET ${done}`.execute(
        from.db,
      )
    ).rows;
    if (!rows.length) break;
    const values: RawBuilder<unknown>[] = rows.map(
      (row) => sql`(${sql.join(columns.map((c) => convert(row[c], to.dialect, VECTORS.has(`${table}.${c}`))))})`,
    );
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) ${overriding} VALUES ${sql.join(values)}`.execute(
      to.db,
    );
    done += rows.length;
    onProgress(table, done, total);
  }
  return total;
}

/** PostgreSQL's identity columns go on from the highest id copied, so new rows do not collide. */
async function resetIdentities(to: Database) {
  const identities = (
    await sql<{ table: string; column: string }>`
      SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_identity = 'YES'`.execute(to.db)
  ).rows;
  for (const { table, column } of identities)
    await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), coalesce((SELECT max(${sql.ref(column)}) FROM ${sql.table(table)}), 0) + 1, false)`.execute(
      to.db,
    );
}
