// Two `paperboy serve` processes on one database, as two machines behind a load balancer would run:
// each schedule tick runs in one of them, votes through both are counted exactly and show on both
// at once, a session made on one is good on the other, and throttles and rate limits count the
// requests of both.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createApiToken } from '../src/accounts/api-tokens.ts';
import { createMember } from '../src/accounts/members.ts';
import type { Database } from '../src/storage/db.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openDatabase } from '../src/storage/open.ts';
import { sharedDatabases } from '../src/testing/backends.ts';
import { loadFixtures, MATH_PAPER } from '../src/testing/fixtures.ts';
import { startReplay, type ReplayServer } from '../src/testing/replay.ts';

const bin = new URL('../bin/paperboy.js', import.meta.url).pathname;
const VOTERS = 30;

interface Server {
  url: string;
  log: () => string;
  child: ChildProcess;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [bin, 'serve', '--workers', '1'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (c) => (log += c));
  child.stderr!.on('data', (c) => (log += c));
  for (let i = 0; i < 300; i++) {
    const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1];
    if (url) return { url, log: () => log, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start:\n${log}`);
}

/** A browser's cookies over fetch. */
class Browser {
  readonly cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as object), ...(cookie && { cookie }) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return { status: res.status, body: await res.text() };
  }
  async submit(page: string, action: string, fields: Record<string, string>) {
    const form = await this.fetch(page);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    return this.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  }
}

for (const shared of sharedDatabases()) {
  describe(`two servers on one ${shared.name} database`, { skip: shared.skip }, () => {
    let database: Database;
    let drop: () => Promise<void>;
    let upstream: ReplayServer;
    const servers: Server[] = [];
    before(async () => {
      const made = await shared.create();
      drop = made.drop;
      database = await openDatabase(made.url);
      await migrate(database);
      await loadFixtures(database);
      upstream = await startReplay(() => ({ status: 404, body: 'nothing recorded' }));
      const env = {
        DATABASE_URL: made.url,
        PORT: '0',
        LOG_LEVEL: 'debug',
        EMBEDDER: 'none',
        // A tick every two seconds, against a local stand-in for arXiv and Hugging Face.
        INGEST_SCHEDULE: '*/2 * * * * *',
        CONTACT_EMAIL: 'ops@example.org',
        ARXIV_RSS_URL: `${upstream.url}/rss`,
        ARXIV_OAI_URL: `${upstream.url}/oai`,
        ARXIV_API_URL: `${upstream.url}/api/query`,
        HF_API_URL: `${upstream.url}/hf`,
        ARXIV_REQUEST_INTERVAL_MS: '0',
        DIGEST_SCHEDULE: '',
        AUTH_RATE_LIMIT_PER_HOUR: '8',
        RATE_LIMIT_PER_MINUTE: '100000',
      };
      servers.push(await startServer(env), await startServer(env));
    });
    after(async () => {
      for (const s of servers) s.child.kill('SIGKILL');
      await upstream?.close();
      await database?.close();
      await drop?.();
    });

    test('each schedule tick runs in one of the two', async () => {
      const ticks = () => servers.flatMap((s) => s.log().split('\n')).filter((l) => l.includes('"tick"'));
      const tickOf = (line: string) => JSON.parse(line).tick as string;
      const runsByTick = () => {
        const byTick = new Map<string, number>();
        for (const line of ticks().filter((l) => l.includes('daily ingest starts')))
          byTick.set(tickOf(line), (byTick.get(tickOf(line)) ?? 0) + 1);
        return byTick;
      };
      // A tick one process ran and the other left; either may log first, so wait for both lines.
      const leftAndRun = () => {
        const ran = runsByTick();
        return ticks().some((l) => l.includes('another process runs this tick') && ran.has(tickOf(l)));
      };
      for (let i = 0; i < 100 && !leftAndRun(); i++) await new Promise((r) => setTimeout(r, 100));
      const byTick = runsByTick();
      assert.ok(byTick.size >= 1, `an ingest ran:\n${ticks().join('\n')}`);
      for (const [tick, count] of byTick) assert.equal(count, 1, `${tick} ran ${count} times`);
      assert.ok(leftAndRun(), `the other process saw the same tick and left it:\n${ticks().join('\n')}`);
    });

    test('votes through both are counted exactly, and both show the new count at once', async () => {
      const count = async (server: Server) => (await (await fetch(`${server.url}/api/papers/${MATH_PAPER}`)).json()).upvotes as number;
      const before = await count(servers[0]!);
      assert.equal(await count(servers[1]!), before);
      const tokens = await Promise.all(
        Array.from({ length: VOTERS }, async (_, i) => {
          const member = await createMember(database, { name: `voter${i}`, email: `voter${i}@example.org`, password: null }, new Date());
          assert.ok(typeof member !== 'string');
          return (await createApiToken(database, member.id, 'votes', new Date())).token;
        }),
      );
      const votes = await Promise.all(
        tokens.map((token, i) =>
          fetch(`${servers[i % 2]!.url}/api/papers/${MATH_PAPER}/upvote`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          }),
        ),
      );
      assert.deepEqual(
        votes.map((v) => v.status),
        tokens.map(() => 200),
      );
      assert.equal(await count(servers[0]!), before + VOTERS);
      assert.equal(await count(servers[1]!), before + VOTERS);
    });

    test('a session made on one is good on the other; throttles and rate limits count both', async () => {
      const made = await createMember(
        database,
        { name: 'alice', email: 'alice@example.org', password: 'a long enough passphrase' },
        new Date(),
      );
      assert.ok(typeof made !== 'string');
      await database.db.updateTable('member').set({ email_verified_at: new Date().toISOString() }).where('id', '=', made.id).execute();
      const [a, b] = servers as [Server, Server];
      const browser = new Browser();
      const signedIn = await browser.submit(`${a.url}/signin`, `${a.url}/signin`, {
        email: 'alice@example.org',
        password: 'a long enough passphrase',
      });
      assert.equal(signedIn.status, 303);
      const settings = await browser.fetch(`${b.url}/settings`);
      assert.equal(settings.status, 200);
      assert.match(settings.body, /alice@example\.org/);

      // Five wrong passwords for one address, alternately on each server: the sixth try waits on either.
      const guesser = new Browser();
      const guess = (server: Server) =>
        guesser.submit(`${server.url}/signin`, `${server.url}/signin`, { email: 'bob@example.org', password: 'not the password' });
      for (let i = 0; i < 5; i++) assert.equal((await guess(servers[i % 2]!)).status, 400);
      const throttled = await guess(b);
      assert.equal(throttled.status, 429);
      assert.match(throttled.body, /Too many wrong passwords/);
      // Sign-in posts from this address: 1 + 5 + 1 so far; the limit of 8 an hour is met on one and felt on the other.
      assert.equal((await guess(a)).status, 429);
      const limited = await guess(b);
      assert.equal(limited.status, 429);
      assert.doesNotMatch(limited.body, /Too many wrong passwords/, 'the rate limit, before the handler');
    });
  });
}
