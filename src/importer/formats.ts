// The three record formats `paperboy import` reads, each turned into one PaperRecord:
//   - arXiv metadata snapshot (Kaggle `arxiv-metadata-oai-snapshot`): one JSON object a line
//   - daily listing JSONL (arxiv-daily-cs): one JSON object a line
//   - Hugging Face `GET /api/daily_papers` items, from a response (a JSON array) or one a line
// A record is recognised by its keys, so one file may even mix them. Anything wrong with a record
// throws a RecordError whose message says what, for the importer to report with file and line.
import { parseArxivId } from '../arxiv/ids.ts';
import { announcementDay } from '../arxiv/schedule.ts';
import type { PaperFields } from '../storage/papers.ts';
import { isValidDate } from '../util/dates.ts';

export interface ListingRecord {
  day: string;
  source: 'arxiv' | 'huggingface';
  submittedBy: string | null;
  listedAt: string;
  upvotes: number;
}

export interface PaperRecord extends PaperFields {
  version: number | null; // null: the source does not say
  listing: ListingRecord | null;
}

export class RecordError extends Error {}

export type Format = 'arxiv-snapshot' | 'daily-listing' | 'huggingface';

const LIMITS = { title: 1_000, abstract: 20_000, authors: 5_000, author: 500, field: 2_000 };

/** Which format a parsed JSON value is in, or null when it is none of them. */
export function detectFormat(value: unknown): Format | null {
  if (!isObject(value)) return null;
  if ('paper' in value && isObject(value.paper)) return 'huggingface';
  if ('versions' in value && ('authors_parsed' in value || 'update_date' in value)) return 'arxiv-snapshot';
  if ('summary' in value && 'id' in value && Array.isArray(value.authors) && ('abs' in value || 'listing_date' in value)) {
    return 'daily-listing';
  }
  return null;
}

/**
 * Turns one JSON value into a record. `fileDate` is the YYYY-MM-DD a file is named by, which daily
 * listings and Hugging Face responses use as their list's day when the record does not carry one.
 */
export function toPaperRecord(value: unknown, fileDate: string | null): PaperRecord {
  switch (detectFormat(value)) {
    case 'arxiv-snapshot':
      return fromSnapshot(value as Record<string, unknown>);
    case 'daily-listing':
      return fromDailyListing(value as Record<string, unknown>, fileDate);
    case 'huggingface':
      return fromHuggingFace(value as Record<string, unknown>, fileDate);
    default:
      throw new RecordError('not a record of a known format (arXiv snapshot, daily listing or Hugging Face daily paper)');
  }
}

function fromSnapshot(r: Record<string, unknown>): PaperRecord {
  const { id, version: idVersion } = arxivId(r.id);
  const versions = Array.isArray(r.versions) ? r.versions : [];
  const numbers = versions.map((v) => Number(/^v(\d+)$/.exec(String((v as { version?: unknown })?.version))?.[1]));
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RecordError('versions: expected a list like [{"version":"v1","created":"…"}]');
  }
  const first = versions[numbers.indexOf(Math.min(...numbers))] as { created?: unknown };
  const created = new Date(String(first.created));
  if (Number.isNaN(created.getTime())) throw new RecordError(`versions: unreadable date ${JSON.stringify(first.created)}`);
  const authors = Array.isArray(r.authors_parsed)
    ? r.authors_parsed.map((parts) => {
        const [last, first, suffix] = (Array.isArray(parts) ? parts : []).map((p) => String(p ?? '').trim());
        return [first, last, suffix].filter(Boolean).join(' ');
      })
    : splitAuthorString(text(r.authors, 'authors', LIMITS.authors));
  const categories = arxivCategories(optionalText(r.categories, 'categories')?.split(/\s+/) ?? []);
  const updated = optionalText(r.update_date, 'update_date');
  if (updated && !isValidDate(updated)) throw new RecordError(`update_date: not a date: ${updated}`);
  const publishedAt = created.toISOString();
  return {
    ...common(id, r.title, r.abstract, authors, categories),
    version: Math.max(...numbers, idVersion ?? 0),
    comment: optionalText(r.comments, 'comments'),
    journalRef: optionalText(r['journal-ref'], 'journal-ref'),
    doi: optionalText(r.doi, 'doi'),
    reportNo: optionalText(r['report-no'], 'report-no'),
    license: optionalText(r.license, 'license'),
    publishedAt,
    arxivUpdatedOn: updated,
    listing: { day: announcementDay(created), source: 'arxiv', submittedBy: null, listedAt: publishedAt, upvotes: 0 },
  };
}

function fromDailyListing(r: Record<string, unknown>, fileDate: string | null): PaperRecord {
  const { id, version } = arxivId(r.id);
  const listed = optionalText(r.listing_date, 'listing_date') ?? fileDate;
  if (listed !== null && !isValidDate(listed)) throw new RecordError(`listing_date: not a date: ${listed}`);
  const authors = (r.authors as unknown[]).map((a) => text(a, 'authors[]', LIMITS.author));
  const categories = Array.isArray(r.categories) ? arxivCategories(r.categories.map(String)) : [];
  return {
    ...common(id, r.title, r.summary, authors, categories),
    version,
    comment: optionalText(r.comment, 'comment'),
    listing: listed
      ? { day: listed, source: 'arxiv', submittedBy: null, listedAt: `${listed}T00:00:00.000Z`, upvotes: 0 }
      : null,
  };
}

