import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../storage/open.ts';
import { datasetPath } from '../testing/datasets.ts';
import { dumpPapers } from '../testing/dump.ts';
import { loadDailyPapers } from '../testing/oai-stream.ts';
import { recordedRoutes, replayConfig } from '../testing/recorded.ts';
import { startReplay, type ReplayServer } from '../testing/replay.ts';

const bin = new URL('../../bin/paperboy.js', import.meta.url).pathname;
const PAGES = 6;
let server: ReplayServer;
let env: Record<string, string>;

before(async () => {
  const routes = recordedRoutes({
    oaiPapers: loadDailyPapers(PAGES * 100),
    oaiPageSize: 100,
    hfDays: { '2025-06-16': readFileSync(datasetPath('hf-daily-papers/raw-sample/2025-06-16.json'), 'utf8') },
  });
  // OAI pages answer slowly enough for a test to kill the harvester between two of them.
  server = await startReplay((url) => {
    const reply = routes(url);
    return reply && url.pathname === '/oai' ? { ...reply, delayMs: 150 } : reply;
  });
  env = replayConfig(server.url);
});
after(() => server.close());

function tempDb(): string {
  return `sqlite:${join(mkdtempSync(join(tmpdir(), 'paperboy-ingest-')), 'test.db')}`;
}

/** Runs the CLI without blocking: the replay server answering it lives in this process. */
function paperboy(args: string[], extra: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env, ...extra } });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function dump(url: string) {
  const db = await openDatabase(url);
  try {
    return await dumpPapers(db);
  } finally {
    await db.close();
  }
}

const harvest = ['ingest', 'arxiv', '--from', '2025-03-17', '--categories', 'cs.CV'];

test('kill -9 in the middle of a harvest, run it again: the database equals an uninterrupted run', async () => {
  const reference = tempDb();
  const full = await paperboy(harvest, { DATABASE_URL: reference });
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stdout, /600 new, 0 updated, 0 unchanged, 0 rejected/);

  const interrupted = tempDb();
  const before = server.requests.length;
  const child = spawn(process.execPath, [bin, ...harvest], { env: { ...process.env, ...env, DATABASE_URL: interrupted }, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  while (server.requests.length - before < 3) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL'); // while the third page is in flight
  assert.equal(await exited, 'SIGKILL');
  const partial = await dump(interrupted);
  assert.ok(partial.length > 0 && partial.length < 600, `${partial.length} papers stored before the kill`);

  const resumedFrom = server.requests.length;
  const rerun = await paperboy(harvest, { DATABASE_URL: interrupted });
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(server.requests[resumedFrom]!.url.search, /resumptionToken=page-/); // it resumed, not restarted
  assert.ok(server.requests.length - resumedFrom < PAGES);
  assert.deepEqual(await dump(interrupted), await dump(reference));
});

test('ingest rss --dry-run reports and writes nothing; ingest rss lists the day', async () => {
  const db = tempDb();
  const dry = await paperboy(['ingest', 'rss', '--dry-run'], { DATABASE_URL: db });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /announcement of 2024-11-28/);
  assert.match(dry.stdout, /dry run, nothing written: would be \d+ new/);
  assert.match((await paperboy(['status'], { DATABASE_URL: db })).stdout, /no ingest has run yet/);
  const real = await paperboy(['ingest', 'rss'], { DATABASE_URL: db });
  assert.match(real.stdout, /^announcement of 2024-11-28\n\d+ new, 0 updated/m);
});

test('a failed run says why, on the command line and in paperboy status', async () => {
  const db = tempDb();
  const failed = await paperboy(['ingest', 'rss', '--categories', 'astroph'], { DATABASE_URL: db });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /Bad archive 'astroph'/);
  const status = await paperboy(['status'], { DATABASE_URL: db });
  assert.match(status.stdout, /^rss$/m);
  assert.match(status.stdout, /last error {4}arXiv RSS error: Bad archive 'astroph'/);
});

test('ingest paper and ingest hf; bad arguments and a missing contact are clear errors', async () => {
  const db = tempDb();
  const paper = await paperboy(['ingest', 'paper', 'https://arxiv.org/abs/2104.12255v1'], { DATABASE_URL: db });
  assert.match(paper.stdout, /arXiv:2104\.12255\n1 new/);
  const hf = await paperboy(['ingest', 'hf', '--date', '2025-06-16'], { DATABASE_URL: db });
  assert.match(hf.stdout, /9 new, 0 updated/);
  assert.match((await paperboy(['ingest', 'hf', '--date', '2025-02-30'], { DATABASE_URL: db })).stderr, /not a date/);
  assert.match((await paperboy(['ingest', 'paper', 'nonsense'], { DATABASE_URL: db })).stderr, /not an arXiv identifier/);
  const anonymous = await paperboy(['ingest', 'rss'], { DATABASE_URL: db, CONTACT_EMAIL: '' });
  assert.equal(anonymous.code, 1);
  assert.match(anonymous.stderr, /set CONTACT_EMAIL/);
});

test('ARXIV_REQUEST_INTERVAL_MS below 3000 is refused for the real arXiv', async () => {
  const r = await paperboy(['config'], { ARXIV_RSS_URL: 'https://rss.arxiv.org/rss', ARXIV_REQUEST_INTERVAL_MS: '100' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /at least 3000 ms/);
});

test('serve runs the daily ingest on its schedule, and the day appears on the site', async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: tempDb(),
      PORT: String(port),
      INGEST_SCHEDULE: '*/2 * * * * *',
      ARXIV_CATEGORIES: 'cs.CV',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  try {
    for (let i = 0; i < 300 && !log.includes('daily ingest done'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(log, /daily ingest scheduled/);
    assert.match(log, /daily ingest done/);
    // RSS listed the announcement of 28 November 2024; the OAI catch-up brought the rest.
    const day = await (await fetch(`http://127.0.0.1:${port}/papers/date/2024-11-28`)).text();
    assert.match(day, /<p class="muted">\d+ papers, ranked by upvotes<\/p>/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
});
