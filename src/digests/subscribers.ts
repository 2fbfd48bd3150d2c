// Subscribers: who gets a digest, how often, how many papers, on which topics.
import type { Selectable } from 'kysely';
import type { Database, SubscriberTable } from '../storage/db.ts';
import { normaliseEmail } from '../mail/address.ts';
import type { Subscriber } from '../model/mail.ts';

export interface Preferences {
  frequency: 'daily' | 'weekly';
  topN: number;
  topics: string[];
  forYou?: boolean; // a member's own ranking first (settings; unchanged when absent)
}

export const MAX_TOPICS = 5;

function toSubscriber(row: Selectable<SubscriberTable>): Subscriber {
  return { ...row, topics: JSON.parse(row.topics) as string[], for_you: row.for_you === 1 };
}

export async function getSubscriber(database: Database, id: number): Promise<Subscriber | null> {
  const row = await database.db.selectFrom('subscriber').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSubscriber(row) : null;
}

/**
 * Records a request to subscribe. A new or unconfirmed address (or one that left) is pending until
 * it confirms; a confirmed one keeps its status. Returns the subscriber either way: the caller
 * answers the same whatever the address's state, so nobody can learn who subscribes.
 */
export async function subscriberByEmail(database: Database, email: string): Promise<Subscriber | null> {
  const row = await database.db.selectFrom('subscriber').select('id').where('email', '=', normaliseEmail(email)).executeTakeFirst();
  return row ? getSubscriber(database, Number(row.id)) : null;
}

/** A member's new address takes over the old one's digest, unless it has a digest of its own. */
export async function moveSubscription(database: Database, from: string, to: string, now: Date): Promise<void> {
  const target = normaliseEmail(to);
  await database.db
    .updateTable('subscriber')
    .set({ email: target, changed_at: now.toISOString() })
    .where('email', '=', normaliseEmail(from))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('subscriber as other').select('other.id').where('other.email', '=', target))),
    )
    .execute();
}

export async function requestSubscription(database: Database, email: string, prefs: Preferences, now: Date): Promise<Subscriber> {
  const stamp = now.toISOString();
  const address = normaliseEmail(email);
  await database.db
    .insertInto('subscriber')
    .values({
      email: address,
      status: 'pending',
      frequency: prefs.frequency,
      top_n: prefs.topN,
      topics: JSON.stringify(prefs.topics),
      created_at: stamp,
      changed_at: stamp,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  const row = await database.db.selectFrom('subscriber').selectAll().where('email', '=', address).executeTakeFirstOrThrow();
  if (row.status === 'unsubscribed') {
    await database.db.updateTable('subscriber').set({ status: 'pending', changed_at: stamp }).where('id', '=', row.id).execute();
    return { ...toSubscriber(row), status: 'pending' };
  }
  return toSubscriber(row);
}

export async function confirmSubscription(database: Database, id: number, now: Date): Promise<Subscriber | null> {
  const stamp = now.toISOString();
  await database.db
    .updateTable('subscriber')
    .set({ status: 'confirmed', confirmed_at: stamp, changed_at: stamp })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'unsubscribed'])
    .execute();
  return getSubscriber(database, id);
}

export async function updatePreferences(database: Database, id: number, prefs: Preferences, now: Date): Promise<void> {
  await database.db
    .updateTable('subscriber')
    .set({
      frequency: prefs.frequency,
      top_n: prefs.topN,
      topics: JSON.stringify(prefs.topics),
      ...(prefs.forYou !== undefined && { for_you: prefs.forYou ? 1 : 0 }),
      changed_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function setStatus(database: Database, id: number, status: Subscriber['status'], now: Date): Promise<void> {
  await database.db.updateTable('subscriber').set({ status, changed_at: now.toISOString() }).where('id', '=', id).execute();
}

export async function confirmedSubscribers(database: Database, frequency: Preferences['frequency']): Promise<Subscriber[]> {
  const rows = await database.db
    .selectFrom('subscriber')
    .selectAll()
    .where('status', '=', 'confirmed')
    .where('frequency', '=', frequency)
    .orderBy('id')
    .execute();
  return rows.map(toSubscriber);
}
