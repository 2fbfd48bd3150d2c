// `paperboy import <file|dir>`: reads files of any supported format (gzip or plain), in batches of one
// transaction each. A bad record is reported with its file and line and skipped; the rest goes in.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Database } from '../storage/db.ts';
import { tidySearchIndexes, upsertPapers, type Outcome } from '../storage/upsert.ts';
import { isValidDate } from '../util/dates.ts';
import { toPaperRecord } from './formats.ts';
import { RecordError } from './record.ts';
import type { PaperRecord } from '../model/paper.ts';

export interface Rejection {
  file: string;
  line: number; // for a JSON array file: the item's position, from 1
  message: string;
}

export interface ImportSummary {
  files: number;
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportOptions {
  batchSize?: number;
  /** Called as bytes of the input are read, for progress display. */
  onProgress?: (done: number, total: number) => void;
  onReject?: (rejection: Rejection) => void;
}

const READABLE = /\.(jsonl?|ndjson)(\.gz)?$/i;

/** Lists the files an import of `path` reads: the file itself, or a folder's readable files, sorted. */
export function importFiles(path: string): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => READABLE.test(f))
    .sort()
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile());
}

export async function importPaths(database: Database, paths: string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const files = paths.flatMap(importFiles);
  const total = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const summary: ImportSummary = { files: files.length, new: 0, updated: 0, unchanged: 0, rejected: 0 };
  const batchSize = options.batchSize ?? 500;
  let doneBefore = 0;
  for (const file of files) {
    let batch: PaperRecord[] = [];
    const flush = async () => {
      for (const outcome of await upsertPapers(database, batch)) summary[outcome satisfies Outcome]++;
      batch = [];
    };
    const fileDate = /(\d{4}-\d{2}-\d{2})/.exec(basename(file))?.[1] ?? null;
    for await (const { line, value, error, bytes } of readRecords(file)) {
      options.onProgress?.(doneBefore + bytes, total);
      try {
        if (error) throw new RecordError(error);
        batch.push(toPaperRecord(value, fileDate && isValidDate(fileDate) ? fileDate : null));
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        summary.rejected++;
        options.onReject?.({ file, line, message: err.message });
      }
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    doneBefore += statSync(file).size;
    options.onProgress?.(doneBefore, total);
  }
  if (summary.new + summary.updated > 0) await tidySearchIndexes(database);
  return summary;
}

interface RawRecord {
  line: number;
  value?: unknown;
  error?: string;
  bytes: number; // of the file read so far (compressed bytes for .gz)
}

/**
 * Yields the JSON values of a file: one a line for JSON Lines; the items of a JSON document that is
 * an array (a Hugging Face response) or an object wrapping one in `data`.
 */
async function* readRecords(file: string): AsyncGenerator<RawRecord> {
  const raw = createReadStream(file);
  const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (err) => stream.destroy(err));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  let whole: string[] | null = null; // set when the file turns out to be one JSON document
  for await (const text of lines) {
    number++;
    if (whole) whole.push(text);
    else if (number === 1 && (/^\s*\[/.test(text) || !isJson(text))) whole = [text];
    else if (text.trim() !== '') yield lineRecord(text, number, raw.bytesRead);
  }
  if (!whole) return;
  let document: unknown;
  try {
    document = JSON.parse(whole.join('\n'));
  } catch {
    // Not one document after all: JSON Lines whose first line is broken. Report line by line.
    for (const [i, text] of whole.entries()) if (text.trim() !== '') yield lineRecord(text, i + 1, raw.bytesRead);
    return;
  }
  const items = Array.isArray(document)
    ? document
    : typeof document === 'object' && document !== null && Array.isArray((document as { data?: unknown }).data)
      ? (document as { data: unknown[] }).data
      : [document];
  for (const [i, value] of items.entries()) yield { line: i + 1, value, bytes: raw.bytesRead };
}

function lineRecord(text: string, line: number, bytes: number): RawRecord {
  try {
    return { line, value: JSON.parse(text), bytes };
  } catch (err) {
    return { line, error: `not valid JSON: ${(err as Error).message}`, bytes };
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
