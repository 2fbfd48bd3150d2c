// The server keeps vectors up to date by itself: every minute, if no run is going, a worker thread
// runs what `paperboy embed` runs (train when needed, embed papers lacking a vector). A thread,
// because training the built-in model on a big corpus is a minute of arithmetic the web server
// must not wait for. Papers imported or ingested by any process are picked up at the next tick.
// With several server processes or machines on one database, one runs it at a time: the holder of
// the `embedding` lease, renewed every tick while its run goes on.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { releaseLease, takeLease } from '../../coordination/leases.ts';
import type { Database } from '../../storage/db.ts';
import type { EmbedSummary } from './job.ts';
import { projectFile } from '../../util/project.ts';

const EVERY_MS = 60_000;
const LEASE = 'embedding';
/** Three ticks: a holder that dies frees the job within three minutes. */
const LEASE_MS = 3 * EVERY_MS;

/**
 * Runs `job` (`paperboy embed`) holding the embedding lease, renewed every minute, so that no
 * server embeds at the same time; refuses while a server's run holds it.
 */
export async function withEmbeddingLease<T>(database: Database, job: () => Promise<T>): Promise<T> {
  if (!(await takeLease(database, LEASE, LEASE_MS, Date.now())))
    throw new Error('a server is embedding papers now (it holds the embedding lease): wait for it to finish, or stop it first');
  const renew = setInterval(() => void takeLease(database, LEASE, LEASE_MS, Date.now()).catch(() => {}), EVERY_MS);
  try {
    return await job();
  } finally {
    clearInterval(renew);
    await releaseLease(database, LEASE);
  }
}

export function startBackgroundEmbedding(config: Config, database: Database, logger: Logger): { stop(): Promise<void> } {
  let worker: Worker | null = null;
  const run = () => {
    worker = new Worker(projectFile('bin/worker.js'), {
      workerData: { module: 'src/search/embedding/worker.ts', config },
    });
    worker.on('message', (summary: EmbedSummary) => {
      if (summary.embedded > 0 || summary.trained) logger.info(summary, 'embedded papers for semantic search');
    });
    worker.on('error', (err) => logger.error({ err }, 'background embedding failed; retrying at the next tick'));
    worker.on('exit', () => {
      worker = null;
      releaseLease(database, LEASE).catch(() => {}); // else it expires
    });
  };
  const tick = async () => {
    const held = await takeLease(database, LEASE, LEASE_MS, Date.now());
    if (held && !worker) run();
  };
  const timer = setInterval(
    () => void tick().catch((err: Error) => logger.warn({ err: err.message }, 'background embedding: no lease')),
    EVERY_MS,
  );
  timer.unref();
  setImmediate(() => void tick().catch(() => {}));
  return {
    async stop() {
      clearInterval(timer);
      await worker?.terminate(); // a run cut short resumes at the next start: only missing vectors are made
    },
  };
}
