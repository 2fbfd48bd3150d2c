// The arXiv query API (export.arxiv.org/api/query): single-paper look-ups and small id lists.
// Responses are Atom; the 2016 and 2026 backends differ in where namespaces are declared, in element
// order and in link relations, so entries are read by namespace URI and by name, never by position.
import { estimatedListing } from '../importer/formats.ts';
import { makeRecord, RecordError } from '../importer/record.ts';
import type { PaperRecord } from '../model/paper.ts';
import type { HttpClient } from './http.ts';
import { child, childText, children, NS, parseXml, type XmlElement } from './xml.ts';

export class ArxivApiError extends Error {}

export interface ApiFeed {
  total: number;
  records: PaperRecord[];
  rejected: { id: string; message: string }[];
}

/** Reads a query-API response. An error entry (arXiv's way of answering a bad query) throws. */
export function parseApiFeed(xml: string): ApiFeed {
  const feed = parseXml(xml);
  if (feed.ns !== NS.atom || feed.name !== 'feed') throw new ArxivApiError(`not an Atom feed (root element ${feed.name})`);
  const entries = children(feed, NS.atom, 'entry');
  const error = entries.find((e) => /\/api\/errors/.test(childText(e, NS.atom, 'id') ?? ''));
  if (error) throw new ArxivApiError(`arXiv API error: ${childText(error, NS.atom, 'summary') ?? 'unknown error'}`);
  const result: ApiFeed = { total: Number(childText(feed, NS.opensearch, 'totalResults') ?? entries.length), records: [], rejected: [] };
  for (const entry of entries) {
    try {
      result.records.push(fromEntry(entry));
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      result.rejected.push({ id: childText(entry, NS.atom, 'id') ?? '?', message: err.message });
    }
  }
  return result;
}

function fromEntry(entry: XmlElement): PaperRecord {
  const idUrl = childText(entry, NS.atom, 'id') ?? '';
  const id = /arxiv\.org\/abs\/(.+)$/.exec(idUrl)?.[1] ?? idUrl;
  const published = childText(entry, NS.atom, 'published');
  const primary = child(entry, NS.arxiv, 'primary_category')?.attrs.term;
  const categories = children(entry, NS.atom, 'category').map((c) => c.attrs.term ?? '');
  const firstAt = published ? new Date(published) : null;
  return makeRecord({
    id,
    title: childText(entry, NS.atom, 'title'),
    abstract: childText(entry, NS.atom, 'summary'),
    authors: children(entry, NS.atom, 'author').map((a) => childText(a, NS.atom, 'name')),
    categories: primary ? [primary, ...categories.filter((c) => c !== primary)] : categories,
    comment: childText(entry, NS.arxiv, 'comment'),
    journalRef: childText(entry, NS.arxiv, 'journal_ref'),
    doi: childText(entry, NS.arxiv, 'doi'),
    publishedAt: published,
    arxivUpdatedOn: childText(entry, NS.atom, 'updated'),
    listing: firstAt && !Number.isNaN(firstAt.getTime()) ? estimatedListing(firstAt) : null,
  });
}

export class ArxivApi {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  /** Looks papers up by id (versions allowed), up to 100 at a time. Unknown ids are simply absent. */
  async lookup(ids: string[]): Promise<ApiFeed> {
    if (ids.length === 0 || ids.length > 100) throw new ArxivApiError('look up 1 to 100 ids at a time');
    const url = `${this.baseUrl}?id_list=${ids.map(encodeURIComponent).join(',')}&start=0&max_results=${ids.length}`;
    const response = await this.http.get(url);
    // arXiv answers a malformed id with HTTP 400 and an error entry, which parseApiFeed reports.
    if (response.status !== 200 && response.status !== 400) throw new ArxivApiError(`arXiv API answered HTTP ${response.status}`);
    return parseApiFeed(response.body);
  }
}
