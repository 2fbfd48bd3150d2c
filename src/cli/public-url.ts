// PUBLIC_URL goes into every feed, API link and mail. `paperboy serve` stores the one it runs with,
// so that command-line jobs (`digest send`, the sign-in link of `user create-admin`) write the same
// links when PUBLIC_URL is not set for them; serve warns when it has none and listens beyond
// loopback, where the default (http://localhost:PORT) is wrong for everyone but the machine itself.
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Database } from '../storage/db.ts';
import { readSetting, writeSetting } from '../storage/settings.ts';

const KEY = 'public_url';

/** Takes the stored public URL when PUBLIC_URL is not set (changing `c`). */
export async function usePublicUrl(c: Config, database: Database): Promise<void> {
  if (c.PUBLIC_URL_FROM === 'environment') return;
  const stored = await readSetting(database, KEY).catch(() => null); // no setting table before the first migration
  if (stored) Object.assign(c, { PUBLIC_URL: stored, PUBLIC_URL_FROM: 'database' });
}

/** For serve: stores PUBLIC_URL when set, else warns when the default would be wrong for visitors. */
export async function rememberPublicUrl(c: Config, database: Database, logger: Logger): Promise<void> {
  if (c.PUBLIC_URL_FROM === 'environment') return writeSetting(database, KEY, c.PUBLIC_URL);
  if (c.PUBLIC_URL_FROM === 'database')
    logger.info({ publicUrl: c.PUBLIC_URL }, 'PUBLIC_URL is not set: using the one stored by an earlier serve');
  else if (!/^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(c.HOST))
    logger.warn(
      { host: c.HOST, publicUrl: c.PUBLIC_URL },
      `PUBLIC_URL is not set, so feeds, API links and mails point at ${c.PUBLIC_URL}: set it to the address visitors use (https://papers.example.org)`,
    );
}
