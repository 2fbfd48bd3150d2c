// A paper as a card in a list, and the pieces the paper page shares with it.
import { raw } from 'hono/html';
import type { Paper } from '../../storage/papers.ts';
import { renderTex, snippet } from '../tex.ts';

const SHOWN_AUTHORS = 3;

export function paperPath(arxivId: string): string {
  return `/papers/${arxivId}`;
}

export function Authors(props: { authors: string[]; all?: boolean }) {
  const { authors } = props;
  if (props.all || authors.length <= SHOWN_AUTHORS + 1) return <span class="authors">{authors.join(', ')}</span>;
  return (
    <span class="authors">
      {authors.slice(0, SHOWN_AUTHORS).join(', ')} <span class="muted">and {authors.length - SHOWN_AUTHORS} more · {authors.length} authors</span>
    </span>
  );
}

export function Categories(props: { categories: string[] }) {
  return (
    <ul class="categories" aria-label="Categories">
      {props.categories.map((c) => (
        <li>{c}</li>
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

export function Upvotes(props: { count: number }) {
  return (
    <div class="upvotes" title={`${props.count} upvotes`}>
      <span aria-hidden="true">▲</span>
      <strong>{props.count}</strong>
      <span class="visually-hidden"> upvotes</span>
    </div>
  );
}

/** A paper in a list; in search results with its matches marked and why it was found. */
export function PaperCard(props: { paper: Paper; highlight?: RegExp; reason?: string }) {
  const { paper, highlight } = props;
  return (
    <article class="card">
      <Upvotes count={paper.listing?.upvotes ?? 0} />
      <div class="card-body">
        <h2>
          <a href={paperPath(paper.arxivId)}>{raw(renderTex(paper.title, highlight))}</a>
        </h2>
        <p class="byline">
          <Authors authors={paper.authors} />
        </p>
        <p class="snippet">{raw(renderTex(snippet(paper.abstract, 280), highlight))}</p>
        {props.reason && <p class="reason muted">{props.reason}</p>}
        <div class="card-foot">
          <Categories categories={paper.categories} />
          <CodeLink paper={paper} />
          <span class="muted arxiv-id">arXiv:{paper.arxivId}</span>
        </div>
      </div>
    </article>
  );
}