function fromHuggingFace(item: Record<string, unknown>, fileDate: string | null): PaperRecord {
  const p = item.paper as Record<string, unknown>;
  const { id, version } = arxivId(p.id);
  if (!Array.isArray(p.authors)) throw new RecordError('paper.authors: expected a list');
  const authors = p.authors
    .filter((a) => !(isObject(a) && a.hidden === true))
    .map((a) => text(isObject(a) ? a.name : a, 'paper.authors[].name', LIMITS.author));
  // The list's day: the response's date; else when it was submitted to the daily list (2025+
  // responses); the 2024 responses only had the item's publishedAt, which then meant exactly that.
  const listedAt = timestamp(p.submittedOnDailyAt, 'paper.submittedOnDailyAt') ?? timestamp(item.publishedAt, 'publishedAt');
  const day = fileDate ?? listedAt?.slice(0, 10);
  if (!day || !listedAt) throw new RecordError('no day for the list: neither paper.submittedOnDailyAt nor publishedAt');
  const submitter = isObject(item.submittedBy) ? item.submittedBy : isObject(p.submittedOnDailyBy) ? p.submittedOnDailyBy : null;
  const upvotes = p.upvotes ?? 0;
  if (!Number.isInteger(upvotes) || (upvotes as number) < 0) throw new RecordError('paper.upvotes: expected a whole number');
  const stars = p.githubStars ?? null;
  if (stars !== null && (!Number.isInteger(stars) || (stars as number) < 0)) throw new RecordError('paper.githubStars: expected a whole number');
  return {
    ...common(id, p.title, p.summary, authors, []),
    version,
    publishedAt: timestamp(p.publishedAt, 'paper.publishedAt'),
    githubRepo: httpUrl(p.githubRepo, 'paper.githubRepo'),
    githubStars: stars as number | null,
    projectPage: httpUrl(p.projectPage, 'paper.projectPage'),
    listing: {
      day,
      source: 'huggingface',
      submittedBy: submitter ? optionalText(submitter.name ?? submitter.user, 'submittedBy.name') : null,
      listedAt,
      upvotes: upvotes as number,
    },
  };
}

/** The fields every format fills, with the rest empty for the format to override. */
function common(id: string, title: unknown, abstract: unknown, authors: string[], categories: string[]) {
  if (authors.length === 0) throw new RecordError('authors: the list is empty');
  return {
    arxivId: id,
    title: text(title, 'title', LIMITS.title).replace(/\s+/g, ' '),
    abstract: text(abstract, 'abstract', LIMITS.abstract),
    authors,
    categories,
    comment: null,
    journalRef: null,
    doi: null,
    reportNo: null,
    license: null,
    publishedAt: null,
    arxivUpdatedOn: null,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
  };
}

function arxivId(value: unknown) {
  const parsed = typeof value === 'string' ? parseArxivId(value) : null;
  if (!parsed) throw new RecordError(`id: not an arXiv identifier: ${JSON.stringify(value)?.slice(0, 80)}`);
  return parsed;
}

/** Required text: trimmed, control characters removed (PostgreSQL refuses NUL), length-capped. */
function text(value: unknown, field: string, max: number): string {
  const t = optionalText(value, field, max);
  if (!t) throw new RecordError(`${field}: missing or empty`);
  return t;
}

function optionalText(value: unknown, field: string, max = LIMITS.field): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new RecordError(`${field}: expected text, got ${typeof value}`);
  // eslint-disable-next-line no-control-regex
  const t = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (t.length > max) throw new RecordError(`${field}: longer than ${max} characters`);
  return t || null;
}

function timestamp(value: unknown, field: string): string | null {
  const t = optionalText(value, field, 40);
  if (!t) return null;
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new RecordError(`${field}: not a time: ${t}`);
  return d.toISOString();
}

function httpUrl(value: unknown, field: string): string | null {
  const t = optionalText(value, field);
  if (!t) return null;
  if (!/^https?:\/\/[^\s]+$/i.test(t)) throw new RecordError(`${field}: not an http(s) URL`);
  return t;
}

/**
 * Keeps arXiv category names (cs.CL, hep-th, math.GT); scrapers sometimes leave ACM or MSC classes
 * ("I.2; H.3.4") among them, which are not categories.
 */
function arxivCategories(names: string[]): string[] {
  return [...new Set(names.map((n) => n.trim()).filter((n) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(n)))];
}

/** The snapshot's plain `authors` string: "A. One, B. Two and C. Three". */
function splitAuthorString(authors: string): string[] {
  return authors
    .replace(/\s+/g, ' ')
    .split(/,\s*|\s+and\s+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
