// The databases every storage-touching test runs against: embedded SQLite, PGlite (PostgreSQL in
// WebAssembly, with pgvector), and a real PostgreSQL server when TEST_POSTGRES_URL names one
// (.ci/run starts it). On CI a missing server is an error, not a silent skip.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database } from '../storage/db.ts';
import { openDatabase } from '../storage/open.ts';
import { migrate } from '../storage/migrate.ts';

export interface TestBackend {
  name: 'sqlite' | 'pglite' | 'postgres';
  /** Why the backend cannot run here, if it cannot. */
  skip: string | false;
  /** An empty database (migrated unless told otherwise); the previous one handed out is closed. */
  fresh(options?: { migrated?: boolean }): Promise<Database>;
  dispose(): Promise<void>;
}

const RESET_SCHEMA = 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;';

function sqliteBackend(): TestBackend {
  let current: Database | null = null;
  return {
    name: 'sqlite',
    skip: false,
    async fresh({ migrated = true } = {}) {
      await current?.close();
      current = await openDatabase('sqlite::memory:');
      if (migrated) await migrate(current);
      return current;
    },
    async dispose() {
      await current?.close();
      current = null;
    },
  };
}

/** One PostgreSQL database per test file, emptied by recreating its schema for each test. */
function postgresBackend(
  name: 'pglite' | 'postgres',
  open: () => Promise<{ url: string; drop?: () => Promise<void> }>,
  skip: string | false,
): TestBackend {
  let database: Database | null = null;
  let drop: (() => Promise<void>) | undefined;
  return {
    name,
    skip,
    async fresh({ migrated = true } = {}) {
      if (!database) {
        const opened = await open();
        database = await openDatabase(opened.url);
        drop = opened.drop;
      }
      await database.runScript(RESET_SCHEMA);
      if (migrated) await migrate(database);
      return { ...database, close: async () => {} }; // shared: closed by dispose()
    },
    async dispose() {
      await database?.close();
      await drop?.();
      database = null;
    },
  };
}

const serverUrl = process.env.TEST_POSTGRES_URL;
const missing = process.env.CI ? false : 'set TEST_POSTGRES_URL to a PostgreSQL server (.ci/run does)';

/** A new database on the PostgreSQL server of TEST_POSTGRES_URL, and how to drop it. */
async function newPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `paperboy_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testBackends(): TestBackend[] {
  if (!serverUrl && process.env.CI) throw new Error('CI run without TEST_POSTGRES_URL: .ci/run must start PostgreSQL');
  return [
    sqliteBackend(),
    postgresBackend('pglite', async () => ({ url: 'pglite:' }), false),
    postgresBackend('postgres', newPostgresDatabase, serverUrl ? false : missing),
  ];
}

/** Databases that other processes open too, by URL: a SQLite file, and a PostgreSQL database when there is a server. */
export function sharedDatabases(): {
  name: 'sqlite' | 'postgres';
  skip: string | false;
  create(): Promise<{ url: string; drop: () => Promise<void> }>;
}[] {
  return [
    {
      name: 'sqlite',
      skip: false,
      create: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'paperboy-shared-'));
        return { url: `sqlite:${join(dir, 'paperboy.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
    { name: 'postgres', skip: serverUrl ? false : missing, create: newPostgresDatabase },
  ];
}
