// The feeds a page advertises (<link rel="alternate">) so feed readers find them from the page.

export interface FeedLink {
  title: string;
  href: string;
  type: string;
}

/** The alternate links a page advertises for its feeds. */
export function feedLinks(path: string, title: string): FeedLink[] {
  const base = path === '/' ? '' : path;
  return [
    { title: `${title} (RSS)`, href: `${base}/rss`, type: 'application/rss+xml' },
    { title: `${title} (Atom)`, href: `${base}/atom`, type: 'application/atom+xml' },
  ];
}

export function searchFeedLinks(query: string): FeedLink[] {
  const q = new URLSearchParams({ q: query });
  return [
    { title: `Search: ${query} (RSS)`, href: `/search/feed?${q}`, type: 'application/rss+xml' },
    { title: `Search: ${query} (Atom)`, href: `/search/feed?${q}&format=atom`, type: 'application/atom+xml' },
  ];
}
