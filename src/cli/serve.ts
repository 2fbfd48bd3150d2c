// `paperboy serve`: the web site on every core. The first process migrates the database, loads the
// demo papers, runs the schedules and the background embedding, and starts `--workers` processes
// (node:cluster) that each build the server and share one port. With one worker it is all one
// process. Each worker keeps its own response cache and search structures; the database is what
// they share (its change clock tells every cache what changed, docs/deploy.md).
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Database } from '../storage/db.ts';
import { makeSources, type Sources } from '../ingest/run.ts';
import { scheduleIngest } from '../ingest/schedule.ts';
import { scheduleDigests } from '../digests/schedule.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import { buildServer } from '../app/server.ts';
import { relaySnapshotRequests } from '../http/metrics.ts';
import { rememberPublicUrl } from './public-url.ts';
import { loadDemoData } from '../demo/demo.ts';
import { startBackgroundEmbedding } from '../search/embedding/background.ts';
import { canSearchVectors, NO_PGVECTOR } from '../search/embedding/vectors.ts';

interface Opened {
  config(): Config;
  /** The database at the latest schema version (migrating it). */
  open(c: Config): Promise<Database>;
  /** The database as it is (a worker's: the first process migrated it). */
  reach(c: Config): Promise<Database>;
}

/** A worker that dies is started again, but not in a tight loop when it dies at start. */
const RESTART_DELAY_MS = 1000;

export function registerServe(program: Command, opened: Opened) {
  program
    .command('serve')
    .description('run the web site and API')
    .option('--demo', 'load the bundled demo papers when the database is empty')
    .option('--workers <n>', 'server processes sharing the port (default: one per core)', parseWorkers)
    .action(async (options: { demo?: boolean; workers?: number }) => {
      const c = opened.config();
      const logger = pino({ level: c.LOG_LEVEL });
      if (cluster.isWorker) return serveRequests(c, logger, await opened.reach(c));
      const database = await opened.open(c);
      await rememberPublicUrl(c, database, logger);
      if (options.demo) {
        const summary = await loadDemoData(database);
        if (summary) logger.info(summary, 'loaded demo papers into the empty database');
      }
      const jobs = await startJobs(c, database, logger);
      const workers = options.workers ?? availableParallelism();
      if (workers === 1) return serveRequests(c, logger, database, jobs);
      startWorkers(workers, c.WORKER_HEAP_MB, logger, async () => {
        await jobs.stop();
        await database.close();
      });
    });
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error('--workers must be a whole number from 1 to 256');
  return n;
}

interface Jobs {
  mailer: Mailer;
  sources: Sources;
  stop(): Promise<void>;
}

/** What runs once per instance rather than once per worker: the ingest and digest schedules, embedding. */
async function startJobs(c: Config, database: Database, logger: Logger): Promise<Jobs> {
  const mailer = createMailer({ smtpUrl: c.SMTP_URL, from: c.MAIL_FROM, outboxDir: c.OUTBOX_DIR });
  const sources = makeSources(c, database);
  const schedule = scheduleIngest(c, database, sources, logger);
  const digests = scheduleDigests(c, { database, mailer, config: c, now: () => new Date() }, logger);
  if (c.EMBEDDER !== 'none' && !(await canSearchVectors(database))) logger.warn(NO_PGVECTOR);
  const embedding = c.EMBEDDER === 'none' ? null : startBackgroundEmbedding(c, database, logger);
  return {
    mailer,
    sources,
    async stop() {
      await schedule?.stop(); // a running ingest stops at its next page; stored pages stay
      digests?.stop();
      await embedding?.stop();
      mailer.close();
    },
  };
}

/** Serves until SIGTERM or SIGINT, then finishes the requests in flight and closes cleanly (and stops the jobs, if it runs them). */
async function serveRequests(c: Config, logger: Logger, database: Database, jobs?: Jobs) {
  const mailer = jobs?.mailer ?? createMailer({ smtpUrl: c.SMTP_URL, from: c.MAIL_FROM, outboxDir: c.OUTBOX_DIR });
  const app = await buildServer({ config: c, database, logger, mailer, sources: jobs?.sources ?? makeSources(c, database) });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    await app.close(); // stops accepting, waits for in-flight requests
    if (jobs) await jobs.stop();
    else mailer.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: c.PORT, host: c.HOST });
}

/** Starts the workers and keeps them running; on SIGTERM or SIGINT waits for them, then stops the jobs. */
function startWorkers(count: number, heapMb: number, logger: Logger, stop: () => Promise<void>) {
  let closing = false;
  cluster.setupPrimary({ execArgv: [...process.execArgv, `--max-old-space-size=${heapMb}`] });
  relaySnapshotRequests();
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (closing) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void stop().then(() => process.exit(0));
      return;
    }
    logger.error({ worker: worker.process.pid, code, signal }, 'a server worker stopped; starting another');
    setTimeout(() => cluster.fork(), RESTART_DELAY_MS);
  });
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal, workers: count }, 'shutting down: the workers finish their requests in flight');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
