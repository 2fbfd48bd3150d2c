// A server over a test database, configured as an operator would with defaults.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../storage/db.ts';
import { buildServer } from '../app/server.ts';
import type { TestBackend } from './backends.ts';
import { loadFixtures } from './fixtures.ts';

export async function testApp(database: Database, env: Record<string, string> = {}, options: { now?: () => Date } = {}) {
  const config = loadConfig({
    PUBLIC_URL: 'http://papers.test',
    RATE_LIMIT_PER_MINUTE: '100000',
    SEARCH_RATE_LIMIT_PER_MINUTE: '100000',
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'paperboy-outbox-')),
    ...env,
  });
  return buildServer({ config, database, logger: pino({ level: 'silent' }), now: options.now });
}

/** Within a describe(): one app over the fixture library on `backend`, shared by its tests. */
export function useFixtureServer(backend: TestBackend): { app: FastifyInstance; db: Database } {
  const server = {} as { app: FastifyInstance; db: Database };
  before(async () => {
    server.db = await backend.fresh();
    await loadFixtures(server.db);
    server.app = await testApp(server.db);
  });
  after(async () => {
    await server.app?.close();
    await backend.dispose();
  });
  return server;
}

export function useFixtureApp(backend: TestBackend): () => FastifyInstance {
  const server = useFixtureServer(backend);
  return () => server.app;
}
