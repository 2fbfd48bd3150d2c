// A browser's worth of state for route tests: a cookie jar over app.inject, and forms submitted with
// the CSRF token of the page they are on, as a person clicking through would.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createMember, type Member } from '../accounts/members.ts';
import type { Role } from '../model/community.ts';
import { startSession } from '../accounts/sessions.ts';
import type { Database } from '../storage/db.ts';

export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly app: FastifyInstance) {}

  private cookieHeader(): string | undefined {
    return this.cookies.size ? [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const cookie = this.cookieHeader();
    return this.keep(await this.app.inject({ url, headers: { ...headers, ...(cookie && { cookie }) } }));
  }

  async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const cookie = this.cookieHeader();
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers, ...(cookie && { cookie }) },
        payload: new URLSearchParams(form).toString(),
      }),
    );
  }

  /** Opens `page` and posts `fields` to `action` with the page's CSRF token. */
  async submit(page: string, action: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await this.get(page);
    return this.post(action, { _csrf: csrfOf(res.body), ...fields }, headers);
  }
}

export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, 'the page has a form with a CSRF token');
  return token;
}

let counter = 0;

/** A confirmed member, signed in on a fresh client. */
export async function signedIn(
  app: FastifyInstance,
  database: Database,
  options: { name?: string; role?: Role; password?: string; createdAt?: Date } = {},
): Promise<{ member: Member; client: TestClient }> {
  const name = options.name ?? `member${++counter}`;
  const at = options.createdAt ?? new Date();
  const created = await createMember(
    database,
    { name, email: `${name}@example.org`, password: options.password ?? null, role: options.role, verifiedAt: at.toISOString() },
    at,
  );
  assert.ok(typeof created !== 'string', `member ${name} created`);
  const client = new TestClient(app);
  const { token } = await startSession(database, created.id, new Date());
  client.cookies.set('session', token);
  return { member: created, client };
}
