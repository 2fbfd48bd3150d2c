// Opening a database from DATABASE_URL: SQLite (better-sqlite3, WAL) or PostgreSQL (pg, or PGlite
// in WebAssembly for tests), each returning the same JS values through the same Kysely schema.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import * as sqliteVec from 'sqlite-vec';
import { postgresParsers, type Database, type Schema } from './db.ts';

/**
 * `sqlite:PATH` (or `sqlite::memory:`), `postgres://…`, or `pglite:` / `pglite:DIR[?setting=value…]` (PostgreSQL
 * compiled to WebAssembly; the test suite uses it for a PostgreSQL with pgvector).
 */
export async function openDatabase(url: string): Promise<Database> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  if (url.startsWith('pglite:')) return (await import('./pglite.ts')).openPglite(url.slice('pglite:'.length));
  throw new Error(`unsupported database URL (expected sqlite:, postgres:// or pglite:): ${url}`);
}

/**
 * Transactions begin IMMEDIATE, taking the write lock at once: a transaction that read first and
 * wrote second would fail at once (SQLITE_BUSY, no waiting) whenever another process (a second
 * server worker, an import) had written in between.
 */
class WritingSqliteDialect extends SqliteDialect {
  override createDriver() {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/** The change clock (migration 0020), prepared once the table exists. */
function clockReader(sqlite: SQLite.Database): () => number {
  let statement: SQLite.Statement | undefined;
  return () => Number((statement ??= sqlite.prepare('SELECT generation FROM change_clock WHERE id = 1').pluck()).get() ?? 0);
}

function openSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL'); // safe with WAL: a crash loses at most the last commit
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqliteVec.load(sqlite); // vector distance functions for semantic search
  const db = new Kysely<Schema>({ dialect: new WritingSqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    ...(path !== ':memory:' && { file: resolve(path) }),
    readClock: clockReader(sqlite),
    async runScript(script) {
      sqlite.transaction(() => sqlite.exec(script))();
    },
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): Database {
  const types = {
    getTypeParser: (oid: number, format?: string) => postgresParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  // An idle connection the server drops (a restart, a failover) makes the pool emit 'error'; unheard,
  // that would end the process. The pool discards that client and the next query opens a new one.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async runScript(script) {
      // A multi-statement simple query runs as one implicit transaction in PostgreSQL.
      await pool.query(script);
    },
    close: () => db.destroy(),
  };
}

/** Answers when the database does; throws when it cannot be reached. */
export async function ping(database: Database): Promise<void> {
  await sql`SELECT 1`.execute(database.db);
}
