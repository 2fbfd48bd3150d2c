// The operator's view of ingest: where each source stands and how its last run went.
import type { IngestState } from '../../ingest/state.ts';
import type { OutboxEntry } from '../../model/mail.ts';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

export function StatusPage(props: { site: Site; states: IngestState[]; papers: number; latestDay: string | null }) {
  return (
    <Layout site={props.site} meta={{ title: 'Ingest status', description: 'Where each ingest source stands.', path: '/admin/status' }}>
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

export function OutboxPage(props: { site: Site; mails: OutboxEntry[]; destination: string }) {
  return (
    <Layout site={props.site} meta={{ title: 'Outbox', description: 'Mails sent and queued.', path: '/admin/outbox' }}>
      <h1>Outbox</h1>
      <p class="muted">
        The latest {props.mails.length} mails. Mail goes to {props.destination}.
      </p>
      <table class="status">
        <thead>
          <tr>
            <th>To</th>
            <th>Subject</th>
            <th>Status</th>
            <th>Queued</th>
            <th>Sent</th>
          </tr>
        </thead>
        <tbody>
          {props.mails.map((m) => (
            <tr class={m.status === 'failed' ? 'failed' : 'ok'}>
              <td>{m.recipient}</td>
              <td>{m.subject}</td>
              <td>
                {m.status}
                {m.lastError && ` (${m.attempts} attempts: ${m.lastError})`}
              </td>
              <td>{m.createdAt}</td>
              <td>{m.sentAt ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
