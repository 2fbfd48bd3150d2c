// The daily ingest inside `paperboy serve`, on the INGEST_SCHEDULE cron (in DAY_TIMEZONE). The
// default ticks hourly from 00:30 to 06:30 on weekdays, after arXiv's announcement is in its feed:
// the first tick does the work, later ones find the day done, and a failed tick is retried at the
// next one. Ticks never overlap, and shutdown stops a running job at its next page. With several
// server processes or machines on one database, each tick runs in the one that claims it first.
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Database } from '../storage/db.ts';
import { dailyIngest, type Sources } from './run.ts';
import { claimTick } from '../coordination/leases.ts';

export interface Schedule {
  stop(): Promise<void>;
}

export function scheduleIngest(config: Config, database: Database, sources: Sources, logger: Logger): Schedule | null {
  if (!config.INGEST_SCHEDULE) return null;
  if (!config.CONTACT_EMAIL) {
    logger.warn('daily ingest is off: set CONTACT_EMAIL (arXiv asks clients to say who runs them)');
    return null;
  }
  const abort = new AbortController();
  let running: Promise<unknown> | null = null;
  const job = new Cron(config.INGEST_SCHEDULE, { timezone: config.DAY_TIMEZONE, protect: true }, async () => {
    const { tick, mine } = await claimTick(database, 'ingest', new Date());
    if (!mine) return logger.debug({ tick }, 'another process runs this tick');
    logger.info({ tick }, 'daily ingest starts');
    running = dailyIngest({ database, sources, signal: abort.signal, log: (line) => logger.warn(line) }, config)
      .then((result) => logger.info({ result }, 'daily ingest done'))
      .catch((err: Error) => {
        if (!abort.signal.aborted) logger.error({ err: err.message }, 'daily ingest failed; the next tick retries');
      });
    await running;
    running = null;
  });
  logger.info({ next: job.nextRun()?.toISOString(), schedule: config.INGEST_SCHEDULE }, 'daily ingest scheduled');
  return {
    async stop() {
      job.stop();
      abort.abort();
      await running;
    },
  };
}
