// The three file formats `paperboy import` reads, each turned into PaperRecords:
//   - arXiv metadata snapshot (Kaggle `arxiv-metadata-oai-snapshot`): one JSON object a line
//   - daily listing JSONL (arxiv-daily-cs): one JSON object a line
//   - Hugging Face `GET /api/daily_papers` items, from a response (a JSON array) or one a line
// A record is recognised by its keys, so one file may even mix them. Anything wrong with a record
// throws a RecordError whose message says what, for the importer to report with file and line.
import { announcementDay } from '../arxiv/schedule.ts';
import { isValidDate } from '../util/dates.ts';
import { makeRecord, optionalText, plausibleTime, RecordError, splitAuthors, text, timestamp } from './record.ts';
import type { PaperRecord } from '../model/paper.ts';

export type Format = 'arxiv-snapshot' | 'daily-listing' | 'huggingface';

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

/**
 * The versions list of the snapshot and of OAI-PMH arXivRaw: [{version: 'v2', created/date: …}].
 * Returns the latest version number and the v1 time.
 */
export function versionHistory(versions: { version: unknown; date: unknown }[]): { version: number; firstAt: Date; latestAt: Date } {
  const parsed = versions.map((v) => ({ n: Number(/^v(\d+)$/.exec(String(v.version))?.[1]), at: new Date(String(v.date)) }));
  if (parsed.length === 0 || parsed.some((v) => !Number.isInteger(v.n) || v.n < 1)) {
    throw new RecordError('versions: expected a list like [{"version":"v1","created":"…"}]');
  }
  const bad = parsed.find((v) => Number.isNaN(v.at.getTime()));
  if (bad) throw new RecordError(`versions: unreadable date for v${bad.n}`);
  const odd = parsed.find((v) => !plausibleTime(v.at));
  if (odd)
    throw new RecordError(`versions: the date of v${odd.n} (${odd.at.toISOString().slice(0, 10)}) is outside the years 1900 to 2199`);
  parsed.sort((a, b) => a.n - b.n);
  return { version: parsed.at(-1)!.n, firstAt: parsed[0]!.at, latestAt: parsed.at(-1)!.at };
}

/** The listing of a paper nobody saw listed: its announcement day, computed from its v1 time. */
export function estimatedListing(firstAt: Date): PaperRecord['listing'] {
  return {
    day: announcementDay(firstAt),
    estimated: true,
    source: 'arxiv',
    submittedBy: null,
    listedAt: firstAt.toISOString(),
    upvotes: 0,
  };
}

function fromSnapshot(r: Record<string, unknown>): PaperRecord {
  const versions = Array.isArray(r.versions) ? r.versions : [];
  const history = versionHistory(versions.map((v) => ({ version: v?.version, date: v?.created })));
  const authors = Array.isArray(r.authors_parsed)
    ? r.authors_parsed.map((parts) => {
        const [last, first, suffix] = (Array.isArray(parts) ? parts : []).map((p) => String(p ?? '').trim());
        return [first, last, suffix].filter(Boolean).join(' ');
      })
    : splitAuthors(text(r.authors, 'authors', 50_000));
  const updated = optionalText(r.update_date, 'update_date');
  if (updated && !isValidDate(updated)) throw new RecordError(`update_date: not a date: ${updated}`);
  return makeRecord({
    id: r.id,
    version: history.version,
    title: r.title,
    abstract: r.abstract,
    authors,
    categories: optionalText(r.categories, 'categories')?.split(/\s+/) ?? [],
    comment: r.comments,
    journalRef: r['journal-ref'],
    doi: r.doi,
    reportNo: r['report-no'],
    license: r.license,
    publishedAt: history.firstAt.toISOString(),
    arxivUpdatedOn: updated,
    listing: estimatedListing(history.firstAt),
  });
}

function fromDailyListing(r: Record<string, unknown>, fileDate: string | null): PaperRecord {
  const listed = optionalText(r.listing_date, 'listing_date') ?? fileDate;
  if (listed !== null && !isValidDate(listed)) throw new RecordError(`listing_date: not a date: ${listed}`);
  return makeRecord({
    id: r.id,
    title: r.title,
    abstract: r.summary,
    authors: r.authors as unknown[],
    categories: Array.isArray(r.categories) ? r.categories : [],
    comment: r.comment,
    listing: listed
      ? { day: listed, estimated: false, source: 'arxiv', submittedBy: null, listedAt: `${listed}T00:00:00.000Z`, upvotes: 0 }
      : null,
  });
}

/** The organization's full name, else its name; null when there is none. */
function organizationName(value: unknown): unknown {
  return isObject(value) ? (value.fullname ?? value.name ?? null) : null;
}

function fromHuggingFace(item: Record<string, unknown>, fileDate: string | null): PaperRecord {
  const p = item.paper as Record<string, unknown>;
  if (!Array.isArray(p.authors)) throw new RecordError('paper.authors: expected a list');
  const authors = p.authors.filter((a) => !(isObject(a) && a.hidden === true)).map((a) => (isObject(a) ? a.name : a));
  // The list's day: the response's date; else when it was submitted to the daily list (2025+
  // responses); the 2024 responses only had the item's publishedAt, which then meant exactly that.
  const listedAt = timestamp(p.submittedOnDailyAt, 'paper.submittedOnDailyAt') ?? timestamp(item.publishedAt, 'publishedAt');
  const day = fileDate ?? listedAt?.slice(0, 10);
  if (!day || !listedAt) throw new RecordError('no day for the list: neither paper.submittedOnDailyAt nor publishedAt');
  const submitter = isObject(item.submittedBy) ? item.submittedBy : isObject(p.submittedOnDailyBy) ? p.submittedOnDailyBy : null;
  const upvotes = p.upvotes ?? 0;
  if (!Number.isInteger(upvotes) || (upvotes as number) < 0) throw new RecordError('paper.upvotes: expected a whole number');
  return makeRecord({
    id: p.id,
    title: p.title,
    abstract: p.summary,
    authors,
    publishedAt: p.publishedAt,
    githubRepo: p.githubRepo,
    githubStars: p.githubStars,
    projectPage: p.projectPage,
    aiSummary: p.ai_summary,
    aiKeywords: p.ai_keywords,
    organization: organizationName(item.organization ?? p.organization),
    listing: {
      day,
      estimated: false,
      source: 'huggingface',
      submittedBy: submitter ? optionalText(submitter.name ?? submitter.user, 'submittedBy.name') : null,
      listedAt,
      upvotes: upvotes as number,
    },
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
