// A day's, week's or month's list of papers.
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
}

export function ListPage(p: ListPageProps) {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const pageHref = (n: number) => (n === 1 ? p.path : `${p.path}?page=${n}`);
  return (
    <Layout
      site={p.site}
      meta={{
        title: p.title,
        description: p.description,
        path: p.path,
        math: true,
        feeds: p.total > 0 ? feedLinks(p.path, p.heading) : undefined,
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
            : (p.ranking ?? `${p.total.toLocaleString('en-US')} papers, ranked by upvotes`)}
        </p>
      </section>
      <ol class="cards" start={(p.page - 1) * p.pageSize + 1}>
        {p.papers.map((paper) => (
          <li>
            <PaperCard paper={paper} viewer={p.site.viewer} upvoted={p.upvoted?.has(paper.arxivId)} />
          </li>
        ))}
      </ol>
      <Pager page={p.page} pages={pages} href={pageHref} counted={true} />
    </Layout>
  );
}
