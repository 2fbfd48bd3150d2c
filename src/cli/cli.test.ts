import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiTokensOf, tokenMember } from '../accounts/api-tokens.ts';
import { loadConfig } from '../config/config.ts';
import { migrate } from '../storage/migrate.ts';
import { openDatabase } from '../storage/open.ts';
import { testApp } from '../testing/app.ts';
import { pino } from 'pino';
import { rememberPublicUrl } from './public-url.ts';
import { takeLease } from '../coordination/leases.ts';
import { datasetPath } from '../testing/datasets.ts';

const bin = new URL('../../bin/paperboy.js', import.meta.url).pathname;

function paperboy(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDb(): string {
  return `sqlite:${join(mkdtempSync(join(tmpdir(), 'paperboy-cli-')), 'test.db')}`;
}

test('--help lists the commands', () => {
  const { code, stdout } = paperboy(['--help']);
  assert.equal(code, 0);
  for (const command of ['serve', 'import', 'migrate', 'config']) assert.match(stdout, new RegExp(`\\b${command}\\b`));
});

test('config prints the effective settings with secrets masked, from a file and the environment', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'paperboy-cfg-')), 'paperboy.env');
  writeFileSync(file, 'PORT=4100\nSITE_NAME=From the file\n');
  const { code, stdout } = paperboy(['--config', file, 'config'], {
    DATABASE_URL: 'postgres://reader:s3cret@db.internal:5432/papers',
    SITE_NAME: 'From env',
  });
  assert.equal(code, 0);
  const shown = JSON.parse(stdout);
  assert.equal(shown.DATABASE_URL, 'postgres://reader:***@db.internal:5432/papers');
  assert.equal(shown.PORT, 4100);
  assert.equal(shown.SITE_NAME, 'From env');
  assert.equal(shown.PUBLIC_URL, 'http://localhost:4100');
  assert.doesNotMatch(stdout, /s3cret/);
});

test('invalid configuration stops with a message naming the variable', () => {
  const { code, stderr } = paperboy(['config'], { PORT: 'eighty', DATABASE_URL: 'mysql://x' });
  assert.equal(code, 1);
  assert.match(stderr, /PORT: Expected number/);
  assert.match(stderr, /DATABASE_URL: must start with sqlite:/);
});

test('migrate, then import with progress lines, a summary and skipped lines on stderr', () => {
  const db = tempDb();
  assert.match(paperboy(['migrate'], { DATABASE_URL: db }).stdout, /applied 0001_paper, 0002_listing/);
  assert.match(paperboy(['migrate'], { DATABASE_URL: db }).stdout, /up to date/);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-import-'));
  writeFileSync(join(dir, 'broken.jsonl'), '{"id": "2601.00001"\n');
  const run = paperboy(['import', datasetPath('hf-daily-papers/raw-sample'), join(dir, 'broken.jsonl')], { DATABASE_URL: db });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /4 files: 39 new, 0 updated, 0 unchanged, 1 rejected/);
  assert.match(run.stderr, /broken\.jsonl:1: skipped: not valid JSON/);
  assert.match(run.stderr, /importing: 100%/);
  const again = paperboy(['import', datasetPath('hf-daily-papers/raw-sample')], { DATABASE_URL: db });
  assert.match(again.stdout, /3 files: 0 new, 0 updated, 39 unchanged, 0 rejected/);
  const missing = paperboy(['import', join(dir, 'nope.jsonl')], { DATABASE_URL: db });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ENOENT|no such file/);
});

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('serve --demo fills an empty database, serves it from any working directory, and shuts down cleanly on SIGTERM mid-request', async (t) => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [bin, 'serve', '--demo'], {
    cwd: mkdtempSync(join(tmpdir(), 'paperboy-cwd-')), // as a service runs it: not from the clone
    env: { ...process.env, DATABASE_URL: tempDb(), PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => child.kill('SIGKILL')); // a failed assertion must not leave the server running
  for (let i = 0; i < 300 && !log.includes('Server listening'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(log, /loaded demo papers into the empty database/);
  const home = await get(port, '/');
  assert.equal(home.status, 200);
  assert.match(home.body, /<h1>Wednesday, 1 July 2026<\/h1>/);
  const inFlight = get(port, '/papers/month/2026-06');
  await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGTERM');
  assert.equal((await inFlight).status, 200);
  assert.equal(await exited, 0);
  assert.match(log, /shutting down/);
});

test('user create-admin makes the first admin with a one-time sign-in link; set-role and sign-out manage members', () => {
  const env = { DATABASE_URL: tempDb(), PUBLIC_URL: 'https://papers.example' };
  const made = paperboy(['user', 'create-admin', '--email', 'Ops@Example.org', '--name', 'ops'], env);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /^ops <ops@example\.org> is an admin\./);
  assert.match(made.stdout, /https:\/\/papers\.example\/link\?token=[\w-]{43}\n$/);
  const again = paperboy(['user', 'create-admin', '--email', 'ops@example.org'], env);
  assert.equal(again.code, 0, 'promoting an existing account works too');

  const role = paperboy(['user', 'set-role', 'ops', 'moderator'], env);
  assert.equal(role.code, 0, role.stderr);
  assert.equal(role.stdout, 'ops is now a moderator (was admin).\n');
  const bad = paperboy(['user', 'set-role', 'ops', 'emperor'], env);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown role emperor: choose member, moderator, admin/);
  const nobody = paperboy(['user', 'set-role', 'nobody@example.org', 'admin'], env);
  assert.match(nobody.stderr, /no member is called or has the address nobody@example\.org/);
  assert.equal(paperboy(['user', 'sign-out', 'ops@example.org'], env).stdout, 'ops is signed out everywhere.\n');
  assert.match(paperboy(['user', 'create-admin', '--email', 'not-an-address'], env).stderr, /does not look like an email address/);
});

