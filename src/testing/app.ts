// A server over a test database, configured as an operator would with defaults.
import { pino } from 'pino';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../storage/db.ts';
import { buildServer } from '../web/server.ts';

export async function testApp(database: Database, env: Record<string, string> = {}) {
  const config = loadConfig({ PUBLIC_URL: 'http://papers.test', RATE_LIMIT_PER_MINUTE: '100000', ...env });
  return buildServer({ config, database, logger: pino({ level: 'silent' }) });
}
