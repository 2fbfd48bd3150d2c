// The operator's pages: where each ingest source stands, what was mailed, and the members with their roles.
import type { IngestState } from '../../ingest/state.ts';
import type { OutboxEntry } from '../../model/mail.ts';
import type { AccountMailEntry } from '../../accounts/mail-log.ts';
import type { Member } from '../../accounts/members.ts';
import { ROLES } from '../../accounts/members.ts';
import { Csrf, Notice } from './forms.tsx';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

/** The operator's pages link to one another. */
function AdminNav() {
  return (
    <nav class="tabs" aria-label="Operator pages">
      <a href="/admin/status">Ingest status</a>
      <a href="/admin/outbox">Outbox</a>
      <a href="/admin/members">Members</a>
      <a href="/moderation">Moderation</a>
    </nav>
  );
}

export function StatusPage(props: { site: Site; states: IngestState[]; papers: number; latestDay: string | null }) {
  return (
    <Layout site={props.site} meta={{ title: 'Ingest status', description: 'Where each ingest source stands.', path: '/admin/status' }}>
      <AdminNav />
      <h1>Ingest status</h1>
      <p class="muted">
        {props.papers.toLocaleString('en-US')} papers; latest list {props.latestDay ?? 'none yet'}.
      </p>
      {props.states.length === 0 ? (
        <p>
          No ingest has run yet. Run <code>paperboy ingest rss</code>, or let the schedule run it.
        </p>
      ) : (
        <table class="status">
          <thead>
            <tr>
              <th>Source</th>
              <th>Cursor</th>
              <th>Last run</th>
              <th>Last success</th>
              <th>Last result</th>
            </tr>
          </thead>
          <tbody>
            {props.states.map((s) => (
              <tr class={s.lastError ? 'failed' : 'ok'}>
                <td>{s.source}</td>
                <td>
                  {s.cursor ?? '–'}
                  {s.resume && <span class="muted"> (resuming from {s.resume.from})</span>}
                </td>
                <td>{s.lastRunAt ?? '–'}</td>
                <td>{s.lastSuccessAt ?? '–'}</td>
                <td>{s.lastError ? `failed: ${s.lastError}` : s.lastSummary ? JSON.stringify(s.lastSummary) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** A mail as a row of the outbox page: what it was, whether it went, and when (one or more times). */
interface MailRow {
  recipient: string;
  subject: string;
  failed: boolean;
  status: string; // with its error, if any
  times: string[];
}

function MailTable(props: { times: string[]; rows: MailRow[] }) {
  return (
    <table class="status">
      <thead>
        <tr>
          <th>To</th>
          <th>Subject</th>
          <th>Status</th>
          {props.times.map((t) => (
            <th>{t}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((m) => (
          <tr class={m.failed ? 'failed' : 'ok'}>
            <td>{m.recipient}</td>
            <td>{m.subject}</td>
            <td>{m.status}</td>
            {m.times.map((t) => (
              <td>{t}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OutboxPage(props: { site: Site; mails: OutboxEntry[]; accountMails: AccountMailEntry[]; destination: string }) {
  return (
    <Layout site={props.site} meta={{ title: 'Outbox', description: 'Mails sent and queued.', path: '/admin/outbox' }}>
      <AdminNav />
      <h1>Outbox</h1>
      <p class="muted">Mail goes to {props.destination}.</p>
      <h2>Digests and subscription mails</h2>
      <p class="muted">The latest {props.mails.length}, queued and sent exactly once.</p>
      <MailTable
        times={['Queued', 'Sent']}
        rows={props.mails.map((m) => ({
          recipient: m.recipient,
          subject: m.subject,
          failed: m.status === 'failed',
          status: m.status + (m.lastError ? ` (${m.attempts} attempts: ${m.lastError})` : ''),
          times: [m.createdAt, m.sentAt ?? '–'],
        }))}
      />
      <h2>Account mails</h2>
      <p class="muted">
        The latest {props.accountMails.length} of the last 30 days: address checks, sign-in and reset links. Their links are never kept.
      </p>
      <MailTable
        times={['At']}
        rows={props.accountMails.map((m) => ({
          recipient: m.recipient,
          subject: m.subject,
          failed: m.status === 'failed',
          status: m.status + (m.error ? `: ${m.error}` : ''),
          times: [m.createdAt],
        }))}
      />
    </Layout>
  );
}

/** Members, newest first, each with a role an admin can change (not their own: no admin locks themselves out). */
export function MembersPage(props: { site: Site; csrf: string; members: Member[]; notice?: string }) {
  const self = props.site.viewer?.id;
  return (
    <Layout site={props.site} meta={{ title: 'Members', description: 'Members and their roles.', path: '/admin/members' }}>
      <AdminNav />
      <h1>Members</h1>
      <Notice message={props.notice} kind="ok" />
      <p class="muted">The newest {props.members.length}. Moderators hide comments and pick papers; admins also see these pages.</p>
      <table class="status">
        <thead>
          <tr>
            <th>Name</th>
            <th>Address</th>
            <th>Joined</th>
            <th>Role</th>
          </tr>
        </thead>
        <tbody>
          {props.members.map((m) => (
            <tr>
              <td>
                <a href={`/u/${m.name}`}>{m.name}</a>
              </td>
              <td>
                {m.email}
                {!m.verified && <span class="muted"> (unconfirmed)</span>}
              </td>
              <td>{m.createdAt.slice(0, 10)}</td>
              <td>
                {m.id === self ? (
                  m.role
                ) : (
                  <form class="inline" method="post" action="/admin/members/role">
                    <Csrf token={props.csrf} />
                    <input type="hidden" name="member" value={String(m.id)} />
                    <select name="role" aria-label={`Role of ${m.name}`}>
                      {ROLES.map((r) => (
                        <option value={r} selected={r === m.role}>
                          {r}
                        </option>
                      ))}
                    </select>{' '}
                    <button type="submit">Set</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
