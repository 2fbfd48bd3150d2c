// The ingest jobs: what `paperboy ingest …` and the daily schedule run. Each fetches through the
// polite clients, stores each page or day in one transaction, and keeps its cursor and outcome in
// ingest_state, so a run killed at any point can simply be run again.
import { extractArxivId } from '../arxiv/ids.ts';
import type { Config } from '../config/config.ts';
import type { PaperRecord } from '../model/paper.ts';
import type { Database } from '../storage/db.ts';
import { upsertPapers } from '../storage/upsert.ts';
import { addDays, dayIn, isValidDate } from '../util/dates.ts';
import { ArxivApi } from './arxiv-api.ts';
import { Gate, HttpClient, systemClock } from './http.ts';
import { HuggingFace } from './huggingface.ts';
import { ArxivOai, OaiError, setSpec, type HarvestWindow } from './oai.ts';
import { ArxivRss } from './rss.ts';
import { getState, recordRun, saveState } from './state.ts';
import { VERSION } from '../util/project.ts';
import { reserveSlot } from '../coordination/pacing.ts';

export interface IngestSummary {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface Sources {
  api: ArxivApi;
  /** The same API for a look-up a person waits on (a member's submission): one quick retry, then an answer. */
  quickApi: ArxivApi;
  rss: ArxivRss;
  oai: ArxivOai;
  hf: HuggingFace;
}

/**
 * The clients, sharing one gate for everything that talks to arXiv, as its terms ask. With
 * `database`, arXiv requests are spaced across every process that shares it, not only within this one.
 */
export function makeSources(config: Config, database?: Database): Sources {
  const contact = config.CONTACT_EMAIL ? `; mailto:${config.CONTACT_EMAIL}` : '';
  const userAgent = `Paperboy/${VERSION} (+${config.PUBLIC_URL}${contact})`;
  const shared = database && ((interval: number, now: number) => reserveSlot(database, 'arxiv', interval, now));
  const arxivGate = new Gate(config.ARXIV_REQUEST_INTERVAL_MS, systemClock, shared);
  const arxiv = new HttpClient({ userAgent, gate: arxivGate });
  const quick = new HttpClient({ userAgent, gate: arxivGate, timeoutMs: 15_000, maxRetries: 1, baseDelayMs: 1_000, maxDelayMs: 2_000 });
  const hf = new HttpClient({ userAgent, gate: new Gate(1000) });
  return {
    api: new ArxivApi(arxiv, config.ARXIV_API_URL),
    quickApi: new ArxivApi(quick, config.ARXIV_API_URL),
    rss: new ArxivRss(arxiv, config.ARXIV_RSS_URL),
    oai: new ArxivOai(arxiv, config.ARXIV_OAI_URL),
    hf: new HuggingFace(hf, config.HF_API_URL),
  };
}

export interface IngestContext {
  database: Database;
  sources: Sources;
  dryRun?: boolean;
  /** Lines for the operator: rejected records, restarts. */
  log?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
  /** Stops a long run at the next page or day (shutdown); what is stored so far stays. */
  signal?: AbortSignal;
}

function emptySummary(): IngestSummary {
  return { new: 0, updated: 0, unchanged: 0, rejected: 0 };
}

async function store(ctx: IngestContext, summary: IngestSummary, records: PaperRecord[], rejected: { id: string; message: string }[]) {
  for (const r of rejected) ctx.log?.(`skipped ${r.id}: ${r.message}`);
  summary.rejected += rejected.length;
  for (const outcome of await upsertPapers(ctx.database, records, { dryRun: ctx.dryRun })) summary[outcome]++;
}

/** Today's announcement from the RSS feed: new and cross-listed papers enter the day's list. */
export async function ingestRss(
  ctx: IngestContext,
  categories: string[],
  timeZone: string,
): Promise<IngestSummary & { day: string | null }> {
  const run = async () => {
    const feed = await ctx.sources.rss.fetch(categories, timeZone);
    const summary = { ...emptySummary(), day: feed.day };
    await store(
      ctx,
      summary,
      feed.items.map((i) => i.record),
      feed.rejected,
    );
    if (feed.day && !ctx.dryRun) await saveState(ctx.database, 'rss', { cursor: feed.day });
    return summary;
  };
  return ctx.dryRun ? run() : recordRun(ctx.database, 'rss', run, ctx.now);
}

/**
 * Back-fill or catch up from OAI-PMH, one set per category. Without `from`, each set continues from
 * its cursor (the date of the last complete harvest). An interrupted harvest resumes at its saved
 * resumptionToken; when the server no longer knows that token it starts the window again, which
 * costs requests but changes nothing twice.
 */
export async function ingestOai(
  ctx: IngestContext,
  categories: string[],
  window: { from?: string; until?: string } = {},
): Promise<IngestSummary & { requests: number }> {
  const total = { ...emptySummary(), requests: 0 };
  const today = (ctx.now?.() ?? new Date()).toISOString().slice(0, 10);
  for (const category of categories) {
    const set = setSpec(category);
    const source = `oai:${set}`;
    const run = async () => {
      const state = await getState(ctx.database, source);
      const harvest: HarvestWindow = { set, from: window.from ?? state?.cursor ?? addDays(today, -2), until: window.until ?? null };
      const summary = { ...emptySummary(), requests: 0 };
      let token = state?.resume && state.resume.from === harvest.from && state.resume.until === harvest.until ? state.resume.token : null;
      let restarted = false;
      let done = 0;
      for (;;) {
        ctx.signal?.throwIfAborted();
        let page;
        try {
          summary.requests++;
          page = await ctx.sources.oai.page(harvest, token);
        } catch (err) {
          if (!(err instanceof OaiError && err.code === 'badResumptionToken' && token && !restarted)) throw err;
          ctx.log?.(`${set}: the saved resumptionToken expired; harvesting ${harvest.from}..${harvest.until ?? 'now'} again`);
          [token, restarted] = [null, true];
          continue;
        }
        await store(ctx, summary, page.records, page.rejected);
        done += page.records.length + page.rejected.length;
        ctx.onProgress?.(done, Math.max(done, page.completeListSize ?? done));
        if (page.resumptionToken) {
          token = page.resumptionToken;
          if (!ctx.dryRun) await saveState(ctx.database, source, { resume: { token, from: harvest.from, until: harvest.until } });
          continue;
        }
        if (!ctx.dryRun) {
          // Open-ended harvests reached the present: the next one starts from the server's date.
          const cursor = harvest.until ? (state?.cursor ?? null) : page.responseDate.slice(0, 10);
          await saveState(ctx.database, source, { resume: null, cursor: maxDate(cursor, state?.cursor ?? null) });
        }
        return summary;
      }
    };
    const summary = ctx.dryRun ? await run() : await recordRun(ctx.database, source, run, ctx.now);
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += summary[key];
  }
  return total;
}

function maxDate(a: string | null, b: string | null): string | null {
  return a && b ? (a > b ? a : b) : (a ?? b);
}

/** Hugging Face's daily lists from `from` to `to`: community picks with their upvotes and links. */
export async function ingestHuggingFace(ctx: IngestContext, from: string, to: string): Promise<IngestSummary & { days: number }> {
  if (!isValidDate(from) || !isValidDate(to) || from > to) throw new Error(`not a valid range of days: ${from} to ${to}`);
  const run = async () => {
    const summary = { ...emptySummary(), days: 0 };
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    for (let day = from; day <= to; day = addDays(day, 1)) {
      ctx.signal?.throwIfAborted();
      const { records, rejected } = await ctx.sources.hf.day(day);
      await store(ctx, summary, records, rejected);
      summary.days++;
      ctx.onProgress?.(summary.days, days);
      if (!ctx.dryRun) await saveState(ctx.database, 'huggingface', { cursor: day });
    }
    return summary;
  };
  return ctx.dryRun ? run() : recordRun(ctx.database, 'huggingface', run, ctx.now);
}

/** One paper by id or arXiv URL, from the query API. Throws when arXiv does not know it. */
export async function ingestPaper(ctx: IngestContext, input: string): Promise<IngestSummary & { arxivId: string }> {
  const parsed = extractArxivId(input);
  if (!parsed) throw new Error(`not an arXiv identifier or URL: ${input.slice(0, 100)}`);
  const feed = await ctx.sources.api.lookup([parsed.id]);
  const record = feed.records.find((r) => r.arxivId === parsed.id);
  if (!record) throw new Error(`arXiv has no paper ${parsed.id}`);
  const summary = { ...emptySummary(), arxivId: parsed.id };
  await store(ctx, summary, [record], []);
  return summary;
}

/**
 * The scheduled job: the day's announcement from RSS, then an OAI-PMH catch-up for the configured
 * categories (which also brings v1 dates, DOIs and journal references RSS lacks, and fills any days
 * the server missed), then optionally Hugging Face's picks. Skips the RSS part once the day is done.
 */
export async function dailyIngest(ctx: IngestContext, config: Config): Promise<Record<string, unknown>> {
  const now = ctx.now?.() ?? new Date();
  const today = dayIn(now, config.DAY_TIMEZONE);
  const rssState = await getState(ctx.database, 'rss');
  const result: Record<string, unknown> = {};
  if (rssState?.cursor === today && !rssState.lastError) result.rss = 'already done today';
  else result.rss = await ingestRss(ctx, config.ARXIV_CATEGORIES, config.DAY_TIMEZONE);
  result.oai = await ingestOai(ctx, config.ARXIV_CATEGORIES);
  // Hugging Face's picks add to arXiv's list. Its failure (often: today's list is not out yet) is
  // kept in its own state and retried at the next tick; it never fails arXiv's part.
  if (config.INGEST_HUGGINGFACE)
    result.huggingface = await ingestHuggingFace(ctx, addDays(today, -1), today).catch((err: Error) => `failed: ${err.message}`);
  return result;
}
