// Signed links in mails: confirm, manage and unsubscribe work without an account because the link
// itself proves it was mailed to the address. The signing key is made on first use and kept in the
// database (setting `link_key`), so no secret lives in the repository or needs configuring.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../storage/db.ts';
import { settingOnce } from '../storage/settings.ts';

export type Purpose = 'confirm' | 'manage' | 'unsubscribe';

const keys = new WeakMap<Database, Promise<Buffer>>();

/** The instance's own key: signs mail links, and (derived) the CSRF cookie. */
export function linkKey(database: Database): Promise<Buffer> {
  let key = keys.get(database);
  if (!key) {
    key = settingOnce(database, 'link_key', randomBytes(32).toString('base64url')).then((value) => Buffer.from(value, 'base64url'));
    keys.set(database, key);
  }
  return key;
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest().subarray(0, 16);
}

export async function signToken(database: Database, purpose: Purpose, subscriberId: number): Promise<string> {
  const payload = `${purpose}.${subscriberId}`;
  return `${subscriberId}.${mac(await linkKey(database), payload).toString('base64url')}`;
}

/** The subscriber id a token was signed for, or null when it is not a valid token for `purpose`. */
export async function verifyToken(database: Database, purpose: Purpose, token: string | undefined): Promise<number | null> {
  const m = /^(\d{1,12})\.([\w-]{22})$/.exec(token ?? '');
  if (!m) return null;
  const expected = mac(await linkKey(database), `${purpose}.${m[1]}`);
  const given = Buffer.from(m[2]!, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? Number(m[1]) : null;
}
