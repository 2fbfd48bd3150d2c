// arXiv's daily announcement feed (rss.arxiv.org/rss/cs.AI+cs.LG…), RSS 2.0. Each item carries an
// arxiv:announce_type: `new` and `cross` papers enter the day's list; `replace` and `replace-cross`
// are new versions of older papers, which update them without listing them again. A day without
// announcements has a valid, empty feed; a bad category name gets an error channel instead.
import { makeRecord, RecordError, splitAuthors } from '../importer/record.ts';
import type { PaperRecord } from '../model/paper.ts';
import type { HttpClient } from './http.ts';
import { dayIn } from '../util/dates.ts';
import { child, childText, children, NS, parseXml } from './xml.ts';

export class ArxivRssError extends Error {}

export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

export interface RssAnnouncement {
  day: string | null; // the announcement's day on the configured clock; null for an empty feed
  items: { announceType: AnnounceType; record: PaperRecord }[];
  rejected: { id: string; message: string }[];
}

const LISTED: AnnounceType[] = ['new', 'cross'];

/**
 * Reads one feed. `categories` keeps only items filed under one of them (an archive name such as
 * `cs` covers all its categories); null keeps everything.
 */
export function parseRss(xml: string, timeZone: string, categories: string[] | null): RssAnnouncement {
  const rss = parseXml(xml);
  const channel = child(rss, NS.none, 'channel');
  if (rss.name !== 'rss' || !channel) throw new ArxivRssError(`not an RSS feed (root element ${rss.name})`);
  const title = childText(channel, NS.none, 'title') ?? '';
  if (title.startsWith('Feed error')) {
    throw new ArxivRssError(`arXiv RSS error: ${childText(channel, NS.none, 'description') ?? title}`);
  }
  const items = children(channel, NS.none, 'item');
  const published = childText(channel, NS.none, 'pubDate') ?? (items[0] && childText(items[0], NS.none, 'pubDate'));
  const when = published ? new Date(published) : null;
  const day = items.length > 0 && when && !Number.isNaN(when.getTime()) ? dayIn(when, timeZone) : null;
  const result: RssAnnouncement = { day, items: [], rejected: [] };
  if (items.length > 0 && !day) throw new ArxivRssError('the feed has items but no readable pubDate');

  for (const item of items) {
    const description = childText(item, NS.none, 'description') ?? '';
    const idv = /^arXiv:(\S+)/.exec(description)?.[1] ?? childText(item, NS.none, 'guid')?.replace(/^oai:arXiv\.org:/, '') ?? '';
    try {
      const announceType = childText(item, NS.arxiv, 'announce_type') as AnnounceType | null;
      if (!announceType || !['new', 'cross', 'replace', 'replace-cross'].includes(announceType)) {
        throw new RecordError(`announce_type: unknown ${JSON.stringify(announceType)}`);
      }
      const itemCategories = children(item, NS.none, 'category').map((c) => c.text.trim());
      if (categories && !itemCategories.some((c) => matchesCategory(c, categories))) continue;
      const abstract = /\nAbstract:\s*([\s\S]*)$/.exec(description)?.[1];
      const record = makeRecord({
        id: idv,
        title: childText(item, NS.none, 'title'),
        abstract,
        authors: splitAuthors(childText(item, NS.dc, 'creator') ?? ''), // dc:creator joins names with commas
        categories: itemCategories,
        license: childText(item, NS.dc, 'rights'),
        listing: LISTED.includes(announceType)
          ? { day: day!, estimated: false, source: 'arxiv', submittedBy: null, listedAt: when!.toISOString(), upvotes: 0 }
          : null,
      });
      result.items.push({ announceType, record });
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      result.rejected.push({ id: idv || '?', message: err.message });
    }
  }
  return result;
}

export function matchesCategory(category: string, wanted: string[]): boolean {
  return wanted.some((w) => category === w || category.startsWith(`${w}.`));
}

export class ArxivRss {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  async fetch(categories: string[], timeZone: string): Promise<RssAnnouncement> {
    const response = await this.http.get(`${this.baseUrl}/${categories.map(encodeURIComponent).join('+')}`);
    if (response.status !== 200) throw new ArxivRssError(`arXiv RSS answered HTTP ${response.status}`);
    return parseRss(response.body, timeZone, categories);
  }
}
