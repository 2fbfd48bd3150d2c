// Digests inside `paperboy serve`, on DIGEST_SCHEDULE (cron, in DAY_TIMEZONE; by default 09:00,
// after the morning's ingest): daily digests every tick, weekly ones on WEEKLY_DIGEST_DAY. A tick
// that fails is logged and the next one picks up whatever is still unsent. With several server
// processes or machines on one database, each tick runs in the one that claims it first.
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { sendDigests, type MailContext } from './digest.ts';
import { claimTick } from '../coordination/leases.ts';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export function scheduleDigests(config: Config, mail: MailContext, logger: Logger): { stop(): void } | null {
  if (!config.DIGEST_SCHEDULE) return null;
  const job = new Cron(config.DIGEST_SCHEDULE, { timezone: config.DAY_TIMEZONE, protect: true }, async () => {
    const { tick, mine } = await claimTick(mail.database, 'digests', mail.now());
    if (!mine) return logger.debug({ tick }, 'another process runs this tick');
    const weekday = DAYS[new Date(mail.now().toLocaleString('en-US', { timeZone: config.DAY_TIMEZONE })).getDay()];
    for (const frequency of weekday === config.WEEKLY_DIGEST_DAY ? (['daily', 'weekly'] as const) : (['daily'] as const)) {
      try {
        logger.info({ frequency, summary: await sendDigests(mail, frequency) }, 'digests sent');
      } catch (err) {
        logger.error({ frequency, err: (err as Error).message }, 'sending digests failed; the next tick retries');
      }
    }
  });
  logger.info({ next: job.nextRun()?.toISOString(), mail: mail.mailer.description }, 'digests scheduled');
  return { stop: () => job.stop() };
}
