// `npm run bench`: figures for the targets in the issues, printed with their ratio to the target.
//   import: all 74.7k papers of arxiv-daily-cs into a fresh SQLite database (target: under 60 s),
//           then the same file again (idempotent: everything unchanged);
//   pages:  p50/p95 of rendering the home page, a month page and the API on that database;
//   throughput: `paperboy serve` under wrk, beside a Fastify hello-world; a vote under that load;
//           each server process's memory (bench/throughput.ts);
//   search: keyword and hybrid search latency over 400 realistic queries, and training + embedding
//           the built-in model (bench/search.ts);
//   For you: a day's 500 papers ranked for 10,000 members, and one member learned + ranked (bench/for-you.ts);
//   digests: 10,000 subscribers' digests built and delivered to a local SMTP server (bench/digests.ts);
//   ingest: RSS and OAI-PMH parse + upsert throughput (bench/ingest.ts).
// BENCH_POSTGRES_URL=postgres://… runs the same on a PostgreSQL server (hybrid search too where it
// has pgvector; pglite:DIR for PGlite, which has; pglite:DIR?shared_buffers=768MB to give it room).
// BENCH_MILLION=1 adds hybrid search on a synthetic 1M-paper corpus (bench/synthetic.ts; about 30
// minutes, 10 GB of disk). Keyword-only search is not timed there: long questions take seconds.
// BENCH_MILLION_DB=FILE keeps that database (and its saved vector graph) in FILE, and a later run
// with the same FILE times the search again without rebuilding anything.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { importPaths } from '../src/importer/import.ts';
import { type Database } from '../src/storage/db.ts';
import { openDatabase } from '../src/storage/open.ts';
import { migrate } from '../src/storage/migrate.ts';
import { datasetPath } from '../src/testing/datasets.ts';
import { buildServer } from '../src/app/server.ts';
import { benchIngest } from './ingest.ts';
import { benchDigests } from './digests.ts';
import { benchForYou } from './for-you.ts';
import { benchThroughput } from './throughput.ts';
import { benchHybrid, benchKeyword, percentile } from './search.ts';
import { writeSyntheticCorpus } from './synthetic.ts';
import { canSearchVectors } from '../src/search/embedding/vectors.ts';

const CORPUS = datasetPath('arxiv-daily-cs/papers.jsonl.gz');
const IMPORT_TARGET_S = 60;
const HYBRID_TARGET_MS = 30;
const MILLION_TARGET_MS = 150;
const POSTGRES_TARGET_RATIO = 1.5; // hybrid search on PostgreSQL, warm p95, against SQLite's in the same run

function line(name: string, value: string, note = '') {
  console.log(`${name.padEnd(44)} ${value.padStart(14)}  ${note}`);
}

async function benchImport(label: string, database: Database) {
  await migrate(database);
  let start = performance.now();
  const first = await importPaths(database, [CORPUS]);
  const seconds = (performance.now() - start) / 1000;
  const papers = first.new + first.updated + first.unchanged;
  line(
    `import ${label}: ${papers} papers`,
    `${seconds.toFixed(1)} s`,
    `${Math.round(papers / seconds)} papers/s; target < ${IMPORT_TARGET_S} s (${(seconds / IMPORT_TARGET_S).toFixed(2)}× of budget)`,
  );
  start = performance.now();
  const again = await importPaths(database, [CORPUS]);
  const rerun = (performance.now() - start) / 1000;
  line(
    `re-import ${label} (idempotent)`,
    `${rerun.toFixed(1)} s`,
    `${again.unchanged} unchanged, ${again.new} new, ${again.updated} updated`,
  );
}

async function benchPages(database: Database) {
  // Rendering, as a stranger's first request (or any member's) costs it: the response cache is off here.
  const config = loadConfig({ RATE_LIMIT_PER_MINUTE: '1000000', RESPONSE_CACHE_MB: '0' });
  const app = await buildServer({ config, database, logger: pino({ level: 'silent' }) });
  for (const url of ['/', '/papers/month/2026-05', '/papers/2506.11924', '/api/daily_papers?month=2026-05&limit=100']) {
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      const res = await app.inject({ method: 'GET', url });
      times.push(performance.now() - start);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    }
    line(
      `GET ${url}`,
      `p50 ${percentile(times, 50).toFixed(1)} ms`,
      `p95 ${percentile(times, 95).toFixed(1)} ms (rendered in-process, no cache, 200 requests)`,
    );
  }
  await app.close();
}

const sqliteFile = join(mkdtempSync(join(tmpdir(), 'paperboy-bench-')), 'bench.db');
const sqlite = await openDatabase(`sqlite:${sqliteFile}`);
await benchImport('SQLite', sqlite);
await benchPages(sqlite);
await benchKeyword(line, sqlite, 'SQLite');
const sqliteHybridP95 = await benchHybrid(line, sqlite, 'SQLite', HYBRID_TARGET_MS);
await benchThroughput(line, sqlite, sqliteFile);
await benchForYou(line, sqlite);
await benchDigests(line, sqlite);
await sqlite.close();
await benchIngest(line);
line('peak resident memory', `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

if (process.env.BENCH_MILLION) {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
  const file = process.env.BENCH_MILLION_DB ?? join(dir, 'million.db');
  const built = existsSync(file);
  const million = await openDatabase(`sqlite:${file}`);
  await migrate(million);
  if (!built) {
    await writeSyntheticCorpus(join(dir, 'million.jsonl'), 1_000_000);
    const start = performance.now();
    await importPaths(million, [join(dir, 'million.jsonl')]);
    line('import SQLite: 1M synthetic papers', `${((performance.now() - start) / 1000).toFixed(0)} s`);
  }
  await benchHybrid(line, million, 'SQLite 1M', MILLION_TARGET_MS);
  await million.close();
  line('peak resident memory', `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

if (process.env.BENCH_POSTGRES_URL) {
  const pg = await openDatabase(process.env.BENCH_POSTGRES_URL);
  await pg.runScript('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await benchImport('PostgreSQL', pg);
  await benchPages(pg);
  await benchKeyword(line, pg, 'PostgreSQL');
  if (await canSearchVectors(pg)) {
    const ratio = (await benchHybrid(line, pg, 'PostgreSQL', HYBRID_TARGET_MS)) / sqliteHybridP95;
    line(
      'hybrid search PostgreSQL / SQLite',
      `${ratio.toFixed(2)}×`,
      `warm p95, this run; target ≤ ${POSTGRES_TARGET_RATIO}× (${(ratio / POSTGRES_TARGET_RATIO).toFixed(2)}× of budget)`,
    );
    await benchForYou(line, pg);
  } else line('hybrid search PostgreSQL', 'skipped', 'this server has no pgvector (PGlite has: BENCH_POSTGRES_URL=pglite:DIR)');
  await pg.close();
  await benchIngest(line, process.env.BENCH_POSTGRES_URL);
}
