// Personal API tokens: a member's scripts act as them with `Authorization: Bearer <token>`. A token
// is 32 random bytes shown once, when it is made; the database keeps its SHA-256 (as sessions do) and
// its last four characters. Members make and revoke them in settings; operators with
// `paperboy user token`. A token is good until revoked, and stops with its member.
import type { Database } from '../storage/db.ts';
import { toMember, type Member } from './members.ts';
import { newToken, tokenHash } from './sessions.ts';

export const TOKEN_PREFIX = 'pb_';
const MAX_TOKENS = 20;
const SEEN_EVERY_MS = 60_000; // write last_used_at at most once a minute per token

export interface ApiToken {
  id: number;
  name: string;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export class TokenError extends Error {}

/** Makes a token for the member; the token itself is returned this once and never stored. */
export async function createApiToken(
  database: Database,
  memberId: number,
  name: string,
  now: Date,
): Promise<{ token: string; id: number }> {
  const label = name.replace(/\s+/g, ' ').trim().slice(0, 60) || 'API token';
  const count = await database.db
    .selectFrom('api_token')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_TOKENS) throw new TokenError(`You have ${MAX_TOKENS} tokens: revoke one first.`);
  const token = TOKEN_PREFIX + newToken();
  const row = await database.db
    .insertInto('api_token')
    .values({ member_id: memberId, name: label, token_hash: tokenHash(token), hint: token.slice(-4), created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, id: Number(row.id) };
}

export async function apiTokensOf(database: Database, memberId: number): Promise<ApiToken[]> {
  const rows = await database.db
    .selectFrom('api_token')
    .select(['id', 'name', 'hint', 'created_at', 'last_used_at'])
    .where('member_id', '=', memberId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    hint: r.hint,
    createdAt: String(r.created_at),
    lastUsedAt: r.last_used_at && String(r.last_used_at),
  }));
}

/** Revokes one of the member's tokens; false when they have no such token. */
export async function revokeApiToken(database: Database, memberId: number, id: number): Promise<boolean> {
  const gone = await database.db.deleteFrom('api_token').where('id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
  return Number(gone.numDeletedRows) > 0;
}

/** The member a token stands for, or null for a token that is unknown or revoked. */
export async function tokenMember(database: Database, token: string, now: Date): Promise<Member | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const row = await database.db
    .selectFrom('api_token')
    .innerJoin('member', 'member.id', 'api_token.member_id')
    .selectAll('member')
    .select(['api_token.id as tokenId', 'api_token.last_used_at as lastUsedAt'])
    .where('api_token.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row) return null;
  const { tokenId, lastUsedAt, ...member } = row;
  if (!lastUsedAt || now.getTime() - Date.parse(String(lastUsedAt)) > SEEN_EVERY_MS)
    await database.db.updateTable('api_token').set({ last_used_at: now.toISOString() }).where('id', '=', tokenId).execute();
  return toMember(member);
}
