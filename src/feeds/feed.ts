// RSS 2.0 and Atom 1.0 for any list of papers. Item ids are the papers' canonical URLs, so they stay
// the same however often a feed is regenerated; summaries are plain text with math as its TeX source,
// which every feed reader can show.
import type { Paper } from '../model/paper.ts';
import { escapeHtml as x } from '../util/html.ts';
import { texToText, titleText } from '../papers/tex.ts';

export type FeedFormat = 'rss' | 'atom';

export interface Feed {
  title: string;
  description: string;
  pageUrl: string; // the HTML page the feed follows
  selfUrl: string;
  papers: Paper[];
  publicUrl: string;
}

const TYPES: Record<FeedFormat, string> = { rss: 'application/rss+xml', atom: 'application/atom+xml' };

export function feedType(format: FeedFormat): string {
  return `${TYPES[format]}; charset=utf-8`;
}

/** When an item appeared: when its paper entered a list, else when we first stored it. */
function itemDate(paper: Paper): Date {
  return new Date(paper.listing?.listedAt ?? paper.createdAt);
}

function latest(papers: Paper[]): Date {
  const times = papers.map((p) => Date.parse(p.updatedAt));
  return new Date(times.length ? Math.max(...times) : 0);
}

function paperUrl(feed: Feed, paper: Paper): string {
  return `${feed.publicUrl}/papers/${paper.arxivId}`;
}

function summary(paper: Paper): string {
  const authors =
    paper.authors.length > 10 ? `${paper.authors.slice(0, 10).join(', ')} and ${paper.authors.length - 10} more` : paper.authors.join(', ');
  const votes = paper.listing ? ` · ${paper.listing.upvotes} upvotes` : '';
  return `${authors}${votes}\n\n${texToText(paper.abstract)}`;
}

export function renderFeed(feed: Feed, format: FeedFormat): string {
  return format === 'rss' ? rss(feed) : atom(feed);
}

function rss(feed: Feed): string {
  const items = feed.papers.map((p) =>
    [
      '<item>',
      `<title>${x(titleText(p.title))}</title>`,
      `<link>${x(paperUrl(feed, p))}</link>`,
      `<guid isPermaLink="true">${x(paperUrl(feed, p))}</guid>`,
      `<pubDate>${itemDate(p).toUTCString()}</pubDate>`,
      `<dc:creator>${x(p.authors.join(', '))}</dc:creator>`,
      ...p.categories.map((c) => `<category>${x(c)}</category>`),
      `<description>${x(summary(p))}</description>`,
      '</item>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${x(feed.title)}</title>`,
    `<link>${x(feed.pageUrl)}</link>`,
    `<description>${x(feed.description)}</description>`,
    `<atom:link href="${x(feed.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    `<lastBuildDate>${latest(feed.papers).toUTCString()}</lastBuildDate>`,
    '<language>en</language>',
    ...items,
    '</channel>',
    '</rss>',
  ].join('\n');
}

function atom(feed: Feed): string {
  const entries = feed.papers.map((p) =>
    [
      '<entry>',
      `<id>${x(paperUrl(feed, p))}</id>`,
      `<title>${x(titleText(p.title))}</title>`,
      `<link rel="alternate" type="text/html" href="${x(paperUrl(feed, p))}"/>`,
      `<published>${itemDate(p).toISOString()}</published>`,
      `<updated>${new Date(p.updatedAt).toISOString()}</updated>`,
      ...p.authors.slice(0, 50).map((a) => `<author><name>${x(a)}</name></author>`),
      ...p.categories.map((c) => `<category term="${x(c)}"/>`),
      `<summary type="text">${x(summary(p))}</summary>`,
      '</entry>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${x(feed.selfUrl)}</id>`,
    `<title>${x(feed.title)}</title>`,
    `<subtitle>${x(feed.description)}</subtitle>`,
    `<link rel="alternate" type="text/html" href="${x(feed.pageUrl)}"/>`,
    `<link rel="self" type="application/atom+xml" href="${x(feed.selfUrl)}"/>`,
    `<updated>${latest(feed.papers).toISOString()}</updated>`,
    // Atom asks for a feed-level author when entries may lack one.
    '<author><name>arXiv authors</name></author>',
    ...entries,
    '</feed>',
  ].join('\n');
}
