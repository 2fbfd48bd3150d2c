// The search page: the form (which works without JavaScript) and the results as cards, with papers
// on the topic in other words after the first few (loaded when they come into view; a link without
// JavaScript), and that list's own page.
import { searchFeedLinks } from '../../http/paths.ts';
import type { SearchHit } from '../../search/keyword.ts';
import { Pager } from './pager.tsx';
import { PaperCard } from './cards.tsx';
import { Layout } from './layout.tsx';
import { PaperLinks } from './similar.tsx';
import type { Site } from '../../http/context.ts';

export interface SearchForm {
  q: string;
  from: string;
  to: string;
  category: string;
  author: string;
  mode: string;
}

export interface SearchPageProps {
  site: Site;
  upvoted?: Set<string>; // arXiv ids the signed-in viewer has upvoted
  form: SearchForm;
  hits: SearchHit[];
  total: number;
  capped: boolean; // total is a lower bound
  page: number;
  pageSize: number;
  highlight?: RegExp;
  reasons: string[];
  otherWords?: boolean; // whether papers in other words may be found (search/other-words.ts)
  message?: string; // what was wrong with the query
}

/** The form's fields as a query string, empty ones left out. */
const formQuery = (form: SearchForm) => new URLSearchParams(Object.entries(form).filter(([, v]) => v) as [string, string][]);

/** The "in other words" papers come after this many results, where a reader who has looked at the first few sees them. */
const OTHER_WORDS_AFTER = 5;

export function SearchPage(p: SearchPageProps) {
  const { form } = p;
  const params = (page: number) => {
    const query = formQuery(form);
    if (page > 1) query.set('page', String(page));
    return `/search?${query}`;
  };
  const pages = Math.ceil(p.total / p.pageSize);
  const otherWords = `/search/other-words?${formQuery(form)}`;
  return (
    <Layout
      site={p.site}
      meta={{
        title: form.q ? `Search: ${form.q}` : 'Search',
        description: 'Search research papers by words, phrases, authors and categories.',
        path: '/search',
        math: true,
        feeds: form.q && !p.message ? searchFeedLinks(form.q) : undefined,
      }}
    >
      <h1>Search</h1>
      <SearchForm form={form} />
      {p.message && (
        <p class="notice" role="alert">
          {p.message}
        </p>
      )}
      {form.q && !p.message && (
        <p class="muted">
          {p.total === 0 ? 'No papers match.' : `${p.total.toLocaleString('en-US')}${p.capped ? '+' : ''} papers, best matches first`}
        </p>
      )}
      <Cards p={p} from={0} to={p.otherWords ? OTHER_WORDS_AFTER : p.hits.length} />
      {p.otherWords && (
        <aside class="other-words" hx-get={otherWords} hx-trigger="revealed" hx-swap="outerHTML">
          <a href={otherWords}>Papers on this topic in other words</a>
        </aside>
      )}
      {p.otherWords && <Cards p={p} from={OTHER_WORDS_AFTER} to={p.hits.length} />}
      <Pager page={p.page} pages={pages} href={params} counted={false} />
    </Layout>
  );
}

/** Papers on the topic without the query's words, as the search page shows them; nothing when there are none. */
export function OtherWords({ words, hits }: { words: string[]; hits: SearchHit[] }) {
  if (hits.length === 0) return null;
  return (
    <aside class="other-words" aria-labelledby="other-words">
      <h2 id="other-words">In other words</h2>
      <p class="muted">
        On the same topic, without <Quoted words={words} />: close in meaning to the papers nearest your search.
      </p>
      <PaperLinks hits={hits} />
    </aside>
  );
}

/** “a”, “b” or “c”. */
function Quoted({ words }: { words: string[] }) {
  return <>{words.map((w, i) => (i === 0 ? `“${w}”` : i === words.length - 1 ? ` or “${w}”` : `, “${w}”`))}</>;
}

/** The papers in other words on a page of their own, for readers without JavaScript. */
export function OtherWordsPage(p: { site: Site; form: SearchForm; words: string[]; hits: SearchHit[]; message?: string }) {
  return (
    <Layout
      site={p.site}
      meta={{
        title: `In other words: ${p.form.q}`,
        description: 'Papers on the topic of a search that do not use its words.',
        path: '/search/other-words',
        math: true,
      }}
    >
      <p class="muted">
        <a href={`/search?${formQuery(p.form)}`}>Back to the search</a>
      </p>
      <h1>In other words</h1>
      {p.message && (
        <p class="notice" role="alert">
          {p.message}
        </p>
      )}
      {!p.message &&
        (p.hits.length ? (
          <>
            <p class="muted">
              On the topic of “{p.form.q}”, without <Quoted words={p.words} />: close in meaning to the papers nearest the search.
            </p>
            <PaperLinks hits={p.hits} />
          </>
        ) : (
          <p class="muted">No papers stand out on this topic without its words.</p>
        ))}
    </Layout>
  );
}

/** Results from..to as cards, numbered as on the whole list. */
function Cards({ p, from, to }: { p: SearchPageProps; from: number; to: number }) {
  if (from >= to) return null;
  return (
    <ol class="cards" start={(p.page - 1) * p.pageSize + from + 1}>
      {p.hits.slice(from, to).map((hit, i) => (
        <li>
          <PaperCard
            paper={hit.paper}
            highlight={p.highlight}
            reason={p.reasons[from + i]}
            viewer={p.site.viewer}
            upvoted={p.upvoted?.has(hit.paper.arxivId)}
          />
        </li>
      ))}
    </ol>
  );
}

/** The query, with the filters folded away unless one is set. */
function SearchForm({ form }: { form: SearchPageProps['form'] }) {
  return (
    <form class="search" method="get" action="/search" role="search">
      <input
        type="search"
        name="q"
        value={form.q}
        maxlength={2000}
        placeholder='kv cache compression, "mixture of experts", au:hinton, cat:cs.CL'
        aria-label="Search"
      />
      <button type="submit">Search</button>
      <p class="syntax muted">
        Words in any order, best matches first, and papers that say the same in other words · <code>"a phrase"</code> ·{' '}
        <code>-leave-out</code> · <code>ti:title</code> · <code>au:author</code> · <code>cat:cs.CL</code> · or an arXiv id
      </p>
      <details open={Boolean(form.from || form.to || form.category || form.author || form.mode)}>
        <summary>Filters</summary>
        <label>
          From <input type="date" name="from" value={form.from} />
        </label>
        <label>
          To <input type="date" name="to" value={form.to} />
        </label>
        <label>
          Category <input name="category" value={form.category} placeholder="cs.CL" size={8} />
        </label>
        <label>
          Author <input name="author" value={form.author} size={16} />
        </label>
        <label>
          Ranking{' '}
          <select name="mode">
            <option value="" selected={!form.mode}>
              words and meaning
            </option>
            <option value="keyword" selected={form.mode === 'keyword'}>
              words only
            </option>
            <option value="semantic" selected={form.mode === 'semantic'}>
              meaning only
            </option>
          </select>
        </label>
      </details>
    </form>
  );
}
