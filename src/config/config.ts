// Configuration: environment variables, optionally preceded by a KEY=VALUE file named by
// PAPERBOY_CONFIG (or `--config`). Validated once at start so a typo fails loudly with the variable's
// name instead of surfacing later as a strange runtime error.
import { isCategory } from '../arxiv/ids.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { Cron } from 'croner';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/paperboy.db')
    .refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), {
      message: 'must start with sqlite: (e.g. sqlite:./data/paperboy.db) or postgres://',
    }),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SITE_NAME: z.string().min(1).max(60).default('Paperboy'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600), // per client address
  // Strangers' lists, paper pages, feeds and list API answers kept rendered, per process (src/http/response-cache.ts); 0 turns it off.
  RESPONSE_CACHE_MB: z.coerce.number().min(0).default(32),
  // Each server worker's JavaScript heap (V8's --max-old-space-size): collected sooner, a worker
  // stays near 250 MB under load at 75k papers instead of growing to 350 MB. The first process
  // (schedules, embedding, training) is not limited.
  WORKER_HEAP_MB: z.coerce.number().int().min(64).default(256),
  // /metrics in Prometheus' format (docs/deploy.md#metrics): off with false; without a token it answers
  // loopback addresses only (a Prometheus on the same machine, or through the reverse proxy's own rule).
  METRICS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  METRICS_TOKEN: z.string().min(16).optional(), // then anyone with `Authorization: Bearer <token>`
  SEARCH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60), // searches, similar papers, papers in other words
  // Members' submissions (docs/community.md): how old a paper may be, how many a member may submit a
  // day, and how long an account must exist first.
  SUBMISSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).default(14),
  SUBMISSIONS_PER_DAY: z.coerce.number().int().min(0).default(5),
  SUBMISSION_MIN_ACCOUNT_AGE_HOURS: z.coerce.number().min(0).default(24),
  AUTH_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(30), // per address and form: sign-up, sign-in, emailed links

  // Semantic search (docs/search.md): the built-in model learned from the instance's papers, an
  // OpenAI-compatible embeddings endpoint (Ollama, TEI, vLLM, OpenAI), or keyword search only.
  EMBEDDER: z.enum(['builtin', 'openai', 'onnx', 'none']).default('builtin'),
  EMBEDDING_URL: z.string().url().optional(), // base URL, e.g. http://127.0.0.1:11434/v1
  EMBEDDING_MODEL: z.string().min(1).max(500).optional(), // the endpoint's model name; for onnx a folder or a Hugging Face model id
  HF_ENDPOINT: z.string().url().default('https://huggingface.co'), // where EMBEDDER=onnx downloads a model id from (a mirror)
  MODEL_CACHE_DIR: z.string().min(1).default('./data/models'), // and where it keeps it
  EMBEDDING_API_KEY: z.string().min(1).optional(),

  // Generated summaries (`paperboy summarize`, docs/ingest.md): an OpenAI-compatible chat endpoint
  // writes a one-line summary and keywords for listed papers that have none. Each run stops at
  // SUMMARY_MAX_PAPERS papers and SUMMARY_MAX_TOKENS tokens, whichever comes first: the cost guard.
  SUMMARY_URL: z.string().url().optional(), // base URL, e.g. http://127.0.0.1:11434/v1
  SUMMARY_MODEL: z.string().min(1).max(200).optional(),
  SUMMARY_API_KEY: z.string().min(1).optional(),
  SUMMARY_MAX_PAPERS: z.coerce.number().int().min(1).default(100),
  SUMMARY_MAX_TOKENS: z.coerce.number().int().min(1000).default(100_000),

  // Ingest (docs/ingest.md)
  CONTACT_EMAIL: z.string().email().optional(), // sent to arXiv in the User-Agent, as its terms ask
  ARXIV_CATEGORIES: z
    .string()
    .default('cs.AI,cs.CL,cs.CV,cs.LG')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .refine((list) => list.length > 0 && list.every(isCategory), {
      message: 'a comma-separated list of arXiv categories or archives, such as cs.AI,cs.CL',
    }),
  DAY_TIMEZONE: z
    .string()
    .default('America/New_York')
    .refine(isTimeZone, { message: 'must be an IANA time zone such as America/New_York or UTC' }),
  INGEST_SCHEDULE: z.string().default('30 0-6 * * 1-5'), // cron, in DAY_TIMEZONE; empty turns it off
  // On: a new online instance's lists then lead with Hugging Face's picks from the first day
  // (README, "Keeping it fresh"). It only runs with the daily ingest, which CONTACT_EMAIL turns on.
  INGEST_HUGGINGFACE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  ARXIV_OAI_URL: z.string().url().default('https://oaipmh.arxiv.org/oai'),
  ARXIV_RSS_URL: z.string().url().default('https://rss.arxiv.org/rss'),
  ARXIV_API_URL: z.string().url().default('https://export.arxiv.org/api/query'),
  HF_API_URL: z.string().url().default('https://huggingface.co/api'),
  ARXIV_REQUEST_INTERVAL_MS: z.coerce.number().int().min(0).default(3000),

  // Mail (docs/digests.md)
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be smtp://user:password@host:port or smtps://…')
    .optional(), // without it, mails are written to OUTBOX_DIR
  MAIL_FROM: z.string().min(3).default('Paperboy <papers@localhost>'),
  OUTBOX_DIR: z.string().min(1).default('./data/outbox'),
  MAIL_PER_SECOND: z.coerce.number().positive().default(10),
  DIGEST_SCHEDULE: z.string().default('0 9 * * *'), // cron in DAY_TIMEZONE: daily digests; empty turns it off
  WEEKLY_DIGEST_DAY: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']).default('monday'),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const LOOPBACK = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?\//;

