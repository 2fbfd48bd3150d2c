// A paper as a card in a list, and the pieces the paper page shares with it.
import { listQuery } from '../../http/params.ts';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Paper } from '../../model/paper.ts';
import { renderTex, snippet } from '../../papers/tex.ts';
import { authorPath, paperPath } from '../../http/paths.ts';
import type { Site } from '../../http/context.ts';

const SHOWN_AUTHORS = 3;

function AuthorLinks(props: { names: string[] }) {
  return (
    <>
      {props.names.map((name, i) => (
        <>
          {i > 0 && ', '}
          <a href={authorPath(name)}>{name}</a>
        </>
      ))}
    </>
  );
}

export function Authors(props: { authors: string[]; all?: boolean }) {
  const { authors } = props;
  if (props.all || authors.length <= SHOWN_AUTHORS + 1) {
    return (
      <span class="authors">
        <AuthorLinks names={authors} />
      </span>
    );
  }
  return (
    <span class="authors">
      <AuthorLinks names={authors.slice(0, SHOWN_AUTHORS)} />{' '}
      <span class="muted">
        and {authors.length - SHOWN_AUTHORS} more · {authors.length} authors
      </span>
    </span>
  );
}

/** A category's chip leads to a list filtered to it: by default the latest day's. */
export type CategoryHref = (category: string) => string;
const latestDayIn: CategoryHref = (category) => `/${listQuery({ categories: [category] })}`;

export function Categories(props: { categories: string[]; href?: CategoryHref }) {
  const href = props.href ?? latestDayIn;
  return (
    <ul class="categories" aria-label="Categories">
      {props.categories.map((c) => (
        <li>
          <a href={href(c)} title={`Only papers in ${c}`}>
            {c}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function CodeLink(props: { paper: Paper }) {
  const { githubRepo, githubStars } = props.paper;
  if (!githubRepo) return null;
  return (
    <a class="code" href={githubRepo} rel="nofollow noopener">
      Code{githubStars !== null && <span class="muted"> ★ {githubStars.toLocaleString('en-US')}</span>}
    </a>
  );
}

function Count(props: { count: number }) {
  return (
    <>
      <span aria-hidden="true">▲</span>
      <strong>{props.count}</strong>
      <span class="visually-hidden"> upvotes</span>
    </>
  );
}

/**
 * A paper's upvotes. For a member, a button that votes in place with htmx, or as a plain form post
 * without JavaScript; for a stranger, a link to sign in and come back.
 */
export function Upvotes(props: { paper: Paper; viewer?: Site['viewer']; upvoted?: boolean }) {
  const { paper, viewer } = props;
  const count = paper.listing?.upvotes ?? 0;
  if (!paper.listing) {
    return (
      <div class="upvotes" title={`${count} upvotes`}>
        <Count count={count} />
      </div>
    );
  }
  if (!viewer) {
    return (
      <a class="upvotes" href={`/signin?next=${encodeURIComponent(paperPath(paper.arxivId))}`} title="Sign in to upvote">
        <Count count={count} />
      </a>
    );
  }
  const action = `${paperPath(paper.arxivId)}/upvote`;
  return (
    <form class="upvotes" method="post" action={action} hx-post={action} hx-swap="outerHTML">
      <input type="hidden" name="_csrf" value={viewer.csrf} />
      <input type="hidden" name="upvote" value={props.upvoted ? '0' : '1'} />
      <button
        type="submit"
        class={props.upvoted ? 'voted' : undefined}
        aria-pressed={props.upvoted ? 'true' : 'false'}
        title={props.upvoted ? 'Remove your upvote' : 'Upvote'}
      >
        <Count count={count} />
      </button>
    </form>
  );
}

/** Who wrote a paper's AI summary, as a reader should read it. */
export function summaryAuthor(paper: Pick<Paper, 'aiSummaryBy'>): string {
  const by = paper.aiSummaryBy ?? 'Hugging Face';
  return by === 'Hugging Face' ? "Hugging Face's model" : `a language model (${by}) for this site`;
}

/** A paper in a list; in search results with its matches marked and why it was found. */
export function PaperCard(props: {
  paper: Paper;
  highlight?: RegExp;
  reason?: Child;
  viewer?: Site['viewer'];
  upvoted?: boolean;
  categoryHref?: CategoryHref;
  actions?: Child; // the card's own buttons (For you's "Not interested")
}) {
  const { paper, highlight } = props;
  return (
    <article class="card">
      <Upvotes paper={paper} viewer={props.viewer} upvoted={props.upvoted} />
      <div class="card-body">
        <h2>
          <a href={paperPath(paper.arxivId)}>{raw(renderTex(paper.title, highlight))}</a>
        </h2>
        <p class="byline">
          <Authors authors={paper.authors} />
        </p>
        <p class="snippet">{raw(renderTex(snippet(paper.abstract, 280), highlight))}</p>
        {paper.aiSummary && (
          <p class="ai-line">
            <span class="muted" title={`Written by ${summaryAuthor(paper)}`}>
              AI summary:
            </span>{' '}
            {paper.aiSummary}
          </p>
        )}
        {props.reason && <p class="reason muted">{props.reason}</p>}
        <div class="card-foot">
          <Categories categories={paper.categories} href={props.categoryHref} />
          <CodeLink paper={paper} />
          {paper.organization && <span class="muted">{paper.organization}</span>}
          {paper.listing?.source === 'member' && paper.listing.submittedBy && (
            <span class="muted">
              submitted by <a href={`/u/${paper.listing.submittedBy}`}>{paper.listing.submittedBy}</a>
            </span>
          )}
          {paper.numComments > 0 && (
            <a class="comments-link" href={`${paperPath(paper.arxivId)}#comments`}>
              {paper.numComments} {paper.numComments === 1 ? 'comment' : 'comments'}
            </a>
          )}
          <span class="muted arxiv-id">arXiv:{paper.arxivId}</span>
          {props.actions}
        </div>
      </div>
    </article>
  );
}
