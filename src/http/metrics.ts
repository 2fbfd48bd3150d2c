// What /metrics reports about requests, in Prometheus' text format: counts by route, method and
// status, latency histograms by route, the response cache and memory. Each server process counts
// its own; with several workers the one that answers gathers every worker's through the first
// process (cli/serve.ts relays), so a scrape sees the whole instance, whichever worker it reaches.
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';

/** Seconds: a cached page takes well under a millisecond, a search tens, an import-sized page seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export interface Histogram {
  counts: number[]; // per bucket, not cumulative; the last is +Inf
  sum: number;
}

export interface RequestSnapshot {
  pid: number;
  /** By `METHOD route status`. */
  requests: Record<string, number>;
  /** By `METHOD route`. */
  durations: Record<string, Histogram>;
  cache: { hits: number; misses: number; bytes: number; entries: number };
  memory: { rss: number; heapUsed: number };
}

export class RequestMetrics {
  readonly #requests = new Map<string, number>();
  readonly #durations = new Map<string, Histogram>();

  constructor(readonly cacheStats: () => RequestSnapshot['cache'] = () => ({ hits: 0, misses: 0, bytes: 0, entries: 0 })) {}

  record(method: string, route: string, status: number, seconds: number) {
    const key = `${method} ${route} ${status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const timing = `${method} ${route}`;
    let histogram = this.#durations.get(timing);
    if (!histogram) this.#durations.set(timing, (histogram = { counts: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0 }));
    const bucket = BUCKETS.findIndex((le) => seconds <= le);
    histogram.counts[bucket === -1 ? BUCKETS.length : bucket]!++;
    histogram.sum += seconds;
  }

  snapshot(): RequestSnapshot {
    const memory = process.memoryUsage();
    return {
      pid: process.pid,
      requests: Object.fromEntries(this.#requests),
      durations: Object.fromEntries([...this.#durations].map(([k, h]) => [k, { counts: [...h.counts], sum: h.sum }])),
      cache: this.cacheStats(),
      memory: { rss: memory.rss, heapUsed: memory.heapUsed },
    };
  }
}

// Messages between a worker and the first process, which asks every worker for its snapshot.
const ASK = 'paperboy:metrics-ask';
const COLLECT = 'paperboy:metrics-collect';
const SNAPSHOT = 'paperboy:metrics-snapshot';
const ANSWER = 'paperboy:metrics-answer';
type Message = { type: string; id: string; snapshots?: RequestSnapshot[]; snapshot?: RequestSnapshot };

/**
 * Every server process's snapshot: this one's alone when it is the only one (or the first process
 * does not answer within three seconds), else all the workers' through the first process.
 */
export function gatherSnapshots(metrics: RequestMetrics): Promise<RequestSnapshot[]> {
  if (!cluster.isWorker || !process.send) return Promise.resolve([metrics.snapshot()]);
  const id = randomUUID();
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish([metrics.snapshot()]), 3000);
    const onMessage = (message: Message) => {
      if (message?.type === ANSWER && message.id === id) finish(message.snapshots ?? []);
    };
    const finish = (snapshots: RequestSnapshot[]) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(snapshots);
    };
    process.on('message', onMessage);
    process.send!({ type: ASK, id });
  });
}

/** In a worker: answers the first process's requests for this worker's snapshot. Returns how to stop. */
export function answerSnapshotRequests(metrics: RequestMetrics): () => void {
  if (!cluster.isWorker || !process.send) return () => {};
  const onMessage = (message: Message) => {
    if (message?.type === COLLECT) process.send!({ type: SNAPSHOT, id: message.id, snapshot: metrics.snapshot() });
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}

/** In the first process: when a worker asks, collects every worker's snapshot and answers it. */
export function relaySnapshotRequests() {
  cluster.on('message', (asker, message: Message) => {
    if (message?.type !== ASK) return;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected());
    const snapshots: RequestSnapshot[] = [];
    const answer = () => {
      clearTimeout(timer);
      cluster.off('message', collect);
      if (asker.isConnected()) asker.send({ type: ANSWER, id: message.id, snapshots });
    };
    const timer = setTimeout(answer, 2000); // a worker that is stuck or starting is left out
    const collect = (_worker: unknown, reply: Message) => {
      if (reply?.type !== SNAPSHOT || reply.id !== message.id || !reply.snapshot) return;
      snapshots.push(reply.snapshot);
      if (snapshots.length === workers.length) answer();
    };
    cluster.on('message', collect);
    for (const worker of workers) worker!.send({ type: COLLECT, id: message.id });
  });
}

/** Prometheus' text format: one # HELP and # TYPE per metric, then its samples. */
export class Exposition {
  readonly #lines: string[] = [];

  metric(name: string, type: 'counter' | 'gauge', help: string, samples: [Record<string, string>, number][]) {
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) this.#lines.push(`${name}${labelText(labels)} ${value}`);
  }

  /** A histogram: per series its cumulative buckets, then its _sum and _count. */
  histogram(name: string, help: string, series: [Record<string, string>, Histogram][]) {
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    for (const [labels, h] of series) {
      let cumulative = 0;
      BUCKETS.forEach((le, i) =>
        this.#lines.push(`${name}_bucket${labelText({ ...labels, le: String(le) })} ${(cumulative += h.counts[i]!)}`),
      );
      cumulative += h.counts[BUCKETS.length]!;
      this.#lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${cumulative}`);
      this.#lines.push(`${name}_sum${labelText(labels)} ${h.sum}`, `${name}_count${labelText(labels)} ${cumulative}`);
    }
  }

  toString(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** The request, latency, cache and memory metrics of every process, summed (memory per process). */
export function requestMetrics(out: Exposition, snapshots: RequestSnapshot[]) {
  const requests = new Map<string, number>();
  const durations = new Map<string, Histogram>();
  for (const s of snapshots) {
    for (const [k, n] of Object.entries(s.requests)) requests.set(k, (requests.get(k) ?? 0) + n);
    for (const [k, h] of Object.entries(s.durations)) {
      const total = durations.get(k) ?? { counts: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0 };
      h.counts.forEach((c, i) => (total.counts[i]! += c));
      total.sum += h.sum;
      durations.set(k, total);
    }
  }
  out.metric(
    'paperboy_http_requests_total',
    'counter',
    'Requests answered, by method, route and status.',
    [...requests].map(([k, n]) => {
      const [method, route, status] = k.split(' ') as [string, string, string];
      return [{ method, route, status }, n];
    }),
  );
  out.histogram(
    'paperboy_http_request_duration_seconds',
    'Time to answer, by method and route.',
    [...durations].map(([k, h]) => {
      const [method, route] = k.split(' ') as [string, string];
      return [{ method, route }, h];
    }),
  );
  const sum = (f: (s: RequestSnapshot) => number) => snapshots.reduce((a, s) => a + f(s), 0);
  out.metric('paperboy_response_cache_hits_total', 'counter', 'Strangers’ requests answered from the response cache.', [
    [{}, sum((s) => s.cache.hits)],
  ]);
  out.metric('paperboy_response_cache_misses_total', 'counter', 'Cacheable requests that were rendered.', [
    [{}, sum((s) => s.cache.misses)],
  ]);
  out.metric('paperboy_response_cache_bytes', 'gauge', 'Bytes the response caches hold.', [[{}, sum((s) => s.cache.bytes)]]);
  out.metric(
    'paperboy_process_resident_memory_bytes',
    'gauge',
    'Resident memory of each server process.',
    snapshots.map((s) => [{ pid: String(s.pid) }, s.memory.rss]),
  );
  out.metric(
    'paperboy_process_heap_used_bytes',
    'gauge',
    'JavaScript heap in use, per server process.',
    snapshots.map((s) => [{ pid: String(s.pid) }, s.memory.heapUsed]),
  );
}