export type Config = Omit<z.infer<typeof schema>, 'PUBLIC_URL'> & {
  PUBLIC_URL: string;
  /** Where PUBLIC_URL came from: the environment (or file), the database (what `paperboy serve` stored), or the default. */
  PUBLIC_URL_FROM: 'environment' | 'database' | 'default';
};

export class ConfigError extends Error {}

/** Reads the configuration from `env` (default: the process environment) and an optional file. */
export function loadConfig(env: Record<string, string | undefined> = process.env, file = env.PAPERBOY_CONFIG): Config {
  let merged: Record<string, string | undefined> = { ...env };
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read configuration file ${file}: ${(err as Error).message}`);
    }
    // The environment wins over the file, so one-off overrides need no edit.
    merged = { ...parseEnv(text), ...env };
  }
  // An empty value means "not set" (the default), except for the schedules, where empty is how an
  // operator turns one off (README).
  const known = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, merged[k] === '' && !OFF_WHEN_EMPTY.has(k) ? undefined : merged[k]]),
  );
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const arxivUrls = [c.ARXIV_OAI_URL, c.ARXIV_RSS_URL, c.ARXIV_API_URL];
  if (c.ARXIV_REQUEST_INTERVAL_MS < 3000 && !arxivUrls.every((u) => LOOPBACK.test(u + '/'))) {
    throw new ConfigError(
      'invalid configuration:\n  ARXIV_REQUEST_INTERVAL_MS: arXiv asks for at least 3000 ms between requests; shorter intervals are only for local test servers',
    );
  }
  for (const name of ['INGEST_SCHEDULE', 'DIGEST_SCHEDULE'] as const) {
    if (!c[name]) continue;
    try {
      new Cron(c[name], { paused: true, timezone: c.DAY_TIMEZONE });
    } catch (err) {
      throw new ConfigError(`invalid configuration:\n  ${name}: ${(err as Error).message}`);
    }
  }
  if (c.EMBEDDER === 'openai' && !(c.EMBEDDING_URL && c.EMBEDDING_MODEL)) {
    throw new ConfigError(
      'invalid configuration:\n  EMBEDDER: openai needs EMBEDDING_URL (for example http://127.0.0.1:11434/v1) and EMBEDDING_MODEL',
    );
  }
  if (
    c.EMBEDDER === 'onnx' &&
    !(c.EMBEDDING_MODEL && (isModelId(c.EMBEDDING_MODEL) || existsSync(join(c.EMBEDDING_MODEL, 'onnx', 'model.onnx'))))
  ) {
    throw new ConfigError(
      'invalid configuration:\n  EMBEDDER: onnx needs EMBEDDING_MODEL, a Hugging Face model id (sentence-transformers/all-MiniLM-L6-v2) or a folder with config.json, tokenizer.json and onnx/model.onnx',
    );
  }
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return { ...c, PUBLIC_URL: publicUrl, PUBLIC_URL_FROM: c.PUBLIC_URL ? 'environment' : 'default' };
}

/** EMBEDDING_MODEL as a Hugging Face model id, `owner/name`; a folder that exists is never taken for one. */
export function isModelId(value: string): boolean {
  return /^[\w.-]+\/[\w.-]+$/.test(value) && !value.startsWith('.') && !existsSync(value);
}

/** The configuration as `paperboy config` prints it: passwords in URLs are masked. */
export function describeConfig(config: Config): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(
    Object.entries(config)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, SECRETS.has(k) ? '***' : typeof v === 'string' ? maskSecrets(v) : Array.isArray(v) ? v.join(',') : v]),
  );
}

const OFF_WHEN_EMPTY = new Set(['INGEST_SCHEDULE', 'DIGEST_SCHEDULE']);

const SECRETS = new Set(['EMBEDDING_API_KEY', 'SUMMARY_API_KEY', 'METRICS_TOKEN']); // SMTP_URL's password is masked as every URL's

function maskSecrets(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)([^@]*)@/i, '$1***@');
}
