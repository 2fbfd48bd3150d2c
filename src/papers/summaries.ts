// Generated summaries (`paperboy summarize`): listed papers without an AI summary get a one-sentence
// summary and a few keywords from an OpenAI-compatible chat endpoint (SUMMARY_URL, SUMMARY_MODEL,
// SUMMARY_API_KEY: Ollama, vLLM, llama.cpp's server, OpenAI), newest list first. Every run has a cost
// guard: at most SUMMARY_MAX_PAPERS papers and SUMMARY_MAX_TOKENS tokens (the endpoint's own count
// when it reports one, else four characters a token), checked before each request so a run never
// goes over. A paper the endpoint fails on is skipped and counted; three failures in a row end the
// run (the endpoint is down). Hugging Face's summaries are never replaced. Pages say which model
// wrote a summary.
import type { Config } from '../config/config.ts';
import type { Database } from '../storage/db.ts';
import { postJson } from '../util/post-json.ts';

export type SummarySettings = Pick<
  Config,
  'SUMMARY_URL' | 'SUMMARY_MODEL' | 'SUMMARY_API_KEY' | 'SUMMARY_MAX_PAPERS' | 'SUMMARY_MAX_TOKENS'
>;

export interface SummaryProgress {
  done: number;
  total: number;
  tokens: number;
}

export interface SummaryRun {
  waiting: number; // listed papers without a summary before the run
  summarized: number;
  failed: number;
  tokens: number;
  /** Why the run ended before every waiting paper had a summary. */
  stopped: 'papers' | 'tokens' | 'failures' | null;
  errors: string[]; // the first few, for the operator
}

const TIMEOUT_MS = 60_000;
const REPLY_TOKENS = 150;
const MAX_KEYWORDS = 6;
const FAILURES_IN_A_ROW = 3;
const PROMPT =
  'You summarise research papers for a daily list. Answer with exactly two lines. Line 1: one plain sentence of at most 30 words saying what the paper does and finds. Line 2: "Keywords:" then 3 to 6 short keywords, separated by commas.';

export class SummaryError extends Error {}

export function checkSummarySettings(settings: SummarySettings): void {
  if (!settings.SUMMARY_URL || !settings.SUMMARY_MODEL)
    throw new SummaryError('set SUMMARY_URL (an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1) and SUMMARY_MODEL first');
}

async function waitingPapers(database: Database, limit: number) {
  return database.db
    .selectFrom('paper')
    .innerJoin('listing', 'listing.paper_id', 'paper.id')
    .select(['paper.id', 'paper.title', 'paper.abstract'])
    .where('paper.ai_summary', 'is', null)
    .orderBy('listing.day', 'desc')
    .orderBy('paper.id', 'desc')
    .limit(limit)
    .execute();
}

export async function countWaiting(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('paper')
    .innerJoin('listing', 'listing.paper_id', 'paper.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('paper.ai_summary', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The reply's two lines as a summary and keywords; null when there is no sentence in it. */
export function parseReply(text: string): { summary: string; keywords: string[] } | null {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^\s*(?:line \d:|summary:)\s*/i, '').trim())
    .filter(Boolean);
  const keywordLine = lines.find((l) => /^keywords?:/i.test(l));
  const summary = lines.find((l) => l !== keywordLine)?.slice(0, 400);
  if (!summary) return null;
  const keywords = (keywordLine ?? '')
    .replace(/^keywords?:/i, '')
    .split(/[,;]/)
    .map((k) => k.replace(/[."*]/g, '').trim().toLowerCase())
    .filter((k) => k.length > 1 && k.length <= 60)
    .slice(0, MAX_KEYWORDS);
  return { summary, keywords };
}

async function ask(
  settings: SummarySettings,
  paper: { title: string; abstract: string },
): Promise<{ text: string; tokens: number | null }> {
  const url = `${settings.SUMMARY_URL!.replace(/\/+$/, '')}/chat/completions`;
  let response: Response;
  try {
    response = await postJson(
      url,
      {
        model: settings.SUMMARY_MODEL,
        temperature: 0.2,
        max_tokens: REPLY_TOKENS,
        messages: [
          { role: 'system', content: PROMPT },
          { role: 'user', content: `${paper.title}\n\n${paper.abstract}` },
        ],
      },
      settings.SUMMARY_API_KEY,
      TIMEOUT_MS,
    );
  } catch (err) {
    throw new SummaryError(`${url} cannot be reached: ${(err as Error).message}`);
  }
  if (!response.ok) throw new SummaryError(`${url} answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const body = (await response.json().catch(() => null)) as {
    choices?: { message?: { content?: unknown } }[];
    usage?: { total_tokens?: unknown };
  } | null;
  const text = body?.choices?.[0]?.message?.content;
  if (typeof text !== 'string') throw new SummaryError(`${url} returned no message`);
  const tokens = body?.usage?.total_tokens;
  return { text, tokens: typeof tokens === 'number' && Number.isFinite(tokens) ? tokens : null };
}

/** What a request will cost at most, before it is made: the prompt at four characters a token and a full reply. */
function estimate(paper: { title: string; abstract: string }): number {
  return Math.ceil((PROMPT.length + paper.title.length + paper.abstract.length) / 4) + REPLY_TOKENS;
}

export async function summarizePapers(
  database: Database,
  settings: SummarySettings,
  { onProgress = () => {}, dryRun = false }: { onProgress?: (p: SummaryProgress) => void; dryRun?: boolean } = {},
): Promise<SummaryRun> {
  checkSummarySettings(settings);
  const waiting = await countWaiting(database);
  const run: SummaryRun = { waiting, summarized: 0, failed: 0, tokens: 0, stopped: null, errors: [] };
  const papers = await waitingPapers(database, settings.SUMMARY_MAX_PAPERS);
  if (waiting > papers.length) run.stopped = 'papers';
  let inARow = 0;
  for (const [i, paper] of papers.entries()) {
    const cost = estimate(paper);
    if (run.tokens + cost > settings.SUMMARY_MAX_TOKENS) {
      run.stopped = 'tokens';
      break;
    }
    if (dryRun) {
      run.tokens += cost;
      continue;
    }
    try {
      const reply = await ask(settings, paper);
      run.tokens += reply.tokens ?? Math.ceil((PROMPT.length + paper.title.length + paper.abstract.length + reply.text.length) / 4);
      const parsed = parseReply(reply.text);
      if (!parsed) throw new SummaryError(`the reply for paper ${paper.title.slice(0, 60)} had no sentence`);
      await database.db
        .updateTable('paper')
        .set({
          ai_summary: parsed.summary,
          ai_keywords: JSON.stringify(parsed.keywords),
          ai_summary_by: settings.SUMMARY_MODEL!,
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', paper.id)
        .where('ai_summary', 'is', null) // a source's summary that came meanwhile stays
        .execute();
      run.summarized++;
      inARow = 0;
    } catch (err) {
      if (!(err instanceof SummaryError)) throw err;
      run.failed++;
      if (run.errors.length < 5) run.errors.push(err.message);
      if (++inARow >= FAILURES_IN_A_ROW) {
        run.stopped = 'failures';
        break;
      }
    }
    onProgress({ done: i + 1, total: papers.length, tokens: run.tokens });
  }
  return run;
}
