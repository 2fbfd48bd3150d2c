// Requests per second under load, as an operator would measure them: `paperboy serve` started as
// a real process (one worker per core) on the benchmark's database, and `wrk` on loopback with 50
// connections, 10 s a URL. Each figure is also a ratio to a Fastify hello-world (as many workers)
// measured in the same run, since machines here are noisy.
//   - the home page, the busiest day's page and `/api/daily_papers?date=` (targets: ≥ 5,000
//     requests/s each, p99 ≤ 20 ms);
//   - a member's vote through the API while the home page is under that load (target: p99 ≤ 50 ms);
//   - each server process's memory after the load and a few searches, vectors loaded (target:
//     ≤ 300 MB).
// Alone: `node --import tsx bench/throughput.ts FILE.db` on a database that `npm run bench` (or an
// import and `paperboy embed`) filled.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createApiToken } from '../src/accounts/api-tokens.ts';
import { createMember } from '../src/accounts/members.ts';
import type { Database } from '../src/storage/db.ts';
import { openDatabase } from '../src/storage/open.ts';
import { busiestDay } from './for-you.ts';
import { percentile } from './search.ts';

type Line = (name: string, value: string, note?: string) => void;
const WORKERS = availableParallelism();
const SECONDS = 10;
const ROOT = new URL('../', import.meta.url);

interface Load {
  rps: number;
  p99: number;
}

export async function benchThroughput(line: Line, database: Database, file: string) {
  if (spawnSync('wrk', ['--version']).error) {
    line('throughput', 'skipped', 'needs wrk (Debian: apt-get install wrk)');
    return;
  }
  const hello = await start(process.execPath, ['--import', 'tsx', 'bench/hello-world.ts', String(WORKERS)], {});
  const baseline = wrk(`${hello.url}/`);
  await stop(hello.child);
  line(`Fastify hello-world, ${WORKERS} workers`, `${Math.round(baseline.rps)} req/s`, `p99 ${baseline.p99.toFixed(1)} ms (the baseline)`);

  // Votes are limited to 60 a minute per member: five members share the 200 votes.
  const tokens = await Promise.all([1, 2, 3, 4, 5].map((i) => voterToken(database, i)));
  const day = await busiestDay(database);
  const paperboy = await start(process.execPath, ['bin/paperboy.js', 'serve', '--workers', String(WORKERS)], {
    DATABASE_URL: `sqlite:${file}`,
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'info', // request lines are at debug; info says where it listens
    INGEST_SCHEDULE: '',
    DIGEST_SCHEDULE: '',
  });
  for (const path of ['/', `/papers/date/${day}`, `/api/daily_papers?date=${day}`]) {
    const load = wrk(`${paperboy.url}${path}`);
    line(
      `GET ${path.length > 30 ? `${path.slice(0, 30)}…` : path} (wrk, 50 conn.)`,
      `${Math.round(load.rps)} req/s`,
      `p99 ${load.p99.toFixed(1)} ms; ${(load.rps / baseline.rps).toFixed(2)}× hello-world; target ≥ 5000 req/s (${(load.rps / 5000).toFixed(2)}×), p99 ≤ 20 ms`,
    );
  }
  const votes = await votesUnderLoad(paperboy.url, tokens, day, database);
  line(
    'vote during home-page load (API, p99)',
    `${percentile(votes, 99).toFixed(1)} ms`,
    `p50 ${percentile(votes, 50).toFixed(1)} ms, ${votes.length} votes; target ≤ 50 ms (${(percentile(votes, 99) / 50).toFixed(2)}×)`,
  );
  for (const q of ['video generation', 'how to make LLM inference cheaper', 'graph neural networks'])
    for (let i = 0; i < WORKERS * 2; i++) await fetch(`${paperboy.url}/search?q=${encodeURIComponent(q)}`);
  for (const [role, pid] of processes(paperboy.child.pid!)) {
    const { rss, peak } = memory(pid);
    line(`memory, ${role}`, `${rss} MB`, `peak ${peak} MB; target ≤ 300 MB (${(rss / 300).toFixed(2)}×)`);
  }
  await stop(paperboy.child);
}

async function voterToken(database: Database, n: number): Promise<string> {
  const now = new Date();
  const name = `bench-${Date.now()}-${n}`;
  const member = await createMember(database, { name, email: `${name}@example.org`, password: null }, now);
  if (typeof member === 'string') throw new Error(`cannot create the benchmark's member: ${member}`);
  return (await createApiToken(database, member.id, 'throughput benchmark', now)).token;
}

/** Starts a server that logs Fastify's "Server listening at" line; resolves with its address. */
function start(command: string, args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk;
      const url = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${output.slice(-2000)}`)));
  });
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function wrk(url: string, seconds = SECONDS): Load {
  // A server runs for days: its first seconds (each worker rendering, compiling its hot code) are
  // not what it serves at, so they are run and not measured.
  spawnSync('wrk', ['-t2', '-c50', '-d3s', url]);
  const out = spawnSync('wrk', ['-t2', '-c50', `-d${seconds}s`, '--latency', url], { encoding: 'utf8' }).stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const [, value, unit] = /99%\s+([\d.]+)(us|ms|s)/.exec(out) ?? [];
  if (!rps || !value) throw new Error(`could not read wrk's output:\n${out}`);
  if (/Non-2xx/.test(out)) throw new Error(`${url} answered errors under load:\n${out}`);
  return { rps, p99: Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1) };
}

/** Upvotes and takes back papers of the day, one at a time, while wrk loads the home page. */
async function votesUnderLoad(url: string, tokens: string[], day: string, database: Database): Promise<number[]> {
  const papers = await database.db
    .selectFrom('listing')
    .innerJoin('paper', 'paper.id', 'listing.paper_id')
    .select('paper.arxiv_id')
    .where('listing.day', '=', day)
    .limit(50)
    .execute();
  const load = spawn('wrk', ['-t2', '-c50', `-d${SECONDS}s`, `${url}/`], { stdio: 'ignore' });
  const loaded = new Promise((resolve) => load.once('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const times: number[] = [];
  for (let round = 0; times.length < 200 && round < 4; round++)
    for (const [i, { arxiv_id }] of papers.entries()) {
      const headers = { authorization: `Bearer ${tokens[i % tokens.length]}` };
      const started = performance.now();
      const res = await fetch(`${url}/api/papers/${arxiv_id}/upvote`, { method: round % 2 ? 'DELETE' : 'POST', headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`a vote answered ${res.status}`);
      times.push(performance.now() - started);
    }
  await loaded;
  return times;
}

/** The server's processes: the first and, with workers, each worker (its children). */
function processes(pid: number): [string, number][] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return [['first process (schedules, embedding)', pid], ...children.map((c, i): [string, number] => [`worker ${i + 1}`, c])];
}

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node --import tsx bench/throughput.ts FILE.db');
  const database = await openDatabase(`sqlite:${file}`);
  await benchThroughput((name, value, note = '') => console.log(`${name.padEnd(44)} ${value.padStart(14)}  ${note}`), database, file);
  await database.close();
}
