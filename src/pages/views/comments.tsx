// A paper's discussion: threads of comments with one level of replies, and what each reader may do
// to each comment (reply, edit, delete, report, hide). Every action is a plain form.
import { raw } from 'hono/html';
import { mayEdit, mayModerate, showsBody, type Comment, type Thread } from '../../community/comments.ts';
import { HIDE_REASONS, REPORT_REASONS } from '../../model/community.ts';
import { MAX_COMMENT, renderComment } from '../../community/markdown.ts';
import type { Member } from '../../accounts/members.ts';
import { Csrf, Notice } from './forms.tsx';
import { formatTime } from '../../util/format.ts';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

type Viewer = Pick<Member, 'id' | 'role'> | null;

const HIDDEN_TEXT: Record<string, string> = { spam: 'spam', abuse: 'abuse', 'off-topic': 'off-topic', resolved: 'resolved' };

export function CommentForm(props: { action: string; csrf: string; parentId?: number; body?: string; label: string; button: string }) {
  return (
    <form class="stacked comment-form" method="post" action={props.action}>
      <Csrf token={props.csrf} />
      {props.parentId !== undefined && <input type="hidden" name="parent" value={String(props.parentId)} />}
      <label>
        {props.label}
        <textarea name="body" rows={props.parentId === undefined ? 5 : 3} required maxlength={MAX_COMMENT}>
          {props.body ?? ''}
        </textarea>
      </label>
      <p class="muted">
        Markdown: <code>**bold**</code>, <code>*italic*</code>, <code>`code`</code>, <code>[link](https://…)</code>, lists and quotes; math
        as <code>$…$</code> or <code>$$…$$</code>.
      </p>
      <button type="submit">{props.button}</button>
    </form>
  );
}

function ReasonSelect(props: { reasons: readonly string[] }) {
  return (
    <select name="reason" required>
      {props.reasons.map((r) => (
        <option value={r}>{r}</option>
      ))}
    </select>
  );
}

/** Who wrote it and when, linking to the comment itself and to its earlier versions. */
function CommentHead({ comment: c }: { comment: Comment }) {
  const path = `/comments/${c.id}`;
  return (
    <p class="comment-head">
      {c.deletedAt ? <span class="muted">deleted</span> : <a href={`/u/${c.author}`}>{c.author}</a>}{' '}
      <a class="muted" href={`/papers/${c.arxivId}#comment-${c.id}`}>
        <time datetime={c.createdAt}>{formatTime(c.createdAt)}</time>
      </a>
      {c.editedAt && !c.deletedAt && (
        <>
          {' · '}
          <a class="muted" href={`${path}/history`}>
            edited
          </a>
        </>
      )}
    </p>
  );
}

function CommentView(props: { comment: Comment; viewer: Viewer; csrf?: string }) {
  const { comment: c, viewer, csrf } = props;
  const path = `/comments/${c.id}`;
  const moderator = mayModerate(viewer);
  return (
    <article class={`comment${c.hidden ? ' hidden' : ''}`} id={`comment-${c.id}`}>
      <CommentHead comment={c} />
      {c.hidden && !c.deletedAt && (
        <p class="notice moderation">
          Hidden by moderators: {HIDDEN_TEXT[c.hidden.reason]}.
          {showsBody(viewer, c) && !moderator && ' Only you and moderators can see it.'}
        </p>
      )}
      {c.deletedAt ? (
        <p class="muted">This comment was deleted by its author.</p>
      ) : (
        showsBody(viewer, c) && <div class="comment-body">{raw(renderComment(c.body))}</div>
      )}
      {viewer && csrf && !c.deletedAt && (
        <div class="comment-actions">
          {mayEdit(viewer, c) && (
            <>
              <a href={`${path}/edit`}>Edit</a>
              <details>
                <summary>Delete</summary>
                {/* Two steps, so a stray click deletes nothing; no script needed. */}
                <form method="post" action={`${path}/delete`} class="inline">
                  <Csrf token={csrf} />
                  <button type="submit">Delete this comment</button>
                </form>
              </details>
            </>
          )}
          {viewer.id !== c.memberId && !c.hidden && (
            <details>
              <summary>Report</summary>
              <form method="post" action={`${path}/report`} class="stacked">
                <Csrf token={csrf} />
                <label>
                  Why <ReasonSelect reasons={REPORT_REASONS} />
                </label>
                <label>
                  Note for moderators (optional) <input name="note" maxlength={500} />
                </label>
                <button type="submit">Report</button>
              </form>
            </details>
          )}
          {moderator &&
            (c.hidden ? (
              <form method="post" action={`${path}/unhide`} class="inline">
                <Csrf token={csrf} />
                <button type="submit" class="link">
                  Unhide
                </button>
              </form>
            ) : (
              <details>
                <summary>Hide</summary>
                <form method="post" action={`${path}/hide`} class="inline">
                  <Csrf token={csrf} />
                  <ReasonSelect reasons={HIDE_REASONS} /> <button type="submit">Hide</button>
                </form>
              </details>
            ))}
        </div>
      )}
    </article>
  );
}

export function CommentSection(props: { arxivId: string; threads: Thread[]; viewer: Viewer; csrf?: string; count: number }) {
  const { threads, viewer, csrf } = props;
  const action = `/papers/${props.arxivId}/comments`;
  return (
    <section class="discussion" id="comments" aria-label="Discussion">
      <h2>Discussion{props.count > 0 && ` (${props.count})`}</h2>
      {viewer && csrf ? (
        <CommentForm action={action} csrf={csrf} label="Add a comment" button="Comment" />
      ) : (
        <p>
          <a href={`/signin?next=${encodeURIComponent(`/papers/${props.arxivId}#comments`)}`}>Sign in</a> to comment.
        </p>
      )}
      {threads.length === 0 && <p class="muted">No comments yet.</p>}
      <ol class="threads">
        {threads.map((t) => (
          <li>
            <CommentView comment={t} viewer={viewer} csrf={csrf} />
            {t.replies.length > 0 && (
              <ol class="replies">
                {t.replies.map((r) => (
                  <li>
                    <CommentView comment={r} viewer={viewer} csrf={csrf} />
                  </li>
                ))}
              </ol>
            )}
            {viewer && csrf && !t.deletedAt && !t.hidden && (
              <details class="reply">
                <summary>Reply</summary>
                <CommentForm action={action} csrf={csrf} parentId={t.id} label={`Reply to ${t.author}`} button="Reply" />
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function EditCommentPage(props: { site: Site; csrf: string; comment: Comment; body?: string; error?: string }) {
  const c = props.comment;
  return (
    <Layout site={props.site} meta={{ title: 'Edit your comment', description: 'Edit your comment.', path: `/comments/${c.id}/edit` }}>
      <h1>Edit your comment</h1>
      <p>
        On <a href={`/papers/${c.arxivId}#comment-${c.id}`}>arXiv:{c.arxivId}</a>. Earlier versions stay visible in its history.
      </p>
      <Notice message={props.error} />
      <CommentForm action={`/comments/${c.id}/edit`} csrf={props.csrf} body={props.body ?? c.body} label="Comment" button="Save" />
    </Layout>
  );
}

export function HistoryPage(props: { site: Site; comment: Comment; revisions: { body: string; writtenAt: string }[] }) {
  const c = props.comment;
  const versions = [...props.revisions, { body: c.body, writtenAt: c.editedAt ?? c.createdAt }].reverse();
  return (
    <Layout
      site={props.site}
      meta={{ title: 'Edit history', description: `Versions of ${c.author}'s comment.`, path: `/comments/${c.id}/history`, math: true }}
    >
      <h1>Edit history</h1>
      <p>
        {c.author}'s comment on <a href={`/papers/${c.arxivId}#comment-${c.id}`}>arXiv:{c.arxivId}</a>, newest version first.
      </p>
      <ol class="revisions">
        {versions.map((v, i) => (
          <li>
            <p class="muted">
              {i === 0 ? 'Current, ' : ''}written <time datetime={v.writtenAt}>{formatTime(v.writtenAt)}</time>
            </p>
            <div class="comment-body">{raw(renderComment(v.body))}</div>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
