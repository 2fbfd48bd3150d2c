// The `paperboy` command: serve (serve.ts), import, ingest, embed, digest, user, migrate, config. Each opens
// what it needs, does one job and closes cleanly, so it can run from cron or a process manager as
// well as by hand.
import { Command } from 'commander';
import { ConfigError, describeConfig, loadConfig, type Config } from '../config/config.ts';
import { importPaths } from '../importer/import.ts';
import { type Database } from '../storage/db.ts';
import { openDatabase, ping } from '../storage/open.ts';
import { migrate } from '../storage/migrate.ts';
import { sendDigests } from '../digests/digest.ts';
import { createMailer } from '../mail/mailer.ts';
import { registerIngest } from './ingest.ts';
import { registerUser } from './user.ts';
import { registerServe } from './serve.ts';
import { registerMove } from './move.ts';
import { usePublicUrl } from './public-url.ts';
import { COUNT, progress } from './progress.ts';
import { embedPapers } from '../search/embedding/job.ts';
import { withEmbeddingLease } from '../search/embedding/background.ts';
import { summarizePapers } from '../papers/summaries.ts';
import { canSearchVectors, NO_PGVECTOR } from '../search/embedding/vectors.ts';
import { VERSION } from '../util/project.ts';

const program = new Command('paperboy')
  .description('Self-hostable Daily Papers: a community-ranked daily feed of new arXiv papers')
  .version(VERSION, '-V, --version', 'print the version')
  .option('-c, --config <file>', 'read settings from a KEY=VALUE file (environment variables win)')
  .showHelpAfterError();

function config(): Config {
  const file = program.opts<{ config?: string }>().config ?? process.env.PAPERBOY_CONFIG;
  return loadConfig(process.env, file);
}

/**
 * Opens the configured database and checks that it answers; a failure names DATABASE_URL (its
 * password masked). Without PUBLIC_URL, `c` takes the one `paperboy serve` stored there.
 */
async function reach(c: Config): Promise<Database> {
  let database: Database | undefined;
  try {
    database = await openDatabase(c.DATABASE_URL);
    await ping(database);
    await usePublicUrl(c, database);
    return database;
  } catch (err) {
    await database?.close().catch(() => {});
    throw new Error(`cannot use the database at DATABASE_URL=${describeConfig(c).DATABASE_URL}: ${(err as Error).message}`);
  }
}

/** Opens the configured database at the latest schema version. */
async function open(c: Config): Promise<Database> {
  const database = await reach(c);
  await migrate(database);
  return database;
}

program
  .command('import')
  .description(
    'import papers from files or folders: arXiv metadata snapshot JSONL, daily listing JSONL, Hugging Face daily_papers responses (.gz or plain)',
  )
  .argument('<paths...>', 'files or folders')
  .action(async (paths: string[]) => {
    const database = await open(config());
    const bar = progress('importing');
    let skipped = 0;
    const summary = await importPaths(database, paths, {
      onProgress: (done, total) => bar.update(done, total),
      onReject: ({ file, line, message }) => {
        if (skipped++ < 100) process.stderr.write(`${file}:${line}: skipped: ${message}\n`);
      },
    }).finally(async () => {
      bar.stop();
      await database.close();
    });
    if (skipped > 100) process.stderr.write(`… and ${skipped - 100} more skipped records\n`);
    console.log(
      `${summary.files} files: ${summary.new} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected`,
    );
  });

const openConfigured = async () => {
  const c = config();
  return { config: c, database: await open(c) };
};
registerServe(program, { config, open, reach });
registerMove(program, { config, open });
registerIngest(program, openConfigured);
registerUser(program, openConfigured);

program
  .command('embed')
  .description('give every paper a vector for semantic search, training the built-in model first when there is none')
  .option(
    '--retrain',
    'learn a new built-in model from the papers now (or switch to the configured external model) and re-embed everything',
  )
  .action(async (o: { retrain?: boolean }) => {
    const c = config();
    const database = await open(c);
    const bars = {
      reading: progress('reading papers', COUNT('papers')),
      training: progress('learning from them', COUNT('pairs')),
      embedding: progress('embedding', COUNT('papers')),
    };
    let s;
    try {
      if (!(await canSearchVectors(database))) process.stderr.write(`warning: ${NO_PGVECTOR}\n`);
      s = await withEmbeddingLease(database, () =>
        embedPapers(database, c, { retrain: o.retrain, onProgress: (p) => bars[p.phase].update(p.done, p.total) }),
      );
    } finally {
      for (const bar of Object.values(bars)) bar.stop();
      await database.close();
    }
    console.log(
      `${s.trained ? `trained ${s.model}; ` : ''}${s.embedded} papers embedded with ${s.model || 'no model (no papers yet)'}${s.activated ? '; the new model is now searched' : ''}`,
    );
  });

