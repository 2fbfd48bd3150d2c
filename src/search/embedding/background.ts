// The server keeps vectors up to date by itself: every minute, if no run is going, a worker thread
// runs what `paperboy embed` runs (train when needed, embed papers lacking a vector). A thread,
// because training the built-in model on a big corpus is a minute of arithmetic the web server
// must not wait for. Papers imported or ingested by any process are picked up at the next tick.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { EmbedSummary } from './job.ts';
import { projectFile } from '../../util/project.ts';

const EVERY_MS = 60_000;

export function startBackgroundEmbedding(config: Config, logger: Logger): { stop(): Promise<void> } {
  let worker: Worker | null = null;
  const tick = () => {
    if (worker) return;
    worker = new Worker(projectFile('bin/worker.js'), {
      workerData: { module: 'src/search/embedding/worker.ts', config },
    });
    worker.on('message', (summary: EmbedSummary) => {
      if (summary.embedded > 0 || summary.trained) logger.info(summary, 'embedded papers for semantic search');
    });
    worker.on('error', (err) => logger.error({ err }, 'background embedding failed; retrying at the next tick'));
    worker.on('exit', () => (worker = null));
  };
  const timer = setInterval(tick, EVERY_MS);
  timer.unref();
  setImmediate(tick);
  return {
    async stop() {
      clearInterval(timer);
      await worker?.terminate(); // a run cut short resumes at the next start: only missing vectors are made
    },
  };
}
