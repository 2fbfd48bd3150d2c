// Where @fastify/rate-limit counts: the database (coordination/counters.ts), so that a limit holds
// across every server process and machine. Limits of up to EXACT_UP_TO requests a window (sign-in
// and sign-up, searches, votes and comments) are counted in the database at each request. Larger
// ones (the site-wide limit, hundreds a minute) are counted in the process and added to the
// database every SYNC_MS, each process then seeing the others' requests within that second: a
// database write per request would cost more than serving a cached page.
import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';
import { addCounts, countId, forgetEndedCounts, type CountIncrement } from '../coordination/counters.ts';
import type { Database } from '../storage/db.ts';

export const EXACT_UP_TO = 100;
const SYNC_MS = 1000;

interface Window {
  key: string;
  windowStart: number;
  windowMs: number;
  /** Requests counted here and not yet in the database. */
  pending: number;
  /** The database's total when last added to. */
  known: number;
}

type Counted = { current: number; ttl: number };

export class SharedCounts {
  readonly #windows = new Map<string, Window>();
  readonly #timer: NodeJS.Timeout;
  #flushes = 0;

  constructor(
    readonly database: Database,
    readonly now: () => number,
  ) {
    this.#timer = setInterval(() => void this.flush().catch(() => {}), SYNC_MS);
    this.#timer.unref();
  }

  async count(key: string, windowMs: number, max: number): Promise<Counted> {
    const now = this.now();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const ttl = windowStart + windowMs - now;
    if (max <= EXACT_UP_TO) {
      const totals = await addCounts(this.database, [{ key, windowStart, add: 1, expiresAt: windowStart + windowMs }]);
      return { current: totals.get(countId(key, windowStart)) ?? 1, ttl };
    }
    const id = countId(key, windowStart);
    let window = this.#windows.get(id);
    if (!window) this.#windows.set(id, (window = { key, windowStart, windowMs, pending: 0, known: 0 }));
    window.pending++;
    return { current: window.known + window.pending, ttl };
  }

  /** Adds what was counted here to the database, and learns every window's total there. */
  async flush(): Promise<void> {
    const now = this.now();
    const sent: { window: Window; add: number }[] = [];
    // Windows still open are sent even with nothing to add: the answer is what the others counted.
    for (const [id, window] of this.#windows) {
      if (window.pending > 0 || window.windowStart + window.windowMs > now) sent.push({ window, add: window.pending });
      else this.#windows.delete(id);
    }
    for (const s of sent) s.window.pending -= s.add;
    try {
      const increments: CountIncrement[] = sent.map(({ window: w, add }) => ({
        key: w.key,
        windowStart: w.windowStart,
        add,
        expiresAt: w.windowStart + w.windowMs,
      }));
      const totals = await addCounts(this.database, increments);
      for (const { window: w } of sent) w.known = totals.get(countId(w.key, w.windowStart)) ?? w.known;
    } catch (err) {
      for (const s of sent) s.window.pending += s.add; // counted again at the next flush
      throw err;
    }
    if (++this.#flushes % 60 === 0) await forgetEndedCounts(this.database, now);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush().catch(() => {});
  }
}

/** The store class @fastify/rate-limit makes its stores from: each route's limit counts under its own prefix. */
export function sharedStore(counts: SharedCounts) {
  class SharedStore implements FastifyRateLimitStore {
    constructor(
      _options?: FastifyRateLimitOptions,
      readonly prefix = '',
    ) {}

    incr(key: string, callback: (error: Error | null, result?: Counted) => void, timeWindow?: number, max?: number) {
      counts.count(this.prefix + key, timeWindow ?? 60_000, max ?? Infinity).then(
        (result) => callback(null, result),
        (err: Error) => callback(err),
      );
    }

    // The plugin hands over its merged options, the route among them (its typings say otherwise).
    child(options: object) {
      const route = (options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      return new SharedStore(undefined, `${route.method ?? ''} ${route.url ?? ''}|`);
    }
  }
  return SharedStore;
}