test('user create makes a confirmed member and user token prints a personal API token that works', async () => {
  const env = { DATABASE_URL: tempDb() };
  const made = paperboy(['user', 'create', 'bot', '--email', 'Bot@Example.org'], env);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /^bot <bot@example\.org> is a member\./);
  assert.match(paperboy(['user', 'create', 'bot', '--email', 'other@example.org'], env).stderr, /the name bot is taken/);
  const printed = paperboy(['user', 'token', 'bot@example.org', '--label', 'nightly'], env);
  assert.equal(printed.code, 0, printed.stderr);
  const token = printed.stdout.trim();
  assert.match(token, /^pb_[\w-]{43}$/);
  const database = await openDatabase(env.DATABASE_URL);
  try {
    const member = await tokenMember(database, token, new Date());
    assert.deepEqual([member?.name, member?.verified], ['bot', true]);
    assert.deepEqual(
      (await apiTokensOf(database, member!.id)).map((t) => t.name),
      ['nightly'],
    );
  } finally {
    await database.close();
  }
});

test('summarize says what it needs before asking anything', () => {
  const run = paperboy(['summarize'], { DATABASE_URL: tempDb() });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /set SUMMARY_URL .* and SUMMARY_MODEL first/);
});

test('create-admin with an address like admin@… picks a free name; empty schedules turn the schedules off', () => {
  const env = { DATABASE_URL: tempDb() };
  const made = paperboy(['user', 'create-admin', '--email', 'admin@example.org'], env);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /^admin-2 <admin@example\.org> is an admin\./);
  assert.match(paperboy(['user', 'create-admin', '--email', 'root@example.org', '--name', 'root'], env).stderr, /reserved/);
  const config = loadConfig({ INGEST_SCHEDULE: '', DIGEST_SCHEDULE: '', PORT: '' });
  assert.deepEqual(
    [config.INGEST_SCHEDULE, config.DIGEST_SCHEDULE, config.PORT],
    ['', '', 3000],
    'empty is off for schedules, the default elsewhere',
  );
});

test('--version prints the version; /healthz is a 503 while the database does not answer', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(paperboy(['--version']).stdout.trim(), version);
  const database = await openDatabase('sqlite::memory:');
  await migrate(database);
  const app = await testApp(database);
  try {
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
    await database.close();
    const down = await app.inject({ url: '/healthz' });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().status, 'unavailable');
  } finally {
    await app.close();
  }
});

