// What account mails went out, for the operator's outbox page: recipient, kind, subject and whether
// it was sent, failed or was held back by the per-address throttle. Never the body, which holds a
// one-time link. Rows older than KEEP_DAYS go as new ones come.
import type { Database } from '../storage/db.ts';

const KEEP_DAYS = 30;

export interface AccountMailEntry {
  recipient: string;
  kind: string;
  subject: string;
  status: 'sent' | 'failed' | 'throttled';
  error: string | null;
  createdAt: string;
}

export async function recordAccountMail(database: Database, entry: Omit<AccountMailEntry, 'createdAt'>, now: Date): Promise<void> {
  await database.db
    .insertInto('account_mail')
    .values({ ...entry, error: entry.error?.slice(0, 500) ?? null, created_at: now.toISOString() })
    .execute();
  await database.db
    .deleteFrom('account_mail')
    .where('created_at', '<', new Date(now.getTime() - KEEP_DAYS * 86_400_000).toISOString())
    .execute();
}

export async function recentAccountMails(database: Database, limit: number): Promise<AccountMailEntry[]> {
  const rows = await database.db.selectFrom('account_mail').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    recipient: r.recipient,
    kind: r.kind,
    subject: r.subject,
    status: r.status,
    error: r.error,
    createdAt: String(r.created_at),
  }));
}
