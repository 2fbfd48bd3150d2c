// Fetching from other people's servers politely. arXiv's API terms ask for at most one request every
// three seconds and a single connection at a time, across everything a client does; a Gate enforces
// exactly that for every arXiv client of the process, and, given a way to reserve start times in the
// shared database (coordination/pacing.ts), the spacing across every process and machine too. Failures that may pass (timeouts, 429, 5xx)
// are retried with exponential backoff and jitter, and a Retry-After the server sends is honoured.
// Time is read through a Clock so tests can prove the spacing without waiting for it.

export interface Clock {
  now(): number; // ms
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Reserves a request's start time among every process that shares it: `intervalMs` after the last. */
export type Reserve = (intervalMs: number, now: number) => Promise<number>;

/** One request at a time, and at least `intervalMs` between the starts of two requests. */
export class Gate {
  #queue: Promise<void> = Promise.resolve();
  #lastStart = -Infinity;

  constructor(
    readonly intervalMs: number,
    readonly clock: Clock = systemClock,
    readonly reserve?: Reserve,
  ) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.#queue.then(async () => {
      const start = this.reserve ? await this.reserve(this.intervalMs, this.clock.now()) : this.#lastStart + this.intervalMs;
      const wait = start - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      this.#lastStart = this.clock.now();
      return task();
    });
    this.#queue = turn.then(
      () => {},
      () => {},
    );
    return turn;
  }
}

export interface HttpResponse {
  status: number;
  body: string;
  headers: Headers;
}

export interface HttpClientOptions {
  userAgent: string;
  gate: Gate;
  timeoutMs?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number; // for jitter; injectable for tests
}

export class FetchError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const RETRYABLE = (status: number) => status === 429 || (status >= 500 && status !== 501);

export class HttpClient {
  readonly #o: Required<HttpClientOptions>;

  constructor(options: HttpClientOptions) {
    this.#o = { timeoutMs: 60_000, maxRetries: 5, baseDelayMs: 5_000, maxDelayMs: 300_000, random: Math.random, ...options };
  }

  get clock(): Clock {
    return this.#o.gate.clock;
  }

  /**
   * GETs a URL through the gate. Answers with any response that is final (2xx, 3xx, or a 4xx other
   * than 429, which callers may want to read); throws FetchError once retries are spent.
   */
  async get(url: string): Promise<HttpResponse> {
    const { gate, maxRetries } = this.#o;
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      let retryAfterMs = 0;
      try {
        const response = await gate.run(() => this.#fetch(url));
        if (!RETRYABLE(response.status)) return response;
        failure = `HTTP ${response.status}`;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.clock.now());
        if (attempt >= maxRetries) throw new FetchError(`${failure} from ${url} after ${attempt + 1} attempts`, url, response.status);
      } catch (err) {
        if (err instanceof FetchError) throw err;
        failure = (err as Error).name === 'TimeoutError' ? `timed out after ${this.#o.timeoutMs} ms` : (err as Error).message;
        if (attempt >= maxRetries) throw new FetchError(`${failure} for ${url} after ${attempt + 1} attempts`, url);
      }
      await this.clock.sleep(Math.max(retryAfterMs, this.#backoff(attempt)));
    }
  }

  /** Exponential backoff with full jitter: a random wait up to base·2^attempt, capped. */
  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + (this.#o.random() * ceiling) / 2);
  }

  async #fetch(url: string): Promise<HttpResponse> {
    const response = await fetch(url, {
      headers: { 'user-agent': this.#o.userAgent, accept: '*/*' },
      signal: AbortSignal.timeout(this.#o.timeoutMs),
      redirect: 'follow',
    });
    return { status: response.status, body: await response.text(), headers: response.headers };
  }
}

/** Retry-After as seconds or an HTTP date; 0 when absent or unreadable; capped at an hour. */
export function parseRetryAfter(value: string | null, now: number): number {
  if (!value) return 0;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 3_600_000) : 0;
}
