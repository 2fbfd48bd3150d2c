// The site's URL paths, made in one place so that pages, feeds, the API and mails link alike; and
// the feeds a page advertises (<link rel="alternate">) so feed readers find them from the page.
import type { Period } from '../papers/periods.ts';

export function paperPath(arxivId: string): string {
  return `/papers/${arxivId}`;
}

export function commentPath(comment: { arxivId: string; id: number }): string {
  return `${paperPath(comment.arxivId)}#comment-${comment.id}`;
}

export function authorPath(name: string): string {
  return `/authors/${encodeURIComponent(name)}`;
}

export function listPath(list: { owner: string; slug: string }): string {
  return `/u/${list.owner}/lists/${list.slug}`;
}

export function periodPath(period: Pick<Period, 'kind' | 'value'>): string {
  return `/papers/${period.kind}/${period.value}`;
}

export interface FeedLink {
  title: string;
  href: string;
  type: string;
}

/** The alternate links a page advertises for its feeds. */
/** A page's feeds; `query` (`?category=…`) carries its filter into them. */
export function feedLinks(path: string, title: string, query = ''): FeedLink[] {
  const base = path === '/' ? '' : path;
  return [
    { title: `${title} (RSS)`, href: `${base}/rss${query}`, type: 'application/rss+xml' },
    { title: `${title} (Atom)`, href: `${base}/atom${query}`, type: 'application/atom+xml' },
  ];
}

export function searchFeedLinks(query: string): FeedLink[] {
  const q = new URLSearchParams({ q: query });
  return [
    { title: `Search: ${query} (RSS)`, href: `/search/feed?${q}`, type: 'application/rss+xml' },
    { title: `Search: ${query} (Atom)`, href: `/search/feed?${q}&format=atom`, type: 'application/atom+xml' },
  ];
}
