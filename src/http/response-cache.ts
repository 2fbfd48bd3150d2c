// Rendered responses for strangers, kept in memory and sent again until something they show
// changes. Lists, paper pages, feeds and the list API are the same for everyone who is not signed
// in, change a few times a day, and cost milliseconds to render: served from here they cost
// microseconds. A route opts in (`cache: true` in app/routes.ts); what is kept is exactly what a
// shared cache could keep (no cookie or token asked with it, no cookie or form token in it, a 200
// not marked private), under the request's URL and whether htmx asked for it.
//
// An entry is good while the database's change clock (storage/changes.ts) still reads what it read
// before rendering, so a vote, comment or import through any process shows at once; and for
// CLOCK_MS at most, since pages also depend on the time (today's list, trending's decay, "2 hours
// ago"), which browsers and proxies are told too (Cache-Control: public, max-age=60).
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../storage/db.ts';
import { changeGeneration } from '../storage/changes.ts';
import { hasFormToken, SESSION_COOKIE } from './session.ts';

export const CLOCK_MS = 60_000;

/** The response headers an entry keeps; the rest (security, rate limits, request id) are each response's own. */
const KEPT = ['content-type', 'content-disposition', 'last-modified', 'vary', 'cache-control', 'link'];

interface Entry {
  generation: number;
  storedAt: number;
  headers: Record<string, string>;
  etag: string;
  body: Buffer;
  /** Compressed copies, made the first time a client accepts each. */
  encoded: Partial<Record<'br' | 'gzip', Buffer>>;
  bytes: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Where this request's response is kept, when it may be; and the clock it was rendered under. */
    responseCache: { key: string; generation: number; hit: boolean } | null;
  }
  interface FastifyContextConfig {
    /** The route's responses to strangers may come from the response cache. */
    cache?: boolean;
  }
}

/** A byte-bounded map, least recently used first out. */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly maxBytes: number,
    readonly now: () => number = Date.now,
  ) {}

  get size() {
    return this.#entries.size;
  }

  get bytes() {
    return this.#bytes;
  }

  lookup(key: string, generation: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.generation !== generation || this.now() - entry.storedAt >= CLOCK_MS) {
      this.#bytes -= entry.bytes;
      return undefined;
    }
    this.#entries.set(key, entry); // most recently used now
    return entry;
  }

  store(key: string, entry: Omit<Entry, 'bytes' | 'storedAt' | 'encoded'>) {
    const bytes = entry.body.length + key.length + 512;
    if (bytes > this.maxBytes / 8) return; // one huge response must not push out everything else
    this.#forget(key);
    this.#entries.set(key, { ...entry, encoded: {}, storedAt: this.now(), bytes });
    this.#bytes += bytes;
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= old.bytes;
    }
  }

  /** The entry's body in the best encoding the client accepts, compressed once and kept. */
  encode(entry: Entry, acceptEncoding: string | undefined): { body: Buffer; encoding?: 'br' | 'gzip' } {
    const encoding = preferredEncoding(acceptEncoding);
    if (!encoding || entry.body.length < 1024) return { body: entry.body };
    let body = entry.encoded[encoding];
    if (!body) {
      body = encoding === 'br' ? brotliCompressSync(entry.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : gzipSync(entry.body);
      entry.encoded[encoding] = body;
      entry.bytes += body.length;
      this.#bytes += body.length;
    }
    return { body, encoding };
  }

  #forget(key: string) {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    this.#bytes -= old.bytes;
  }
}

function preferredEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  const accepted = (name: string) => new RegExp(`(^|[\\s,])${name}(?!\\s*;\\s*q=0(\\.0*)?\\s*(,|$))`, 'i').test(header);
  return accepted('br') ? 'br' : accepted('gzip') ? 'gzip' : undefined;
}

/**
 * Serves cached responses before their handler runs and keeps the responses handlers render.
 * Register before @fastify/compress and @fastify/etag: it hands them uncompressed bodies to keep and
 * sets the ETag itself, so neither hashes nor compresses a cached page again.
 */
export function registerResponseCache(app: FastifyInstance, cache: ResponseCache, database: Database) {
  app.decorateRequest('responseCache', null);
  // A reading of the clock serves every request that arrived before it was taken: under load dozens
  // arrive together and share one query, and no request is answered from a reading older than
  // itself, so a change committed before a request arrived is always seen.
  let reading: { value: Promise<number>; takenAt: number } | null = null;
  const clock = (arrivedAt: number) => {
    if (!reading || arrivedAt >= reading.takenAt) reading = { value: changeGeneration(database), takenAt: performance.now() };
    return reading.value;
  };
  app.addHook('preHandler', async (request, reply) => {
    if (!cacheable(request)) return;
    const key = `${request.url}\n${request.headers['hx-request'] === 'true' ? 'htmx' : ''}`;
    const generation = await clock(performance.now() - reply.elapsedTime);
    const entry = cache.lookup(key, generation);
    request.responseCache = { key, generation, hit: !!entry };
    // Says which answers the cache gave, as a caching proxy would: for operators and tests.
    reply.header('x-cache', entry ? 'hit' : 'miss');
    if (!entry) {
      cache.misses++;
      return;
    }
    cache.hits++;
    return sendEntry(request, reply, cache, entry);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const slot = request.responseCache;
    if (!slot || slot.hit || reply.statusCode !== 200 || !keepable(reply)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const body = Buffer.from(payload);
    const etag = `"${createHash('sha1').update(body).digest('base64')}"`;
    reply.header('etag', etag);
    const headers: Record<string, string> = {};
    for (const name of KEPT) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    cache.store(slot.key, { generation: slot.generation, headers, etag, body });
    return payload;
  });
}

/** A stranger's GET of a route that opted in: no session cookie, no API token. */
function cacheable(request: FastifyRequest): boolean {
  return (
    request.method === 'GET' &&
    request.routeOptions.config.cache === true &&
    !request.cookies[SESSION_COOKIE] &&
    !request.headers.authorization
  );
}

/** What a shared cache could keep: nothing private, no cookie set, no form token inside. */
function keepable(reply: FastifyReply): boolean {
  const control = String(reply.getHeader('cache-control') ?? '');
  return !/no-store|private|no-cache/.test(control) && !reply.hasHeader('set-cookie') && !hasFormToken(reply);
}

function sendEntry(request: FastifyRequest, reply: FastifyReply, cache: ResponseCache, entry: Entry) {
  reply.headers(entry.headers).header('etag', entry.etag);
  const lastModified = entry.headers['last-modified'];
  const since = request.headers['if-modified-since'];
  if (lastModified && since && !request.headers['if-none-match'] && Date.parse(lastModified) <= Date.parse(since))
    return reply.code(304).send();
  const { body, encoding } = cache.encode(entry, request.headers['accept-encoding']);
  if (encoding) reply.header('content-encoding', encoding).header('vary', varyWith(entry.headers.vary, 'Accept-Encoding'));
  return reply.code(200).send(body);
}

function varyWith(vary: string | undefined, name: string): string {
  return vary ? `${vary}, ${name}` : name;
}
