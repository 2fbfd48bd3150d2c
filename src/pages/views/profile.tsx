// A member's profile (/u/NAME): their public reading lists, upvoted and submitted papers; and one
// reading list (/u/NAME/lists/SLUG), which its owner also edits here.
import { renderComment } from '../../community/markdown.ts';
import { raw } from 'hono/html';
import type { Member } from '../../accounts/members.ts';
import type { ReadingList } from '../../community/lists.ts';
import { feedLinks, listPath } from '../../http/paths.ts';
import type { Paper } from '../../model/paper.ts';
import { PaperCard } from './cards.tsx';
import { Csrf, Notice } from './forms.tsx';
import { formatDay } from '../../util/format.ts';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

function ListFields(props: { list?: ReadingList }) {
  return (
    <>
      <label>
        Name <input name="name" required maxlength={100} value={props.list?.name ?? ''} />
      </label>
      <label>
        Description (optional){' '}
        <textarea name="description" rows={2} maxlength={500}>
          {props.list?.description ?? ''}
        </textarea>
      </label>
      <label class="check">
        <input type="checkbox" name="public" value="1" checked={props.list?.public ?? false} /> Public: anyone with the link can see it, and
        it has a feed
      </label>
    </>
  );
}

function Cards(props: { papers: Paper[]; site: Site; upvoted?: Set<string>; empty: string }) {
  if (props.papers.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <ol class="cards">
      {props.papers.map((paper) => (
        <li>
          <PaperCard paper={paper} viewer={props.site.viewer} upvoted={props.upvoted?.has(paper.arxivId)} />
        </li>
      ))}
    </ol>
  );
}

export function ProfilePage(props: {
  site: Site;
  member: Member;
  lists: ReadingList[];
  upvoted: Paper[];
  submitted: Paper[];
  own: boolean;
  csrf?: string;
  error?: string;
  viewerVotes?: Set<string>;
}) {
  const m = props.member;
  return (
    <Layout
      site={props.site}
      meta={{
        title: m.name,
        description: `${m.name} on ${props.site.name}: reading lists, upvoted and submitted papers.`,
        path: `/u/${m.name}`,
        math: true,
      }}
    >
      <section class="profile-head">
        <h1>{m.name}</h1>
        <p class="muted">
          Member since {formatDay(m.createdAt.slice(0, 10))}
          {m.role !== 'member' && ` · ${m.role}`}
        </p>
      </section>
      <h2>Reading lists</h2>
      {props.lists.length === 0 ? (
        <p class="muted">{props.own ? 'You have no lists yet.' : 'No public lists.'}</p>
      ) : (
        <ul class="lists">
          {props.lists.map((l) => (
            <li>
              <a href={listPath(l)}>{l.name}</a>{' '}
              <span class="muted">
                · {l.count} {l.count === 1 ? 'paper' : 'papers'}
                {!l.public && ' · private'}
              </span>
            </li>
          ))}
        </ul>
      )}
      {props.own && props.csrf && (
        <details open={!!props.error}>
          <summary>New list</summary>
          <Notice message={props.error} />
          <form class="stacked" method="post" action="/lists">
            <Csrf token={props.csrf} />
            <ListFields />
            <button type="submit">Create list</button>
          </form>
        </details>
      )}
      <h2>Submitted</h2>
      <Cards papers={props.submitted} site={props.site} upvoted={props.viewerVotes} empty="No papers submitted yet." />
      <h2>Upvoted</h2>
      <Cards papers={props.upvoted} site={props.site} upvoted={props.viewerVotes} empty="No upvotes yet." />
    </Layout>
  );
}

export function ReadingListPage(props: {
  site: Site;
  list: ReadingList;
  papers: Paper[];
  own: boolean;
  csrf?: string;
  error?: string;
  viewerVotes?: Set<string>;
}) {
  const l = props.list;
  const path = listPath(l);
  return (
    <Layout
      site={props.site}
      meta={{
        title: `${l.name} · ${l.owner}`,
        description: l.description || `A reading list by ${l.owner}.`,
        path,
        math: true,
        feeds: l.public ? feedLinks(path, l.name) : undefined,
      }}
    >
      <section class="list-head">
        <h1>{l.name}</h1>
        <p class="muted">
          A {l.public ? 'public' : 'private'} reading list by <a href={`/u/${l.owner}`}>{l.owner}</a> · {l.count}{' '}
          {l.count === 1 ? 'paper' : 'papers'} · <a href={`${path}/bibtex`}>BibTeX</a>
          {l.public && (
            <>
              {' · '}
              <a href={`${path}/rss`}>RSS</a> · <a href={`${path}/atom`}>Atom</a>
            </>
          )}
        </p>
        {/* Markdown, as comments are: sanitized the same way. */}
        {l.description && <div class="list-description">{raw(renderComment(l.description))}</div>}
      </section>
      <Notice message={props.error} />
      {props.papers.length === 0 && <p class="muted">No papers yet. Save papers to this list from their pages.</p>}
      <ol class="cards">
        {props.papers.map((paper) => (
          <li>
            <PaperCard paper={paper} viewer={props.site.viewer} upvoted={props.viewerVotes?.has(paper.arxivId)} />
            {props.own && props.csrf && (
              <form method="post" action={`${path}/remove`} class="inline remove">
                <Csrf token={props.csrf} />
                <input type="hidden" name="paper" value={paper.arxivId} />
                <button type="submit" class="link">
                  Remove from this list
                </button>
              </form>
            )}
          </li>
        ))}
      </ol>
      {props.own && props.csrf && (
        <details>
          <summary>Rename, describe, share</summary>
          <form class="stacked" method="post" action={`${path}/edit`}>
            <Csrf token={props.csrf} />
            <ListFields list={l} />
            <p class="muted">The list keeps its address when renamed.</p>
            <button type="submit">Save</button>
          </form>
          <form method="post" action={`${path}/delete`}>
            <Csrf token={props.csrf} />
            <button type="submit">Delete this list</button>
          </form>
        </details>
      )}
    </Layout>
  );
}

/** On a paper's page: save it to one of the viewer's lists, or to a new one. */
export function SaveToList(props: { paper: Paper; lists: ReadingList[]; holding: Set<number>; csrf: string }) {
  const { paper, lists, holding } = props;
  const saved = lists.filter((l) => holding.has(l.id));
  return (
    <section class="save" aria-label="Reading lists">
      {saved.length > 0 && (
        <p class="muted">
          In your {saved.length === 1 ? 'list' : 'lists'}:{' '}
          {saved.map((l, i) => (
            <>
              {i > 0 && ', '}
              <a href={listPath(l)}>{l.name}</a>
            </>
          ))}
        </p>
      )}
      <form method="post" action="/lists/save" class="inline">
        <Csrf token={props.csrf} />
        <input type="hidden" name="paper" value={paper.arxivId} />
        <select name="list" aria-label="Reading list">
          {lists
            .filter((l) => !holding.has(l.id))
            .map((l) => (
              <option value={String(l.id)}>{l.name}</option>
            ))}
          <option value="new">New list…</option>
        </select>{' '}
        <input name="name" maxlength={100} placeholder="Name for a new list" aria-label="Name for a new list" />{' '}
        <button type="submit">Save to list</button>
      </form>
    </section>
  );
}
