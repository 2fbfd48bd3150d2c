// One-use links mailed to members. The token is random and only its hash is stored; redeeming marks
// it used in the same statement that reads it, so a link works once even when clicked twice at once.
import type { Database } from '../storage/db.ts';
import type { LinkPurpose } from '../model/community.ts';
import { newToken, tokenHash } from './sessions.ts';

const LINK_LIFETIME_MS: Record<LinkPurpose, number> = {
  verify: 48 * 3_600_000,
  'sign-in': 20 * 60_000,
  reset: 3_600_000,
  email: 48 * 3_600_000,
};

export async function issueLink(
  database: Database,
  memberId: number,
  purpose: LinkPurpose,
  email: string,
  now: Date,
  lifetimeMs = LINK_LIFETIME_MS[purpose],
): Promise<string> {
  const token = newToken();
  await database.db
    .insertInto('member_link')
    .values({
      token_hash: tokenHash(token),
      member_id: memberId,
      purpose,
      email,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
    })
    .execute();
  return token;
}

/** What a live, unused link is for, without using it (to show the right page before the click). */
export async function peekLink(
  database: Database,
  token: string,
  now: Date,
): Promise<{ purpose: LinkPurpose; memberId: number; email: string } | null> {
  if (!/^[\w-]{43}$/.test(token)) return null;
  const row = await database.db
    .selectFrom('member_link')
    .select(['purpose', 'member_id', 'email'])
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { purpose: row.purpose, memberId: Number(row.member_id), email: row.email } : null;
}

/** Uses a link: its member and address, or null when it is unknown, used, expired or for another purpose. */
export async function redeemLink(
  database: Database,
  token: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<{ memberId: number; email: string } | null> {
  if (!/^[\w-]{43}$/.test(token)) return null;
  const row = await database.db
    .updateTable('member_link')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', tokenHash(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning(['member_id', 'email'])
    .executeTakeFirst();
  return row ? { memberId: Number(row.member_id), email: row.email } : null;
}

/** Ends a member's unused links of some purposes: a new password voids old reset links, and so on. */
export async function voidLinks(database: Database, memberId: number, purposes: LinkPurpose[], now: Date): Promise<void> {
  await database.db
    .updateTable('member_link')
    .set({ used_at: now.toISOString() })
    .where('member_id', '=', memberId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}
