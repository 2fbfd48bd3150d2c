// PGlite (PostgreSQL compiled to WebAssembly) behind Kysely's PostgreSQL dialect. It is a single
// connection, so the pool below lends it to one user at a time: a transaction is never interleaved
// with another caller's statements.
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { postgresParsers, type Database, type Schema } from './db.ts';

/**
 * bytea (the built-in model, 47 MB at 74.7k papers) is converted with Buffer's hex codec: PGlite's
 * own conversion makes a JS string per byte, and storing the model took 11 s and 3.8 GB of memory.
 */
const BYTEA = 17;

/**
 * `DIR` (or nothing, for memory), optionally followed by PostgreSQL settings, `?shared_buffers=768MB`:
 * its default 128 MB buffer cache cannot hold the vector index of 74.7k papers (195 MB), and search
 * reads from disk each time (hybrid search p95 31 → 25 ms with 768 MB, docs/search.md).
 */
export async function openPglite(location: string): Promise<Database> {
  const [dataDir = '', query = ''] = location.split('?');
  const settings = [...new URLSearchParams(query)].flatMap(([name, value]) => {
    if (!/^[a-z_.]+$/.test(name) || !/^[\w.]+$/.test(value)) throw new Error(`not a PostgreSQL setting: ${name}=${value}`);
    return ['-c', `${name}=${value}`];
  });
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const pglite = await PGlite.create(dataDir || undefined, {
    parsers: { ...postgresParsers, [BYTEA]: (text: string) => Buffer.from(text.slice(2), 'hex') },
    serializers: { [BYTEA]: (bytes: Uint8Array) => `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}` },
    extensions: { vector },
    ...(settings.length ? { startParams: [...PGlite.defaultStartParams, ...settings] } : {}),
  });
  let queue: Promise<void> = Promise.resolve();

  const client = {
    async query(sql: string, params: unknown[]) {
      const result = await pglite.query(sql, params);
      const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
      return { command, rowCount: result.affectedRows ?? 0, rows: result.rows };
    },
    release: () => {},
  };
  const pool = {
    async connect() {
      let release!: () => void;
      const previous = queue;
      queue = new Promise((resolve) => (release = resolve));
      await previous;
      return { ...client, release };
    },
    async end() {
      await queue;
      await pglite.close();
    },
  };

  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: pool as never }) });
  return {
    db,
    dialect: 'postgres',
    async runScript(script) {
      const lease = await pool.connect();
      try {
        await pglite.transaction((tx) => tx.exec(script));
      } finally {
        lease.release();
      }
    },
    close: () => db.destroy(),
  };
}
