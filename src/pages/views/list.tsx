// A day's, week's or month's list of papers.
import { listQuery, type ListTab } from '../../http/params.ts';
import type { ForYouList, Reason } from '../../ranking/for-you.ts';
import { feedLinks, paperPath } from '../../http/paths.ts';
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
  emptyMessage?: Child;
  ranking?: Child; // how the list is ordered, when not by upvotes
  upvoted?: Set<string>; // arXiv ids the signed-in viewer has upvoted
  categories?: string[]; // the list is filtered to these categories or archives; absent: the list takes no filter
  /** A list that leads with its picks, and (`forYou`) can be ranked for the signed-in member. */
  picks?: { counts: { picks: number; all: number }; showing: ListTab; asked: ListTab; forYou?: boolean };
  forYou?: PersonalList; // the For you tab is shown
}

/** The For you tab's ranking; null before the member has liked anything (or for a stranger). */
export interface PersonalList {
  list: ForYouList | null;
  signedIn: boolean;
}

/** Picks, the whole list and For you, as tabs with their counts; none when there is only one list to show. */
function ListTabs(props: { path: string; categories: string[]; picks: NonNullable<ListPageProps['picks']> }) {
  const { counts, showing, forYou } = props.picks;
  const hasPicks = counts.picks > 0 && counts.picks < counts.all;
  if (!hasPicks && !forYou) return null;
  const tab = (list: ListTab, label: string, count?: number) => (
    <a href={props.path + listQuery({ categories: props.categories, list })} aria-current={showing === list ? 'page' : undefined}>
      {label} {count !== undefined && <span class="muted">{count.toLocaleString('en-US')}</span>}
    </a>
  );
  return (
    <nav class="tabs" aria-label="Which papers">
      {hasPicks && tab('picks', 'Picks', counts.picks)}
      {tab('all', 'All papers', counts.all)}
      {forYou && tab('for-you', 'For you')}
    </nav>
  );
}

/** Why a paper is on the member's own list. */
function ReasonLine(props: { reason: Reason }) {
  const { kind, text, arxivId, itself } = props.reason;
  if (kind === 'topic') return <>On your topic “{text}”</>;
  if (itself) return <>You {kind} this paper</>;
  return (
    <>
      Like <a href={paperPath(arxivId!)}>{text}</a>, which you {kind}
    </>
  );
}

/** "Not interested": the paper leaves the member's ranking, and teaches it. */
function NotInterested(props: { arxivId: string; csrf: string }) {
  const action = `${paperPath(props.arxivId)}/not-interested`;
  return (
    <form class="inline" method="post" action={action} hx-post={action} hx-target="closest li" hx-swap="outerHTML">
      <input type="hidden" name="_csrf" value={props.csrf} />
      <button type="submit" class="link">
        Not interested
      </button>
    </form>
  );
}

/** In place of a card marked "not interested" (htmx): what happened, and the way back. */
export function HiddenPaper(props: { paper: Paper; csrf: string }) {
  return (
    <li class="hidden-paper">
      <form class="inline" method="post" action={`${paperPath(props.paper.arxivId)}/not-interested`}>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="undo" value="1" />
        <span class="muted">“{props.paper.title}” is hidden from For you, which learns from it. </span>
        <button type="submit" class="link">
          Undo
        </button>
      </form>
    </li>
  );
}

/** What the For you tab says above its list: how it ranks, or how to start it. */
function ForYouNote(props: { forYou: PersonalList; path: string }) {
  if (!props.forYou.signedIn)
    return (
      <p class="notice">
        <a href={`/signin?next=${encodeURIComponent(props.path + '?list=for-you')}`}>Sign in</a> to rank this list by what you upvote and
        save. Meanwhile, the list by upvotes.
      </p>
    );
  if (!props.forYou.list)
    return (
      <p class="notice">
        Nothing to learn your taste from yet: upvote or save a few papers, or name <a href="/settings#interests">topics you read about</a>,
        and this tab ranks each day for you. Meanwhile, the list by upvotes.
      </p>
    );
  return null;
}

/** A GET form (no script needed) to filter the list by category, and the way back to all of them. */
function CategoryFilter(props: { path: string; categories: string[]; list: ListTab }) {
  const { path, categories } = props;
  return (
    <form class="category-filter" method="get" action={path} role="search" aria-label="Filter by category">
      {props.list !== 'picks' && <input type="hidden" name="list" value={props.list} />}
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
  const ranked = p.forYou?.list;
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
          {p.total === 0 ? (
            (p.emptyMessage ?? 'No papers were listed in this period.')
          ) : ranked ? (
            <>
              {p.total.toLocaleString('en-US')} papers{filtered}, ranked for you by what you upvoted, saved and submitted (
              <a href="/about#for-you">how</a>)
            </>
          ) : (
            (p.ranking ?? `${counted}${filtered}, ranked by upvotes`)
          )}
        </p>
        {p.forYou && <ForYouNote forYou={p.forYou} path={p.path} />}
        {p.picks && <ListTabs path={p.path} categories={categories} picks={p.picks} />}
        {p.categories && <CategoryFilter path={p.path} categories={categories} list={list} />}
      </section>
      <ol class="cards" start={(p.page - 1) * p.pageSize + 1}>
        {p.papers.map((paper) => (
          <li>
            <PaperCard
              paper={paper}
              viewer={p.site.viewer}
              upvoted={p.upvoted?.has(paper.arxivId)}
              categoryHref={categoryHref}
              reason={ranked?.reasons.get(paper.id) && <ReasonLine reason={ranked.reasons.get(paper.id)!} />}
              actions={ranked && p.site.viewer && <NotInterested arxivId={paper.arxivId} csrf={p.site.viewer.csrf} />}
            />
          </li>
        ))}
      </ol>
      <Pager page={p.page} pages={pages} href={pageHref} counted={true} />
    </Layout>
  );
}
