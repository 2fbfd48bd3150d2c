// The search page: the form (which works without JavaScript) and the results as cards.
import { searchFeedLinks } from '../../http/paths.ts';
import type { SearchHit } from '../../search/keyword.ts';
import { Pager } from './pager.tsx';
import { PaperCard } from './cards.tsx';
import { Layout } from './layout.tsx';
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
  message?: string; // what was wrong with the query
}

export function SearchPage(p: SearchPageProps) {
  const { form } = p;
  const params = (page: number) => {
    const query = new URLSearchParams(Object.entries(form).filter(([, v]) => v) as [string, string][]);
    if (page > 1) query.set('page', String(page));
    return `/search?${query}`;
  };
  const pages = Math.ceil(p.total / p.pageSize);
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
      <ol class="cards" start={(p.page - 1) * p.pageSize + 1}>
        {p.hits.map((hit, i) => (
          <li>
            <PaperCard
              paper={hit.paper}
              highlight={p.highlight}
              reason={p.reasons[i]}
              viewer={p.site.viewer}
              upvoted={p.upvoted?.has(hit.paper.arxivId)}
            />
          </li>
        ))}
      </ol>
      <Pager page={p.page} pages={pages} href={params} counted={false} />
    </Layout>
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