test('a database that cannot be reached is named by DATABASE_URL, its password masked', () => {
  const run = paperboy(['migrate'], { DATABASE_URL: 'postgres://bob:secret@127.0.0.1:1/x' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /cannot use the database at DATABASE_URL=postgres:\/\/bob:\*\*\*@127\.0\.0\.1:1\/x: .*ECONNREFUSED/);
  assert.doesNotMatch(run.stderr, /secret/);
});

test('serve --workers 2: one port, /metrics counts both workers, the public URL is kept for command-line jobs', async (t) => {
  const db = tempDb();
  const child = spawn(process.execPath, [bin, 'serve', '--workers', '2'], {
    env: { ...process.env, DATABASE_URL: db, PORT: '0', HOST: '0.0.0.0', PUBLIC_URL: 'https://papers.example', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => child.kill('SIGKILL'));
  // Each worker says where it listens (on every address of the machine): one port for both.
  const listening = () =>
    [...log.matchAll(/"pid":(\d+).*Server listening at http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => [m[1], Number(m[2])]);
  for (let i = 0; i < 300 && listening().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  const [[first, port], [other, samePort]] = listening() as [[string, number], [string, number]];
  assert.notEqual(first, other, 'two workers');
  assert.equal(samePort, port, 'on one port');
  assert.doesNotMatch(log, /PUBLIC_URL is not set/);
  for (let i = 0; i < 10; i++) assert.equal((await get(port!, '/about')).status, 200);
  const metrics = (await get(port!, '/metrics')).body;
  assert.match(metrics, /^paperboy_http_requests_total\{method="GET",route="\/about",status="200"\} 10$/m, 'whichever worker answers');
  assert.equal(new Set([...metrics.matchAll(/paperboy_process_resident_memory_bytes\{pid="(\d+)"\}/g)].map((m) => m[1])).size, 2);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);

  const admin = paperboy(['user', 'create-admin', '--email', 'ops@example.org'], { DATABASE_URL: db });
  assert.match(admin.stdout, /https:\/\/papers\.example\/link\?token=/, 'the link serve’s PUBLIC_URL makes');
});

test('serve warns when PUBLIC_URL is unset and it listens beyond loopback', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const database = await openDatabase('sqlite::memory:');
  await migrate(database);
  await rememberPublicUrl(loadConfig({ HOST: '127.0.0.1' }), database, logger);
  assert.equal(lines.length, 0, 'on loopback the default is right');
  await rememberPublicUrl(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }), database, logger);
  assert.match(lines[0]!, /PUBLIC_URL is not set, so feeds, API links and mails point at http:\/\/localhost:8080/);
  await database.close();
});

test('backup writes a consistent copy beside a running site; copy-database moves an instance into an empty database', async () => {
  const db = tempDb();
  assert.equal(paperboy(['import', datasetPath('hf-daily-papers/raw-sample')], { DATABASE_URL: db }).code, 0);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-backup-'));
  const papersIn = async (url: string) => {
    const database = await openDatabase(url);
    const n = (
      await database.db
        .selectFrom('paper')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    await database.close();
    return Number(n);
  };
  const expected = await papersIn(db);
  assert.ok(expected > 0);

  const backup = paperboy(['backup', join(dir, 'backup.db')], { DATABASE_URL: db });
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /backed up to .*backup\.db/);
  assert.equal(await papersIn(`sqlite:${join(dir, 'backup.db')}`), expected);
  const again = paperboy(['backup', join(dir, 'backup.db')], { DATABASE_URL: db });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists: name a new file/);

  const copy = paperboy(['copy-database', '--to', `sqlite:${join(dir, 'copy.db')}`], { DATABASE_URL: db });
  assert.equal(copy.code, 0, copy.stderr);
  assert.match(copy.stdout, /^copied \d+ rows of 20 tables into sqlite:.*copy\.db/);
  assert.equal(await papersIn(`sqlite:${join(dir, 'copy.db')}`), expected);
  const into = paperboy(['copy-database', '--to', `sqlite:${join(dir, 'copy.db')}`], { DATABASE_URL: db });
  assert.equal(into.code, 1);
  assert.match(into.stderr, /already has papers, members or subscribers: copy into an empty one/);
});

test('backup on PostgreSQL says how to use pg_dump', () => {
  const run = paperboy(['backup', '/tmp/never-written.db'], { DATABASE_URL: 'postgres://paperboy@127.0.0.1:1/papers' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /pg_dump --format=custom --file=paperboy\.dump "\$DATABASE_URL"/);
});

test('embed waits its turn: while a server holds the embedding lease it says so and changes nothing', async () => {
  const db = tempDb();
  assert.equal(paperboy(['migrate'], { DATABASE_URL: db }).code, 0);
  const database = await openDatabase(db);
  await takeLease(database, 'embedding', 60_000, Date.now(), 'another-server');
  await database.close();
  const run = paperboy(['embed'], { DATABASE_URL: db });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /a server is embedding papers now \(it holds the embedding lease\)/);
});
