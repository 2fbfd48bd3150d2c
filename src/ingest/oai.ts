// arXiv's OAI-PMH interface (https://oaipmh.arxiv.org/oai), for back-fill and catch-up: ListRecords
// in the arXivRaw format, whose version history gives each paper's true v1 time. A harvest asks for
// one set (a category, `cs:cs:LG`) over a window of datestamps and pages through resumptionTokens.
import { estimatedListing, versionHistory } from '../importer/formats.ts';
import { makeRecord, RecordError, splitAuthors } from '../importer/record.ts';
import type { PaperRecord } from '../model/paper.ts';
import type { HttpClient } from './http.ts';
import { child, childText, children, NS, parseXml, type XmlElement } from './xml.ts';

/** An OAI-PMH error response, with its code (badResumptionToken, badArgument, …). */
export class OaiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`OAI-PMH ${code}: ${message}`);
  }
}

export interface OaiPage {
  responseDate: string; // the server's clock: the next incremental harvest starts from its date
  records: PaperRecord[];
  rejected: { id: string; message: string }[];
  resumptionToken: string | null; // null on the last page
  completeListSize: number | null;
}

// Archives whose categories sit under the `physics` set in arXiv's OAI-PMH set hierarchy.
const PHYSICS = new Set([
  'astro-ph',
  'cond-mat',
  'gr-qc',
  'hep-ex',
  'hep-lat',
  'hep-ph',
  'hep-th',
  'math-ph',
  'nlin',
  'nucl-ex',
  'nucl-th',
  'physics',
  'quant-ph',
]);

/** The OAI-PMH set of a category or archive: cs.LG → cs:cs:LG, cs → cs, hep-th → physics:hep-th. */
export function setSpec(category: string): string {
  const [archive, sub] = category.split('.') as [string, string | undefined];
  if (PHYSICS.has(archive)) return sub ? `physics:${archive}:${sub}` : `physics:${archive}`;
  return sub ? `${archive}:${archive}:${sub}` : archive;
}

/** Reads one ListRecords (or GetRecord) response. noRecordsMatch is an empty page, not an error. */
export function parseOaiPage(xml: string): OaiPage {
  const root = parseXml(xml);
  if (root.ns !== NS.oai || root.name !== 'OAI-PMH')
    throw new OaiError('badResponse', `not an OAI-PMH response (root element ${root.name})`);
  const responseDate = childText(root, NS.oai, 'responseDate') ?? new Date().toISOString();
  const page: OaiPage = { responseDate, records: [], rejected: [], resumptionToken: null, completeListSize: null };
  const error = child(root, NS.oai, 'error');
  if (error) {
    const code = error.attrs.code ?? 'unknown';
    if (code === 'noRecordsMatch') return page;
    throw new OaiError(code, error.text.trim());
  }
  const list = child(root, NS.oai, 'ListRecords') ?? child(root, NS.oai, 'GetRecord');
  if (!list) throw new OaiError('badResponse', 'neither ListRecords nor GetRecord in the response');
  for (const record of children(list, NS.oai, 'record')) {
    const header = child(record, NS.oai, 'header');
    if (header?.attrs.status === 'deleted') continue;
    const id = childText(header, NS.oai, 'identifier')?.replace(/^oai:arXiv\.org:/, '') ?? '?';
    try {
      const raw = child(child(record, NS.oai, 'metadata'), NS.arxivRaw, 'arXivRaw');
      if (!raw) throw new RecordError('no arXivRaw metadata (ask for metadataPrefix=arXivRaw)');
      page.records.push(fromArxivRaw(raw));
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      page.rejected.push({ id, message: err.message });
    }
  }
  const token = child(list, NS.oai, 'resumptionToken');
  page.resumptionToken = token?.text.trim() || null;
  page.completeListSize = token?.attrs.completeListSize ? Number(token.attrs.completeListSize) : null;
  return page;
}

function fromArxivRaw(raw: XmlElement): PaperRecord {
  const history = versionHistory(
    children(raw, NS.arxivRaw, 'version').map((v) => ({ version: v.attrs.version, date: childText(v, NS.arxivRaw, 'date') })),
  );
  return makeRecord({
    id: childText(raw, NS.arxivRaw, 'id'),
    version: history.version,
    title: childText(raw, NS.arxivRaw, 'title'),
    abstract: childText(raw, NS.arxivRaw, 'abstract'),
    authors: splitAuthors(childText(raw, NS.arxivRaw, 'authors') ?? ''),
    categories: (childText(raw, NS.arxivRaw, 'categories') ?? '').split(/\s+/),
    comment: childText(raw, NS.arxivRaw, 'comments'),
    journalRef: childText(raw, NS.arxivRaw, 'journal-ref'),
    // Several DOIs (article and erratum) come space-separated; the first is the article's.
    doi: childText(raw, NS.arxivRaw, 'doi')?.split(/\s+/)[0],
    reportNo: childText(raw, NS.arxivRaw, 'report-no'),
    license: childText(raw, NS.arxivRaw, 'license'),
    publishedAt: history.firstAt.toISOString(),
    arxivUpdatedOn: history.latestAt.toISOString(),
    listing: estimatedListing(history.firstAt),
  });
}

export interface HarvestWindow {
  set: string;
  from: string; // YYYY-MM-DD, inclusive
  until: string | null; // YYYY-MM-DD, inclusive
}

export class ArxivOai {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  /** The first page of a harvest, or the page a resumptionToken points at. */
  async page(window: HarvestWindow, resumptionToken: string | null): Promise<OaiPage> {
    const query = resumptionToken
      ? `verb=ListRecords&resumptionToken=${encodeURIComponent(resumptionToken)}`
      : `verb=ListRecords&metadataPrefix=arXivRaw&set=${encodeURIComponent(window.set)}&from=${window.from}` +
        (window.until ? `&until=${window.until}` : '');
    const response = await this.http.get(`${this.baseUrl}?${query}`);
    // OAI-PMH errors come as XML, usually with 200 (some servers use 400/404): parse before judging.
    if (response.status !== 200 && !response.body.includes('<error')) {
      throw new OaiError('httpError', `arXiv OAI-PMH answered HTTP ${response.status}`);
    }
    return parseOaiPage(response.body);
  }
}
