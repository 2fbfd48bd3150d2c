// A paper as any source hands it over, validated and cleaned in one place: every file format and
// every live source (arXiv RSS, OAI-PMH, query API, Hugging Face) builds its records with
// makeRecord, so they all refuse and repair the same things the same way.
import { parseArxivId, isCategory } from '../arxiv/ids.ts';
import type { ListingRecord, PaperRecord } from '../model/paper.ts';
import { isValidDate } from '../util/dates.ts';

/** What is wrong with one record; the importer reports it with the record's place and goes on. */
export class RecordError extends Error {}

const LIMITS = { title: 1_000, abstract: 20_000, author: 500, authors: 5_000, field: 2_000 };

/** A source's raw values for one paper; makeRecord checks each. */
export interface RawPaper {
  id: unknown;
  version?: number | null;
  title: unknown;
  abstract: unknown;
  authors: unknown[];
  categories?: unknown[];
  comment?: unknown;
  journalRef?: unknown;
  doi?: unknown;
  reportNo?: unknown;
  license?: unknown;
  publishedAt?: unknown; // a time
  arxivUpdatedOn?: unknown; // a date or time; the date is kept
  githubRepo?: unknown;
  githubStars?: unknown;
  projectPage?: unknown;
  aiSummary?: unknown;
  aiKeywords?: unknown;
  organization?: unknown;
  listing?: ListingRecord | null;
}

export function makeRecord(raw: RawPaper): PaperRecord {
  const parsed = typeof raw.id === 'string' ? parseArxivId(raw.id) : null;
  if (!parsed) throw new RecordError(`id: not an arXiv identifier: ${JSON.stringify(raw.id)?.slice(0, 80)}`);
  const authors = raw.authors.map((a) => text(a, 'authors[]', LIMITS.author));
  if (authors.length === 0) throw new RecordError('authors: the list is empty');
  if (authors.join(', ').length > LIMITS.authors * 10) throw new RecordError('authors: the list is too long');
  const stars = raw.githubStars ?? null;
  if (stars !== null && (!Number.isInteger(stars) || (stars as number) < 0)) throw new RecordError('githubStars: expected a whole number');
  const updated = timeOrDate(raw.arxivUpdatedOn, 'arxivUpdatedOn');
  return {
    arxivId: parsed.id,
    version: raw.version ?? parsed.version,
    title: text(raw.title, 'title', LIMITS.title).replace(/\s+/g, ' '),
    abstract: text(raw.abstract, 'abstract', LIMITS.abstract),
    authors,
    categories: arxivCategories((raw.categories ?? []).map(String)),
    comment: optionalText(raw.comment, 'comment'),
    journalRef: optionalText(raw.journalRef, 'journalRef'),
    doi: optionalText(raw.doi, 'doi'),
    reportNo: optionalText(raw.reportNo, 'reportNo'),
    license: optionalText(raw.license, 'license'),
    publishedAt: timestamp(raw.publishedAt, 'publishedAt'),
    arxivUpdatedOn: updated && updated.slice(0, 10),
    githubRepo: httpUrl(raw.githubRepo, 'githubRepo'),
    githubStars: stars as number | null,
    projectPage: httpUrl(raw.projectPage, 'projectPage'),
    aiSummary: optionalText(raw.aiSummary, 'ai_summary'),
    aiKeywords: keywords(raw.aiKeywords),
    organization: optionalText(raw.organization, 'organization'),
    listing: raw.listing ?? null,
  };
}

/** A source's keywords: up to 20 short texts, repeats and empties dropped. */
function keywords(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RecordError('ai_keywords: expected a list');
  const found = value.map((k) => optionalText(k, 'ai_keywords[]')).filter((k): k is string => k !== null && k.length <= 100);
  return [...new Set(found)].slice(0, 20);
}

/** Required text: trimmed, control characters removed (PostgreSQL refuses NUL), length-capped. */
export function text(value: unknown, field: string, max: number = LIMITS.field): string {
  const t = optionalText(value, field, max);
  if (!t) throw new RecordError(`${field}: missing or empty`);
  return t;
}

export function optionalText(value: unknown, field: string, max = LIMITS.field): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new RecordError(`${field}: expected text, got ${typeof value}`);
  // eslint-disable-next-line no-control-regex
  const t = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (t.length > max) throw new RecordError(`${field}: longer than ${max} characters`);
  return t || null;
}

/** Whether a time can be a paper's: read, and within 1900-2199 (a real dump has a v1 date in the year 801). */
export function plausibleTime(d: Date): boolean {
  const year = d.getUTCFullYear();
  return !Number.isNaN(d.getTime()) && year >= 1900 && year <= 2199;
}

/** An ISO 8601 time from any date text JavaScript reads (ISO, RFC 2822), or null. */
export function timestamp(value: unknown, field: string): string | null {
  const t = optionalText(value, field, 60);
  if (!t) return null;
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new RecordError(`${field}: not a time: ${t}`);
  if (!plausibleTime(d)) throw new RecordError(`${field}: ${t} is outside the years 1900 to 2199`);
  return d.toISOString();
}

function timeOrDate(value: unknown, field: string): string | null {
  const t = optionalText(value, field, 60);
  if (t && /^\d{4}-\d{2}-\d{2}$/.test(t)) {
    if (!isValidDate(t)) throw new RecordError(`${field}: not a date: ${t}`);
    if (!plausibleTime(new Date(t))) throw new RecordError(`${field}: ${t} is outside the years 1900 to 2199`);
    return t;
  }
  return timestamp(t, field);
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
  return [...new Set(names.map((n) => n.trim()).filter(isCategory))];
}

/** arXiv's plain author strings: "A. One, B. Two, and C. Three". */
export function splitAuthors(authors: string): string[] {
  return authors
    .replace(/\s+/g, ' ')
    .split(/,?\s+and\s+|,\s*/)
    .map((a) => a.trim())
    .filter(Boolean);
}
