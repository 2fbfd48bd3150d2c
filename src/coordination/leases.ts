// Jobs that must run once however many server processes share the database (the daily ingest,
// the digests, the background embedding): a process takes the job's lease first, and only the one
// that got it runs the job. A lease ends when its holder gives it back or when it expires, so a
// holder that dies holds nobody up for longer than the lease's time.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../storage/db.ts';

/** This process, as leases name their holder. */
const THIS_PROCESS = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Takes (or renews) the lease unless another holder has it; says whether this holder has it now. */
export async function takeLease(database: Database, name: string, ttlMs: number, now: number, holder = THIS_PROCESS): Promise<boolean> {
  const expiresAt = now + ttlMs;
  const row = await database.db
    .insertInto('lease')
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: expiresAt })
        .where((eb) => eb.or([eb('lease.expires_at', '<=', now), eb('lease.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

export async function releaseLease(database: Database, name: string, holder = THIS_PROCESS): Promise<void> {
  await database.db.deleteFrom('lease').where('name', '=', name).where('holder', '=', holder).execute();
}

/**
 * One scheduled tick of a job (`ingest@2026-11-30T05:30:00`), claimed by the first process to ask:
 * every process's clock fires the same second (a tick fires a few milliseconds after it, hence the
 * rounding), and one of them runs it. The claim is kept a day, so a run that ends quickly is not
 * followed by a second one from a process whose tick came a moment later. Returns the tick and
 * whether this holder has it.
 */
export async function claimTick(
  database: Database,
  job: string,
  now: Date,
  holder = THIS_PROCESS,
): Promise<{ tick: string; mine: boolean }> {
  const second = new Date(Math.round(now.getTime() / 1000) * 1000).toISOString().slice(0, 19);
  const tick = `${job}@${second}`;
  await database.db.deleteFrom('lease').where('expires_at', '<', now.getTime()).execute();
  return { tick, mine: await takeLease(database, tick, 24 * 3600_000, now.getTime(), holder) };
}
