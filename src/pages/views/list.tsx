// A day's, week's or month's list of papers.
import { listQuery } from '../../http/params.ts';
import type { ListChoice } from '../../papers/picks.ts';
import { feedLinks } from '../../http/paths.ts';
import type { Paper } from '../../model/paper.ts';
import { Pager } from './pager.tsx';
import { PaperCard } from './cards.tsx';
import type { Child } from 'hono/jsx';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

export interface NavLink {
  href: string;
  label: string;
}

export interface ListPageProps {
  site: Site;
  path: string;
  title: string; // "Daily Papers · 1 July 2026"
  heading: string;
  description: string;
  papers: Paper[];
  total: number;
  page: number; // from 1
  pageSize: number;
  previous: NavLink | null;
  next: NavLink | null;
  related: NavLink[]; // the week / month this day belongs to, …
  emptyMessage?: string;
  ranking?: Child; // how the list is ordered, when not by upvotes
  upvoted?: Set<string>; // arXiv ids the signed-in viewer has upvoted
  categories?: string[]; // the list is filtered to these categories or archives; absent: the list takes no filter
  picks?: { counts: { picks: number; all: number }; showing: ListChoice; asked: ListChoice }; // a list that leads with its picks
}

/** Picks and the whole list, as two tabs with their counts; nothing when the list has no picks. */
function ListTabs(props: { path: string; categories: string[]; picks: NonNullable<ListPageProps['picks']> }) {
  const { counts, showing } = props.picks;
  if (counts.picks === 0 || counts.picks === counts.all) return null;
  const tab = (list: ListChoice, label: string, count: number) => (
    <a href={props.path + listQuery({ categories: props.categories, list })} aria-current={showing === list ? 'page' : undefined}>
      {label} <span class="muted">{count.toLocaleString('en-US')}</span>
    </a>
  );
  return (
    <nav class="tabs" aria-label="Which papers">
      {tab('picks', 'Picks', counts.picks)}
      {tab('all', 'All papers', counts.all)}
    </nav>
  );
}

/** A GET form (no script needed) to filter the list by category, and the way back to all of them. */
function CategoryFilter(props: { path: string; categories: string[]; list: ListChoice }) {
  const { path, categories } = props;
  return (
    <form class="category-filter" method="get" action={path} role="search" aria-label="Filter by category">
      {props.list === 'all' && <input type="hidden" name="list" value="all" />}
      <label>
        Category <input name="category" value={categories.join(', ')} placeholder="cs.CL, cs" autocomplete="off" spellcheck={false} />
      </label>
      <button type="submit">Filter</button>
      {categories.length > 0 && <a href={path + listQuery({ list: props.list, everyCategory: true })}>All categories</a>}
    </form>
  );
}

export function ListPage(p: ListPageProps) {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const categories = p.categories ?? [];
  // Links keep what the reader asked for, the whole list or its picks.
  const list = p.picks?.asked ?? 'picks';
  const pageHref = (n: number) => p.path + listQuery({ categories, list, page: n });
  const categoryHref = p.categories ? (category: string) => p.path + listQuery({ categories: [category], list }) : undefined;
  const filtered = categories.length ? ` in ${categories.join(', ')}` : '';
  const counted =
    p.picks?.showing === 'picks' && p.picks.counts.picks < p.picks.counts.all
      ? `${p.total.toLocaleString('en-US')} ${p.total === 1 ? 'pick' : 'picks'} of ${p.picks.counts.all.toLocaleString('en-US')} papers`
      : `${p.total.toLocaleString('en-US')} papers`;
  return (
    <Layout
      site={p.site}
      meta={{
        title: p.title,
        description: p.description,
        path: p.path,
        math: true,
        feeds: p.total > 0 ? feedLinks(p.path, p.heading + filtered, listQuery({ categories })) : undefined,
      }}
    >
      <section class="list-head">
        <h1>{p.heading}</h1>
        <nav class="period" aria-label="Periods">
          {p.previous && (
            <a rel="prev" href={p.previous.href}>
              ← {p.previous.label}
            </a>
          )}
          {p.related.map((l) => (
            <a href={l.href}>{l.label}</a>
          ))}
          {p.next && (
            <a rel="next" href={p.next.href}>
              {p.next.label} →
            </a>
          )}
        </nav>
        <p class="muted">
          {p.total === 0
            ? (p.emptyMessage ?? 'No papers were listed in this period.')
            : (p.ranking ?? `${counted}${filtered}, ranked by upvotes`)}
        </p>
        {p.picks && <ListTabs path={p.path} categories={categories} picks={p.picks} />}
        {p.categories && <CategoryFilter path={p.path} categories={categories} list={list} />}
      </section>
      <ol class="cards" start={(p.page - 1) * p.pageSize + 1}>
        {p.papers.map((paper) => (
          <li>
            <PaperCard paper={paper} viewer={p.site.viewer} upvoted={p.upvoted?.has(paper.arxivId)} categoryHref={categoryHref} />
          </li>
        ))}
      </ol>
      <Pager page={p.page} pages={pages} href={pageHref} counted={true} />
    </Layout>
  );
}
