// The operator's view of ingest: where each source stands and how its last run went.
import type { IngestState } from '../../ingest/state.ts';
import { Layout, type Site } from './layout.tsx';

export function StatusPage(props: { site: Site; states: IngestState[]; papers: number; latestDay: string | null }) {
  return (
    <Layout site={props.site} meta={{ title: 'Ingest status', description: 'Where each ingest source stands.', path: '/admin/status' }}>
      <h1>Ingest status</h1>
      <p class="muted">
        {props.papers.toLocaleString('en-US')} papers; latest list {props.latestDay ?? 'none yet'}.
      </p>
      {props.states.length === 0 ? (
        <p>No ingest has run yet. Run <code>paperboy ingest rss</code>, or let the schedule run it.</p>
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
