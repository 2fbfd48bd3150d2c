// The moderators' queue: reported comments, the most reported first, each with its reports and the
// two ways to close them (hide with a reason, or dismiss); and what was hidden lately.
import { raw } from 'hono/html';
import { type Comment, type QueueItem } from '../../community/comments.ts';
import { HIDE_REASONS } from '../../model/community.ts';
import { renderComment } from '../../community/markdown.ts';
import { Csrf } from './forms.tsx';
import { formatTime } from '../../util/format.ts';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

function Quoted(props: { comment: Comment }) {
  const c = props.comment;
  return (
    <>
      <p class="comment-head">
        <a href={`/u/${c.author}`}>{c.author}</a> on <a href={`/papers/${c.arxivId}#comment-${c.id}`}>arXiv:{c.arxivId}</a>,{' '}
        <time datetime={c.createdAt}>{formatTime(c.createdAt)}</time>
        {c.deletedAt && <span class="muted"> · since deleted by its author</span>}
      </p>
      <blockquote class="comment-body">{raw(renderComment(c.body))}</blockquote>
    </>
  );
}

export function ModerationPage(props: { site: Site; csrf: string; queue: QueueItem[]; hidden: Comment[] }) {
  return (
    <Layout site={props.site} meta={{ title: 'Moderation', description: 'Reported comments.', path: '/moderation', math: true }}>
      <h1>Moderation</h1>
      <h2>Reported comments ({props.queue.length})</h2>
      {props.queue.length === 0 && <p class="muted">Nothing is waiting. Thank you.</p>}
      <ol class="queue">
        {props.queue.map(({ comment, reports }) => (
          <li class="card-like" id={`report-${comment.id}`}>
            <Quoted comment={comment} />
            <ul class="reports">
              {reports.map((r) => (
                <li>
                  <strong>{r.reason}</strong> from {r.reporter}, <time datetime={r.at}>{formatTime(r.at)}</time>
                  {r.note && <>: “{r.note}”</>}
                </li>
              ))}
            </ul>
            <form method="post" action={`/comments/${comment.id}/hide`} class="inline">
              <Csrf token={props.csrf} />
              <input type="hidden" name="back" value="/moderation" />
              <select name="reason" aria-label="Reason">
                {HIDE_REASONS.map((h) => (
                  <option value={h} selected={h === reports[0]!.reason}>
                    {h}
                  </option>
                ))}
              </select>{' '}
              <button type="submit">Hide</button>
            </form>{' '}
            <form method="post" action={`/comments/${comment.id}/dismiss`} class="inline">
              <Csrf token={props.csrf} />
              <button type="submit">Dismiss the reports</button>
            </form>
          </li>
        ))}
      </ol>
      <h2>Hidden lately</h2>
      {props.hidden.length === 0 && <p class="muted">Nothing was hidden.</p>}
      <ol class="queue">
        {props.hidden.map((c) => (
          <li class="card-like">
            <Quoted comment={c} />
            <p class="muted">
              Hidden as {c.hidden!.reason}, <time datetime={c.hidden!.at}>{formatTime(c.hidden!.at)}</time>.
            </p>
            <form method="post" action={`/comments/${c.id}/unhide`} class="inline">
              <Csrf token={props.csrf} />
              <input type="hidden" name="back" value="/moderation" />
              <button type="submit">Unhide</button>
            </form>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
