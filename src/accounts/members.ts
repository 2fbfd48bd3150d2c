// Members: who they are, how they prove it, and what they may do. Passwords are hashed with argon2id
// (OWASP's parameters: 19 MiB, 2 passes); an account without one signs in by emailed links.
import { hash, verify } from '@node-rs/argon2';
import type { Selectable } from 'kysely';
import type { Database, MemberTable } from '../storage/db.ts';
import type { Role } from '../model/community.ts';
import { normaliseEmail } from '../mail/address.ts';

export const ROLES: readonly Role[] = ['member', 'moderator', 'admin'];

export interface Member {
  id: number;
  name: string;
  email: string;
  role: Role;
  verified: boolean;
  hasPassword: boolean;
  createdAt: string;
  categories: string[]; // what lists show by default; none: every category
  topics: string[]; // what For you starts from before the member has voted (src/ranking/for-you.ts)
}

const NAME = /^[a-z0-9][a-z0-9_-]{1,29}$/;
// Names that would read as the site speaking, or clash with a page.
const RESERVED = new Set([
  'admin',
  'administrator',
  'moderator',
  'mod',
  'root',
  'system',
  'paperboy',
  'support',
  'staff',
  'api',
  'settings',
  'signin',
  'signup',
  'signout',
  'anonymous',
  'deleted',
  'null',
  'undefined',
]);
export const PASSWORD_MIN = 10;
const PASSWORD_MAX = 200; // argon2 takes any length; this bounds the work a stranger can ask for

export const isReservedName = (name: string): boolean => RESERVED.has(name);

/** What is wrong with a chosen member name, or null. */
export function nameProblem(name: string): string | null {
  if (!NAME.test(name)) return 'A name is 2 to 30 characters: lower-case letters, digits, - and _, starting with a letter or digit.';
  if (RESERVED.has(name)) return 'That name is reserved. Choose another.';
  return null;
}

export function passwordProblem(password: string, member: { name: string; email: string }): string | null {
  if (password.length < PASSWORD_MIN) return `A password needs at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `A password can have at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (lower === member.name || lower === member.email || lower === member.email.split('@')[0])
    return 'Choose a password that is not your name or address.';
  return null;
}

function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 /* argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

// Checked against when no account matches, so a wrong address takes as long as a wrong password.
const DUMMY_HASH = hashPassword('no account has this password');

/** True when `password` is the member's; takes the same time when there is no such member. */
export async function checkPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX) return false;
  const ok = await verify(storedHash ?? (await DUMMY_HASH), password).catch(() => false);
  return ok && !!storedHash;
}

export function toMember(row: Selectable<MemberTable>): Member {
  return {
    id: Number(row.id),
    name: row.name,
    email: row.email,
    role: row.role,
    verified: row.email_verified_at !== null,
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at,
    categories: row.categories ? row.categories.split(',') : [],
    topics: row.topics ? row.topics.split('\n') : [],
  };
}

/** The categories the member's lists show by default (none for every category) and their topics, checked by the caller. */
export async function setMemberInterests(
  database: Database,
  memberId: number,
  interests: Pick<Member, 'categories' | 'topics'>,
): Promise<void> {
  await database.db
    .updateTable('member')
    .set({ categories: interests.categories.join(','), topics: interests.topics.join('\n') })
    .where('id', '=', memberId)
    .execute();
}

export async function memberRow(database: Database, by: { id: number } | { email: string } | { name: string }) {
  let q = database.db.selectFrom('member').selectAll();
  if ('id' in by) q = q.where('id', '=', by.id);
  else if ('email' in by) q = q.where('email', '=', normaliseEmail(by.email));
  else q = q.where('name', '=', by.name.toLowerCase());
  return (await q.executeTakeFirst()) ?? null;
}

export async function findMember(database: Database, by: { id: number } | { email: string } | { name: string }): Promise<Member | null> {
  const row = await memberRow(database, by);
  return row ? toMember(row) : null;
}

type NewMember = {
  name: string;
  email: string;
  password: string | null;
  role?: Role;
  verifiedAt?: string | null;
} & Partial<Pick<Member, 'categories' | 'topics'>>;

/** Creates a member, or says which unique field is taken (the name first). Two sign-ups racing: one wins, one is told. */
export async function createMember(database: Database, m: NewMember, now: Date): Promise<Member | 'name-taken' | 'email-taken'> {
  const name = m.name.toLowerCase();
  const email = normaliseEmail(m.email);
  const taken = await database.db
    .selectFrom('member')
    .select(['name', 'email'])
    .where((eb) => eb.or([eb('name', '=', name), eb('email', '=', email)]))
    .execute();
  // The name first: "taken" must say nothing of the address (whose owner is told by mail alone).
  // And the password is hashed either way, so a known address takes as long as a new one.
  const passwordHash = m.password === null ? null : await hashPassword(m.password);
  if (taken.some((t) => t.name === name)) return 'name-taken';
  if (taken.some((t) => t.email === email)) return 'email-taken';
  const row = await database.db
    .insertInto('member')
    .values({
      name,
      email,
      password_hash: passwordHash,
      role: m.role ?? 'member',
      email_verified_at: m.verifiedAt ?? null,
      created_at: now.toISOString(),
      categories: (m.categories ?? []).join(','),
      topics: (m.topics ?? []).join('\n'),
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return (await memberRow(database, { email })) ? 'email-taken' : 'name-taken';
  return toMember(row);
}

export async function markVerified(database: Database, id: number, now: Date): Promise<void> {
  await database.db
    .updateTable('member')
    .set({ email_verified_at: now.toISOString() })
    .where('id', '=', id)
    .where('email_verified_at', 'is', null)
    .execute();
}

export async function setPassword(database: Database, id: number, password: string): Promise<void> {
  await database.db
    .updateTable('member')
    .set({ password_hash: await hashPassword(password) })
    .where('id', '=', id)
    .execute();
}

/** Members, newest first, for the operator's list. */
export async function listMembers(database: Database, limit: number): Promise<Member[]> {
  const rows = await database.db.selectFrom('member').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toMember);
}

export async function setRole(database: Database, id: number, role: Role): Promise<void> {
  await database.db.updateTable('member').set({ role }).where('id', '=', id).execute();
}

/** Moves a member to a confirmed new address; false when another member has it by now. */
export async function changeEmail(database: Database, id: number, email: string, now: Date): Promise<boolean> {
  const result = await database.db
    .updateTable('member')
    .set({ email: normaliseEmail(email), email_verified_at: now.toISOString() })
    .where('id', '=', id)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('member as other').select('other.id').where('other.email', '=', normaliseEmail(email)).where('other.id', '<>', id),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** True when `member` may do what `role` may: admins can do what moderators can, and so on. */
export function hasRole(member: Pick<Member, 'role'> | null | undefined, role: Role): boolean {
  return !!member && ROLES.indexOf(member.role) >= ROLES.indexOf(role);
}
