// `paperboy ingest …` and `paperboy status`: the ingest jobs by hand, with progress and a summary.
import { isCategory } from '../arxiv/ids.ts';
import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import {
  ingestHuggingFace,
  ingestOai,
  ingestPaper,
  ingestRss,
  makeSources,
  type IngestContext,
  type IngestSummary,
} from '../ingest/run.ts';
import { listStates } from '../ingest/state.ts';
import type { Database } from '../storage/db.ts';
import { isValidDate } from '../util/dates.ts';
import { COUNT, progress, type Unit } from './progress.ts';

type Open = () => Promise<{ config: Config; database: Database }>;

function date(value: string): string {
  if (!isValidDate(value)) throw new Error(`not a date (YYYY-MM-DD): ${value}`);
  return value;
}

function categories(value: string): string[] {
  const list = value.split(/[\s,]+/).filter(Boolean);
  if (list.length === 0 || !list.every(isCategory)) throw new Error(`not a list of arXiv categories: ${value}`);
  return list;
}

function report(summary: IngestSummary, dryRun: boolean | undefined) {
  const counts = `${summary.new} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected`;
  console.log(dryRun ? `dry run, nothing written: would be ${counts}` : counts);
}

/** Opens everything a job needs, runs it with a progress display, and closes up. */
async function withContext<T>(
  open: Open,
  options: { dryRun?: boolean },
  unit: Unit,
  needsContact: boolean,
  job: (ctx: IngestContext, config: Config) => Promise<T>,
) {
  const { config, database } = await open();
  if (needsContact && !config.CONTACT_EMAIL) {
    await database.close();
    throw new Error('set CONTACT_EMAIL: arXiv asks API clients to say who runs them (it goes in the User-Agent)');
  }
  const bar = progress(options.dryRun ? 'checking' : 'ingesting', unit);
  const ctx: IngestContext = {
    database,
    sources: makeSources(config, database),
    dryRun: options.dryRun,
    log: (line) => process.stderr.write(`${line}\n`),
    onProgress: (done, total) => bar.update(done, total),
  };
  try {
    return await job(ctx, config);
  } finally {
    bar.stop();
    await database.close();
  }
}

/** Runs one ingest job: `withContext` bound to how the CLI opens the database. */
type Run = <T>(
  options: { dryRun?: boolean },
  unit: Unit,
  needsContact: boolean,
  job: (ctx: IngestContext, config: Config) => Promise<T>,
) => Promise<T>;

export function registerIngest(program: Command, open: Open) {
  const run: Run = (options, unit, needsContact, job) => withContext(open, options, unit, needsContact, job);
  const ingest = program.command('ingest').description('fetch papers from arXiv and Hugging Face (politely: one arXiv request every 3 s)');
  arxivCommands(ingest, run);
  otherSources(ingest, run);
  registerStatus(program, open);
}

function arxivCommands(ingest: Command, run: Run) {
  ingest
    .command('arxiv')
    .description('back-fill or catch up from arXiv OAI-PMH, one set per category')
    .requiredOption('--from <date>', 'first datestamp, YYYY-MM-DD', date)
    .option('--until <date>', 'last datestamp, YYYY-MM-DD', date)
    .option('--categories <list>', 'comma-separated categories (default: ARXIV_CATEGORIES)', categories)
    .option('--dry-run', 'show what would change without writing')
    .action(async (o: { from: string; until?: string; categories?: string[]; dryRun?: boolean }) => {
      const summary = await run(o, COUNT('records'), true, (ctx, config) =>
        ingestOai(ctx, o.categories ?? config.ARXIV_CATEGORIES, { from: o.from, until: o.until }),
      );
      report(summary, o.dryRun);
    });

  ingest
    .command('rss')
    .description("today's announcement from arXiv's RSS feed: new and cross-listed papers enter the day's list")
    .option('--categories <list>', 'comma-separated categories (default: ARXIV_CATEGORIES)', categories)
    .option('--dry-run', 'show what would change without writing')
    .action(async (o: { categories?: string[]; dryRun?: boolean }) => {
      const summary = await run(o, COUNT('requests'), true, (ctx, config) =>
        ingestRss(ctx, o.categories ?? config.ARXIV_CATEGORIES, config.DAY_TIMEZONE),
      );
      if (!summary.day) console.log('no announcement in the feed (arXiv does not announce on weekends and holidays)');
      else console.log(`announcement of ${summary.day}`);
      report(summary, o.dryRun);
    });
}

function otherSources(ingest: Command, run: Run) {
  ingest
    .command('hf')
    .description('Hugging Face Daily Papers: community picks with upvotes, code links and stars (never user names)')
    .option('--date <date>', 'one day', date)
    .option('--from <date>', 'first day of a range', date)
    .option('--to <date>', 'last day of a range', date)
    .option('--dry-run', 'show what would change without writing')
    .action(async (o: { date?: string; from?: string; to?: string; dryRun?: boolean }) => {
      const from = o.date ?? o.from;
      const to = o.date ?? o.to ?? o.from;
      if (!from || !to || (o.date && (o.from || o.to))) throw new Error('give --date D, or --from D [--to D]');
      const summary = await run(o, COUNT('days'), false, (ctx) => ingestHuggingFace(ctx, from, to));
      report(summary, o.dryRun);
    });

  ingest
    .command('paper')
    .description('look one paper up on the arXiv API by id or URL and store it')
    .argument('<id>', 'an arXiv id (2301.00001, hep-th/9901001) or arxiv.org URL')
    .option('--dry-run', 'show what would change without writing')
    .action(async (id: string, o: { dryRun?: boolean }) => {
      const summary = await run(o, COUNT('requests'), true, (ctx) => ingestPaper(ctx, id));
      console.log(`arXiv:${summary.arxivId}`);
      report(summary, o.dryRun);
    });
}

function registerStatus(program: Command, open: Open) {
  program
    .command('status')
    .description('where each ingest source stands: cursor, last run, last success, last error')
    .action(async () => {
      const { database } = await open();
      try {
        const states = await listStates(database);
        if (states.length === 0) console.log('no ingest has run yet');
        for (const s of states) {
          console.log(`${s.source}`);
          console.log(`  cursor        ${s.cursor ?? '-'}${s.resume ? ` (resuming a harvest from ${s.resume.from})` : ''}`);
          console.log(`  last run      ${s.lastRunAt ?? '-'}`);
          console.log(`  last success  ${s.lastSuccessAt ?? '-'}`);
          if (s.lastError) console.log(`  last error    ${s.lastError}`);
          if (s.lastSummary) console.log(`  last summary  ${JSON.stringify(s.lastSummary)}`);
        }
      } finally {
        await database.close();
      }
    });
}
