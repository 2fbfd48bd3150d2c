// Counting recent events per key (an address, an account) in a sliding window, in the database, so
// that every server process counts the same events: enough to stop one client from flooding an
// inbox or guessing passwords, however many processes its requests reach.
import type { Database } from '../storage/db.ts';

export class Throttle {
  constructor(
    readonly database: Database,
    /** What is counted, e.g. `wrong-password`: keys of different throttles never meet. */
    readonly kind: string,
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** The times of the key's events in the window, newest first. */
  private async recent(key: string, now: number): Promise<number[]> {
    const rows = await this.database.db
      .selectFrom('throttle_event')
      .select('at')
      .where('kind', '=', this.kind)
      .where('key', '=', key)
      .where('at', '>', now - this.windowMs)
      .orderBy('at', 'desc')
      .limit(this.max)
      .execute();
    return rows.map((r) => Number(r.at));
  }

  /** True while the key has had `max` events in the window. */
  async full(key: string, now: number): Promise<boolean> {
    return (await this.recent(key, now)).length >= this.max;
  }

  /** Milliseconds until the key is below `max` again (0 when it is). */
  async waitMs(key: string, now: number): Promise<number> {
    const recent = await this.recent(key, now);
    return recent.length < this.max ? 0 : recent[this.max - 1]! + this.windowMs - now;
  }

  async add(key: string, now: number): Promise<void> {
    await this.database.db.insertInto('throttle_event').values({ kind: this.kind, key, at: now }).execute();
    // Events that no window counts any more go as new ones come, whatever their key: the table
    // holds one window's worth of events.
    await this.database.db
      .deleteFrom('throttle_event')
      .where('kind', '=', this.kind)
      .where('at', '<=', now - this.windowMs)
      .execute();
  }

  /** Records an event unless the key is full; says whether it was recorded. */
  async take(key: string, now: number): Promise<boolean> {
    if (await this.full(key, now)) return false;
    await this.add(key, now);
    return true;
  }

  async clear(key: string): Promise<void> {
    await this.database.db.deleteFrom('throttle_event').where('kind', '=', this.kind).where('key', '=', key).execute();
  }
}
