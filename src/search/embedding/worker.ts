// The background embedding run (background.ts), inside its worker thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config/config.ts';
import { openDatabase } from '../../storage/open.ts';
import { embedPapers } from './job.ts';

const config = workerData.config as Config;
const database = await openDatabase(config.DATABASE_URL);
try {
  parentPort!.postMessage(await embedPapers(database, config));
} finally {
  await database.close();
}
