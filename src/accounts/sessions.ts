// Signed-in browsers. A session is a random token in an httpOnly cookie; the database keeps only the
// token's SHA-256, its member and its expiry. Sessions slide: each use within the last day of a
// 30-day life extends it. Signing in always starts a new session (the old one, if any, ends), and a
// member can end all of theirs at once; changing the password does.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../storage/db.ts';
import { toMember, type Member } from './members.ts';

const LIFETIME_MS = 30 * 86_400_000;
const REFRESH_AFTER_MS = 86_400_000; // write the new expiry at most once a day per session

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function startSession(
  database: Database,
  memberId: number,
  now: Date,
  userAgent?: string,
): Promise<{ token: string; expires: Date }> {
  const token = newToken();
  const expires = new Date(now.getTime() + LIFETIME_MS);
  await database.db
    .insertInto('member_session')
    .values({
      token_hash: tokenHash(token),
      member_id: memberId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expires.toISOString(),
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, expires };
}

/** The member a session token belongs to, if the session is live; extends it when due. */
export async function sessionMember(
  database: Database,
  token: string,
  now: Date,
): Promise<{ member: Member; expires: Date; refreshed: boolean } | null> {
  if (!/^[\w-]{43}$/.test(token)) return null;
  const hashed = tokenHash(token);
  const row = await database.db
    .selectFrom('member_session')
    .innerJoin('member', 'member.id', 'member_session.member_id')
    .selectAll('member')
    .select(['member_session.expires_at', 'member_session.last_seen_at'])
    .where('member_session.token_hash', '=', hashed)
    .executeTakeFirst();
  if (!row || Date.parse(row.expires_at) <= now.getTime()) return null;
  const { expires_at, last_seen_at, ...member } = row;
  if (now.getTime() - Date.parse(last_seen_at) < REFRESH_AFTER_MS)
    return { member: toMember(member), expires: new Date(expires_at), refreshed: false };
  const expires = new Date(now.getTime() + LIFETIME_MS);
  await database.db
    .updateTable('member_session')
    .set({ last_seen_at: now.toISOString(), expires_at: expires.toISOString() })
    .where('token_hash', '=', hashed)
    .execute();
  return { member: toMember(member), expires, refreshed: true };
}

export async function endSession(database: Database, token: string): Promise<void> {
  await database.db.deleteFrom('member_session').where('token_hash', '=', tokenHash(token)).execute();
}

/** Ends every session of a member (and drops expired ones while at it). */
export async function endAllSessions(database: Database, memberId: number, now: Date): Promise<number> {
  const result = await database.db
    .deleteFrom('member_session')
    .where((eb) => eb.or([eb('member_id', '=', memberId), eb('expires_at', '<=', now.toISOString())]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countSessions(database: Database, memberId: number, now: Date): Promise<number> {
  const row = await database.db
    .selectFrom('member_session')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', memberId)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