program
  .command('summarize')
  .description(
    'write a one-line AI summary and keywords for listed papers without one, through SUMMARY_URL; each run stops at SUMMARY_MAX_PAPERS papers and SUMMARY_MAX_TOKENS tokens',
  )
  .option('--dry-run', 'say how many papers wait and what this run would spend, without asking the endpoint')
  .action(async (o: { dryRun?: boolean }) => {
    const c = config();
    const database = await open(c);
    const bar = progress('summarizing', COUNT('papers'));
    let run;
    try {
      run = await summarizePapers(database, c, { dryRun: o.dryRun, onProgress: (p) => bar.update(p.done, p.total) });
    } finally {
      bar.stop();
      await database.close();
    }
    for (const error of run.errors) process.stderr.write(`warning: ${error}\n`);
    const why = {
      papers: `SUMMARY_MAX_PAPERS (${c.SUMMARY_MAX_PAPERS}) reached`,
      tokens: `SUMMARY_MAX_TOKENS (${c.SUMMARY_MAX_TOKENS}) would be passed`,
      failures: 'the endpoint failed three times in a row',
    };
    console.log(
      o.dryRun
        ? `${run.waiting} listed papers have no summary; this run would summarize up to ${Math.min(run.waiting, c.SUMMARY_MAX_PAPERS)} for at most ${run.tokens} tokens${run.stopped === 'tokens' ? ' (the token budget stops it first)' : ''}`
        : `${run.summarized} papers summarized with ${c.SUMMARY_MODEL}, ${run.failed} failed, ${run.tokens} tokens; ${run.waiting - run.summarized} still without a summary${run.stopped ? ` (stopped: ${why[run.stopped]})` : ''}`,
    );
    if (run.stopped === 'failures') process.exitCode = 1;
  });

const digest = program.command('digest').description('email digests');
digest
  .command('send')
  .description("build this period's digests for confirmed subscribers and send everything queued")
  .option('--period <period>', 'daily or weekly', 'daily')
  .option('--dry-run', 'count the digests that would be built, without queueing or sending')
  .action(async (o: { period: string; dryRun?: boolean }) => {
    if (o.period !== 'daily' && o.period !== 'weekly') throw new Error('--period must be daily or weekly');
    const c = config();
    const database = await open(c);
    const mailer = createMailer({ smtpUrl: c.SMTP_URL, from: c.MAIL_FROM, outboxDir: c.OUTBOX_DIR });
    try {
      const s = await sendDigests({ database, mailer, config: c, now: () => new Date() }, o.period, { dryRun: o.dryRun });
      const what = o.dryRun
        ? `dry run, nothing queued or sent: would queue ${s.queued}`
        : `${s.queued} queued, ${s.sent} sent, ${s.retrying} to retry, ${s.failed} failed`;
      console.log(`${s.period ?? 'no list yet'}: ${what}, ${s.skipped} skipped (via ${mailer.description})`);
    } finally {
      mailer.close();
      await database.close();
    }
  });

program
  .command('migrate')
  .description('bring the database schema to the latest version (serve and import also do this)')
  .action(async () => {
    const c = config();
    const database = await reach(c);
    try {
      const applied = await migrate(database);
      console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'the database is up to date');
    } finally {
      await database.close();
    }
  });

program
  .command('config')
  .description('print the effective configuration, secrets masked')
  .action(() => {
    console.log(JSON.stringify(describeConfig(config()), null, 2));
  });

try {
  await program.parseAsync();
} catch (err) {
  // Operational failures (bad settings, missing files, unreachable database) read best as one line;
  // PAPERBOY_DEBUG=1 shows where they came from.
  const error = err as Error;
  process.stderr.write(`paperboy: ${process.env.PAPERBOY_DEBUG && !(err instanceof ConfigError) ? error.stack : error.message}\n`);
  process.exit(1);
}
