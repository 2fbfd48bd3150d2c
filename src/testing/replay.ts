// A real HTTP server on loopback that answers like arXiv or Hugging Face from recorded responses, for
// the ingest tests: a route function maps each request to a recorded reply (or an error to inject),
// and every request is kept, in order, for the tests to inspect.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status?: number;
  body: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface ReplayServer {
  url: string;
  requests: { url: URL; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startReplay(route: (url: URL, count: number) => Reply | undefined): Promise<ReplayServer> {
  const requests: ReplayServer['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://replay');
    requests.push({ url, headers: req.headers });
    const reply = route(url, requests.length) ?? { status: 404, body: 'not recorded' };
    setTimeout(() => {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/xml; charset=utf-8', ...reply.headers });
      res.end(reply.body);
    }, reply.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A clock whose sleeps return at once but move its time on, recording each wait. */
export function fakeClock(start = Date.parse('2026-11-27T06:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}
