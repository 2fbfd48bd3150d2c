// Similar papers: a compact list, loaded into the paper page by htmx when it scrolls into view, and
// a page of its own for readers without JavaScript.
import { raw } from 'hono/html';
import type { SearchHit } from '../../search/keyword.ts';
import type { Paper } from '../../model/paper.ts';
import { renderTex } from '../../papers/tex.ts';
import { Authors } from './cards.tsx';
import { paperPath } from '../../http/paths.ts';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

export function SimilarList(props: { hits: SearchHit[] }) {
  if (props.hits.length === 0) return <p class="muted">No similar papers here yet.</p>;
  return (
    <>
      <h2>Similar papers</h2>
      <PaperLinks hits={props.hits} />
    </>
  );
}

/** Papers as a compact list: title, authors, arXiv id. */
export function PaperLinks(props: { hits: SearchHit[] }) {
  return (
    <ol class="similar-list">
      {props.hits.map(({ paper }) => (
        <li>
          <a href={paperPath(paper.arxivId)}>{raw(renderTex(paper.title))}</a>
          <br />
          <span class="muted">
            <Authors authors={paper.authors} /> · arXiv:{paper.arxivId}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function SimilarPage(props: { site: Site; paper: Paper; hits: SearchHit[] }) {
  const { paper } = props;
  return (
    <Layout
      site={props.site}
      meta={{
        title: `Similar to ${paper.title}`,
        description: `Papers similar to ${paper.title}.`,
        path: `${paperPath(paper.arxivId)}/similar`,
        math: true,
      }}
    >
      <p class="muted">
        Papers similar to <a href={paperPath(paper.arxivId)}>{raw(renderTex(paper.title))}</a>
      </p>
      <SimilarList hits={props.hits} />
    </Layout>
  );
}
