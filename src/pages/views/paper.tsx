// One paper: full abstract with rendered math, both dates, links out to arXiv (we never re-host PDFs).
import { raw } from 'hono/html';
import { absUrl, pdfUrl } from '../../arxiv/ids.ts';
import { hasRole } from '../../accounts/members.ts';
import type { Paper } from '../../model/paper.ts';
import { paragraphs, renderTex, texToText } from '../../papers/tex.ts';
import { Authors, Categories, CodeLink, summaryAuthor, Upvotes } from './cards.tsx';
import { paperPath } from '../../http/paths.ts';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';
import { CommentSection } from './comments.tsx';
import { SaveToList } from './profile.tsx';
import type { ReadingList } from '../../community/lists.ts';
import type { Thread } from '../../community/comments.ts';
import { formatDay } from '../../util/format.ts';

export function PaperPage(props: {
  site: Site;
  paper: Paper;
  trendingRank: number | null;
  upvoted: boolean;
  threads: Thread[];
  lists?: { all: ReadingList[]; holding: Set<number> };
}) {
  const { paper } = props;
  const description = texToText(paper.abstract).slice(0, 300);
  return (
    <Layout site={props.site} meta={{ title: paper.title, description, path: paperPath(paper.arxivId), type: 'article', math: true }}>
      <article class="paper">
        <header>
          <p class="muted arxiv-id">
            arXiv:{paper.arxivId}v{paper.version}
          </p>
          <h1>{raw(renderTex(paper.title))}</h1>
          <p class="byline">
            <Authors authors={paper.authors} all />
          </p>
          <PaperActions paper={paper} viewer={props.site.viewer} upvoted={props.upvoted} trendingRank={props.trendingRank} />
          {props.lists && props.site.viewer && (
            <SaveToList paper={paper} lists={props.lists.all} holding={props.lists.holding} csrf={props.site.viewer.csrf} />
          )}
        </header>
        <SourceSummary paper={paper} />
        <section class="abstract" aria-label="Abstract">
          <h2>Abstract</h2>
          {paragraphs(paper.abstract).map((p) => (
            <p>{raw(renderTex(p))}</p>
          ))}
        </section>
        <Facts paper={paper} />
        <CommentSection
          arxivId={paper.arxivId}
          threads={props.threads}
          viewer={props.site.viewer ?? null}
          csrf={props.site.viewer?.csrf}
          count={paper.numComments}
        />
        <section
          class="similar"
          aria-label="Similar papers"
          hx-get={`${paperPath(paper.arxivId)}/similar`}
          hx-trigger="revealed"
          hx-swap="innerHTML"
        >
          <h2>Similar papers</h2>
          <p>
            <a href={`${paperPath(paper.arxivId)}/similar`}>See papers similar to this one</a>
          </p>
        </section>
      </article>
    </Layout>
  );
}

/** Upvote, trending place, and the links out: arXiv, PDF, BibTeX, code, project page. */
function PaperActions(props: { paper: Paper; viewer: Site['viewer']; upvoted: boolean; trendingRank: number | null }) {
  const { paper } = props;
  return (
    <div class="paper-actions">
      <Upvotes paper={paper} viewer={props.viewer} upvoted={props.upvoted} />
      {props.trendingRank !== null && (
        <a class="trending-rank" href="/papers/trending" title="Its place on today's trending list">
          #{props.trendingRank} trending today
        </a>
      )}
      <a class="button" href={absUrl(paper.arxivId)}>
        arXiv page
      </a>
      <a class="button" href={pdfUrl(paper.arxivId)}>
        PDF
      </a>
      <a class="button" href={`${paperPath(paper.arxivId)}/bibtex`} title="Cite it: BibTeX">
        BibTeX
      </a>
      <CodeLink paper={paper} />
      {paper.projectPage && (
        <a class="button" href={paper.projectPage} rel="nofollow noopener">
          Project page
        </a>
      )}
      {paper.listing && props.viewer && hasRole(props.viewer, 'moderator') && (
        <form method="post" action={`${paperPath(paper.arxivId)}/pick`}>
          <input type="hidden" name="_csrf" value={props.viewer.csrf} />
          <input type="hidden" name="pick" value={paper.listing.picked ? '0' : '1'} />
          <button type="submit" title="Moderators: put it among its list's picks, whatever its votes">
            {paper.listing.picked ? 'Unpick' : 'Pick for the list'}
          </button>
        </form>
      )}
    </div>
  );
}

/** A source's AI-written summary and keywords, labelled as such; each keyword searches for itself. */
function SourceSummary({ paper }: { paper: Paper }) {
  if (!paper.aiSummary && paper.aiKeywords.length === 0) return null;
  return (
    <section class="ai-summary" aria-label="AI summary">
      {paper.aiSummary && (
        <p>
          <strong>AI summary</strong> <span class="muted">(written by {summaryAuthor(paper)})</span>: {paper.aiSummary}
        </p>
      )}
      {paper.aiKeywords.length > 0 && (
        <ul class="keywords" aria-label="Keywords">
          {paper.aiKeywords.map((k) => (
            <li>
              <a href={`/search?${new URLSearchParams({ q: `"${k}"` })}`}>{k}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Where and when the paper was listed and published, and arXiv's other metadata. */
function Facts({ paper }: { paper: Paper }) {
  return (
    <dl class="facts">
      {paper.listing && (
        <>
          <dt>On the daily list</dt>
          <dd>
            <a href={`/papers/date/${paper.listing.day}`}>{formatDay(paper.listing.day)}</a>
            {paper.listing.source === 'member' && paper.listing.submittedBy && (
              <>
                {' · submitted by '}
                <a href={`/u/${paper.listing.submittedBy}`}>{paper.listing.submittedBy}</a>
              </>
            )}
            {/* A source's submitters are its own pseudonymous accounts, not members here: the source is named instead. */}
            {paper.listing.source === 'huggingface' && ' · picked on Hugging Face Daily Papers'}
            {paper.listing.picked && " · a moderators' pick"}
          </dd>
        </>
      )}
      {paper.publishedAt && (
        <>
          <dt>First version on arXiv</dt>
          <dd>{formatDay(paper.publishedAt.slice(0, 10))}</dd>
        </>
      )}
      {paper.arxivUpdatedOn && (
        <>
          <dt>Last updated on arXiv</dt>
          <dd>{formatDay(paper.arxivUpdatedOn)}</dd>
        </>
      )}
      {paper.organization && (
        <>
          <dt>Organization</dt>
          <dd>{paper.organization}</dd>
        </>
      )}
      {paper.categories.length > 0 && (
        <>
          <dt>Categories</dt>
          <dd>
            <Categories categories={paper.categories} />
          </dd>
        </>
      )}
      {paper.comment && (
        <>
          <dt>Comment</dt>
          <dd>{paper.comment}</dd>
        </>
      )}
      {paper.journalRef && (
        <>
          <dt>Journal reference</dt>
          <dd>{paper.journalRef}</dd>
        </>
      )}
      {paper.doi && (
        <>
          <dt>DOI</dt>
          <dd>
            <a href={`https://doi.org/${paper.doi}`}>{paper.doi}</a>
          </dd>
        </>
      )}
      {paper.license && (
        <>
          <dt>Licence</dt>
          <dd>{/^https?:\/\//.test(paper.license) ? <a href={paper.license}>{paper.license}</a> : paper.license}</dd>
        </>
      )}
    </dl>
  );
}
