// `paperboy backup PATH` and `paperboy copy-database --to URL`: keeping a copy of an instance, and
// moving it between SQLite and PostgreSQL (docs/deploy.md#backups-and-moving).
import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import { describeConfig, loadConfig } from '../config/config.ts';
import { prepareActiveModel } from '../search/embedding/vectors.ts';
import { backupSqlite, PG_DUMP_ADVICE } from '../storage/backup.ts';
import { copyDatabase } from '../storage/copy.ts';
import type { Database } from '../storage/db.ts';
import { COUNT, progress, type Progress } from './progress.ts';

interface Opened {
  config(): Config;
  open(c: Config): Promise<Database>;
}

export function registerMove(program: Command, opened: Opened) {
  program
    .command('backup')
    .description('write a consistent copy of the SQLite database to PATH while the site runs (on PostgreSQL: how to use pg_dump)')
    .argument('<path>', 'a new file')
    .action(async (path: string) => {
      const c = opened.config();
      if (!c.DATABASE_URL.startsWith('sqlite:')) throw new Error(PG_DUMP_ADVICE);
      const database = await opened.open(c);
      try {
        const file = await backupSqlite(database, path);
        console.log(`backed up to ${file}: start from it with DATABASE_URL=sqlite:${file}`);
      } finally {
        await database.close();
      }
    });

  program
    .command('copy-database')
    .description(
      'copy the whole instance (papers, members, votes, comments, lists, subscribers, embeddings) from DATABASE_URL into an empty database at --to, SQLite or PostgreSQL; stop the site first, or what is written meanwhile may be missing',
    )
    .requiredOption('--to <url>', 'the target: sqlite:PATH or postgres://…')
    .action(async (o: { to: string }) => {
      const c = opened.config();
      const target = loadConfig({ DATABASE_URL: o.to }); // checks the URL as DATABASE_URL is checked
      const from = await opened.open(c);
      let to: Database | undefined;
      const bars = new Map<string, Progress>();
      try {
        to = await opened.open(target);
        const copied = await copyDatabase(from, to, (table, done, total) => {
          if (!bars.has(table)) bars.set(table, progress(`copying ${table}`, COUNT('rows')));
          bars.get(table)!.update(done, total);
        });
        for (const bar of bars.values()) bar.stop();
        await prepareActiveModel(to);
        const rows = copied.reduce((n, t) => n + t.rows, 0);
        console.log(
          `copied ${rows} rows of ${copied.length} tables into ${describeConfig(target).DATABASE_URL}; point DATABASE_URL there to run on it`,
        );
      } finally {
        for (const bar of bars.values()) bar.stop();
        await from.close();
        await to?.close();
      }
    });
}
