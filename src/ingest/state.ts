// Where each ingest source stands (ingest_state): cursors, an unfinished harvest's resumption point,
// and how the last run went. Every run goes through recordRun, so a failure is on record with its
// reason until a later run succeeds.
import type { Database } from '../storage/db.ts';

export interface Resume {
  token: string;
  from: string;
  until: string | null;
}

export interface IngestState {
  source: string;
  cursor: string | null;
  resume: Resume | null;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastSummary: Record<string, unknown> | null;
}

type Row = Awaited<ReturnType<typeof selectAll>>[number];

function selectAll(database: Database) {
  return database.db.selectFrom('ingest_state').selectAll().orderBy('source').execute();
}

function toState(row: Row): IngestState {
  return {
    source: row.source,
    cursor: row.cursor,
    resume: row.resume ? (JSON.parse(row.resume) as Resume) : null,
    lastRunAt: row.last_run_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    lastSummary: row.last_summary ? (JSON.parse(row.last_summary) as Record<string, unknown>) : null,
  };
}

export async function listStates(database: Database): Promise<IngestState[]> {
  return (await selectAll(database)).map(toState);
}

export async function getState(database: Database, source: string): Promise<IngestState | null> {
  const row = await database.db.selectFrom('ingest_state').selectAll().where('source', '=', source).executeTakeFirst();
  return row ? toState(row) : null;
}

export async function saveState(
  database: Database,
  source: string,
  changes: Partial<Pick<IngestState, 'cursor' | 'resume' | 'lastRunAt' | 'lastSuccessAt' | 'lastError' | 'lastSummary'>>,
): Promise<void> {
  const row = {
    ...('cursor' in changes && { cursor: changes.cursor }),
    ...('resume' in changes && { resume: changes.resume ? JSON.stringify(changes.resume) : null }),
    ...('lastRunAt' in changes && { last_run_at: changes.lastRunAt }),
    ...('lastSuccessAt' in changes && { last_success_at: changes.lastSuccessAt }),
    ...('lastError' in changes && { last_error: changes.lastError }),
    ...('lastSummary' in changes && { last_summary: changes.lastSummary ? JSON.stringify(changes.lastSummary) : null }),
  };
  await database.db
    .insertInto('ingest_state')
    .values({ source, ...row })
    .onConflict((oc) => oc.column('source').doUpdateSet(row))
    .execute();
}

/** Runs one source's ingest, keeping its last run, success, summary or error on record. */
export async function recordRun<T extends object>(
  database: Database,
  source: string,
  run: () => Promise<T>,
  now = () => new Date(),
): Promise<T> {
  await saveState(database, source, { lastRunAt: now().toISOString() });
  try {
    const summary = await run();
    await saveState(database, source, {
      lastSuccessAt: now().toISOString(),
      lastError: null,
      lastSummary: summary as Record<string, unknown>,
    });
    return summary;
  } catch (err) {
    await saveState(database, source, { lastError: (err as Error).message.slice(0, 2000) });
    throw err;
  }
}
