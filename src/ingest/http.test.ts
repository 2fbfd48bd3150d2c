import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fakeClock, startReplay } from '../testing/replay.ts';
import { FetchError, Gate, HttpClient, parseRetryAfter } from './http.ts';

let inFlight = 0;
let maxInFlight = 0;
const failures = new Map<string, number>(); // path → failures still to serve
const server = await startReplay((url) => {
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  setTimeout(() => inFlight--, 20);
  const left = failures.get(url.pathname) ?? 0;
  if (left > 0) {
    failures.set(url.pathname, left - 1);
    if (url.pathname === '/busy') return { status: 503, body: 'busy', headers: { 'retry-after': '120' }, delayMs: 20 };
    if (url.pathname === '/slow') return { status: 200, body: 'late', delayMs: 500 };
    return { status: 429, body: 'slow down', delayMs: 20 };
  }
  if (url.pathname === '/missing') return { status: 404, body: 'no', delayMs: 20 };
  return { status: 200, body: `ok ${url.pathname}`, delayMs: 20 };
});
after(() => server.close());

test('one request at a time, at least 3 s apart, across every client sharing the gate', async () => {
  const clock = fakeClock();
  const starts: number[] = [];
  const gate = new Gate(3000, clock);
  const a = new HttpClient({ userAgent: 'test', gate });
  const b = new HttpClient({ userAgent: 'test', gate });
  maxInFlight = 0;
  const original = gate.run.bind(gate);
  gate.run = (task) => original(() => (starts.push(clock.now()), task()));
  const bodies = await Promise.all([
    a.get(`${server.url}/1`),
    b.get(`${server.url}/2`),
    a.get(`${server.url}/3`),
    b.get(`${server.url}/4`),
  ]);
  assert.deepEqual(
    bodies.map((r) => r.body),
    ['ok /1', 'ok /2', 'ok /3', 'ok /4'],
  );
  assert.equal(maxInFlight, 1);
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 3000, `gap ${starts[i]! - starts[i - 1]!} ms`);
});

test('429 and 5xx are retried with growing backoff; Retry-After is honoured', async () => {
  const clock = fakeClock();
  const client = new HttpClient({ userAgent: 'test', gate: new Gate(0, clock), baseDelayMs: 1000, random: () => 1 });
  failures.set('/throttled', 2);
  assert.equal((await client.get(`${server.url}/throttled`)).body, 'ok /throttled');
  assert.deepEqual(clock.sleeps, [1000, 2000]);
  clock.sleeps.length = 0;
  failures.set('/busy', 1);
  assert.equal((await client.get(`${server.url}/busy`)).status, 200);
  assert.deepEqual(clock.sleeps, [120_000]);
});

test('a final 4xx is answered as is; exhausted retries throw a clear error', async () => {
  const clock = fakeClock();
  const client = new HttpClient({ userAgent: 'test', gate: new Gate(0, clock), maxRetries: 2, baseDelayMs: 10 });
  assert.equal((await client.get(`${server.url}/missing`)).status, 404);
  failures.set('/throttled', 10);
  await assert.rejects(client.get(`${server.url}/throttled`), (err: FetchError) => {
    assert.ok(err instanceof FetchError);
    assert.match(err.message, /HTTP 429 .* after 3 attempts/);
    return true;
  });
  failures.delete('/throttled');
});

test('timeouts are retried too', async () => {
  const client = new HttpClient({ userAgent: 'test', gate: new Gate(0, fakeClock()), timeoutMs: 100, baseDelayMs: 10 });
  failures.set('/slow', 1);
  assert.equal((await client.get(`${server.url}/slow`)).body, 'ok /slow');
});

test('the User-Agent names the operator', async () => {
  const client = new HttpClient({ userAgent: 'Paperboy/0.1 (+https://papers.example; mailto:ops@example.org)', gate: new Gate(0) });
  await client.get(`${server.url}/ua`);
  assert.equal(server.requests.at(-1)!.headers['user-agent'], 'Paperboy/0.1 (+https://papers.example; mailto:ops@example.org)');
});

test('Retry-After as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-11-27T06:00:00Z');
  assert.equal(parseRetryAfter('30', now), 30_000);
  assert.equal(parseRetryAfter('Fri, 27 Nov 2026 06:01:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('soon', now), 0);
  assert.equal(parseRetryAfter(null, now), 0);
  assert.equal(parseRetryAfter('999999', now), 3_600_000);
});
