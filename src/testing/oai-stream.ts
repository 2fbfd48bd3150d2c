// A multi-page OAI-PMH ListRecords stream in arXiv's arXivRaw format, built from real arXiv metadata
// (arxiv-daily-cs) so that harvest tests and benchmarks can page through as many records as they
// need. The envelope follows the recorded responses in ../shared/datasets/arxiv-oai-pmh.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { escapeHtml } from '../util/html.ts';
import { datasetPath } from './datasets.ts';

interface DailyPaper {
  id: string;
  title: string;
  authors: string[];
  categories: string[];
  summary: string;
  comment: string | null;
  listing_date: string;
}

export function loadDailyPapers(count: number): DailyPaper[] {
  const lines = gunzipSync(readFileSync(datasetPath('arxiv-daily-cs/papers.jsonl.gz')))
    .toString('utf8')
    .split('\n');
  return lines.slice(0, count).map((l) => JSON.parse(l) as DailyPaper);
}

function arxivRaw(p: DailyPaper): string {
  // The dataset has no submission times: v1 is placed at 15:00 UTC the weekday before its listing.
  const v1 = new Date(`${p.listing_date}T15:00:00Z`);
  v1.setUTCDate(v1.getUTCDate() - (v1.getUTCDay() === 1 ? 3 : 1));
  const x = escapeHtml;
  return `<record><header><identifier>oai:arXiv.org:${p.id}</identifier><datestamp>${p.listing_date}</datestamp></header>
<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>${p.id}</id><submitter>${x(p.authors[0] ?? '')}</submitter>
<version version="v1"><date>${v1.toUTCString()}</date><size>100kb</size></version><title>${x(p.title)}</title>
<authors>${x(p.authors.join(', '))}</authors><categories>${x(p.categories.join(' '))}</categories>${p.comment ? `<comments>${x(p.comment)}</comments>` : ''}
<abstract>${x(p.summary)}</abstract></arXivRaw></metadata></record>`;
}

/** Page `n` (from 0) of a stream over `papers`, `size` records a page; tokens are `page-<n>`. */
export function oaiPage(papers: DailyPaper[], n: number, size: number, responseDate = '2026-07-02T10:00:00Z'): string {
  const records = papers
    .slice(n * size, (n + 1) * size)
    .map(arxivRaw)
    .join('\n');
  const last = (n + 1) * size >= papers.length;
  const token = last
    ? `<resumptionToken cursor="${n * size}" completeListSize="${papers.length}"/>`
    : `<resumptionToken cursor="${n * size}" completeListSize="${papers.length}">page-${n + 1}</resumptionToken>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>${responseDate}</responseDate>
<request verb="ListRecords">http://export.arxiv.org/oai2</request><ListRecords>
${records}
${token}
</ListRecords></OAI-PMH>`;
}
