// Ingest throughput: parse + upsert, with the politeness waits taken out (interval 0 against a local
// replay server), for the recorded 1,504-item whole-arXiv RSS day and a 50,000-record OAI-PMH stream
// of real metadata in pages of 1,000. Target: at least 2,000 papers/s on SQLite.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { ingestOai, ingestRss, makeSources } from '../src/ingest/run.ts';
import { type Database } from '../src/storage/db.ts';
import { openDatabase } from '../src/storage/open.ts';
import { migrate } from '../src/storage/migrate.ts';
import { loadDailyPapers } from '../src/testing/oai-stream.ts';
import { recordedRoutes, replayConfig } from '../src/testing/recorded.ts';
import { startReplay } from '../src/testing/replay.ts';

const TARGET = 2000; // papers/s
const OAI_RECORDS = 50_000;
const OAI_PAGE = 1000;

export async function benchIngest(line: (name: string, value: string, note?: string) => void, url?: string) {
  const server = await startReplay(recordedRoutes({ oaiPapers: loadDailyPapers(OAI_RECORDS), oaiPageSize: OAI_PAGE }));
  const config = loadConfig(replayConfig(server.url));
  const fresh = async (): Promise<Database> => {
    const db = await openDatabase(url ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'paperboy-bench-')), 'ingest.db')}`);
    if (url) await db.runScript('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await migrate(db);
    return db;
  };
  const label = url ? 'PostgreSQL' : 'SQLite';
  try {
    let db = await fresh();
    let start = performance.now();
    const rss = await ingestRss(
      { database: db, sources: makeSources(config) },
      [
        'astro-ph',
        'cond-mat',
        'physics',
        'quant-ph',
        'math',
        'cs',
        'econ',
        'eess',
        'gr-qc',
        'hep-ex',
        'hep-lat',
        'hep-ph',
        'hep-th',
        'math-ph',
        'nlin',
        'nucl-ex',
        'nucl-th',
        'q-bio',
        'q-fin',
        'stat',
      ],
      'America/New_York',
    );
    let seconds = (performance.now() - start) / 1000;
    let papers = rss.new + rss.updated + rss.unchanged;
    line(
      `ingest rss ${label}: ${papers} items (2.8 MB)`,
      `${Math.round(papers / seconds)}/s`,
      `${(seconds * 1000).toFixed(0)} ms; target ≥ ${TARGET}/s (${(papers / seconds / TARGET).toFixed(1)}×)`,
    );
    await db.close();

    db = await fresh();
    start = performance.now();
    const oai = await ingestOai({ database: db, sources: makeSources(config) }, ['cs.CV'], { from: '2025-01-01' });
    seconds = (performance.now() - start) / 1000;
    papers = oai.new + oai.updated + oai.unchanged;
    line(
      `ingest oai ${label}: ${papers} records (${oai.rejected} rejected), ${oai.requests} pages`,
      `${Math.round(papers / seconds)}/s`,
      `${seconds.toFixed(1)} s; target ≥ ${TARGET}/s (${(papers / seconds / TARGET).toFixed(1)}×); against arXiv add ${oai.requests} × 3 s of politeness`,
    );
    await db.close();
  } finally {
    await server.close();
  }
}
