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
    const reject = (line: number, message: string) => {
      summary.rejected++;
      options.onReject?.({ file, line, message });
    };
    let batch: { line: number; record: PaperRecord }[] = [];
    const flush = async () => {
      for (const outcome of await storeBatch(database, batch, reject)) summary[outcome satisfies Outcome]++;
      batch = [];
    };
    const fileDate = /(\d{4}-\d{2}-\d{2})/.exec(basename(file))?.[1] ?? null;
    let lastLine = 0;
    try {
      for await (const { line, value, error, bytes } of readRecords(file)) {
        lastLine = line;
        options.onProgress?.(doneBefore + bytes, total);
        try {
          if (error) throw new RecordError(error);
          batch.push({ line, record: toPaperRecord(value, fileDate && isValidDate(fileDate) ? fileDate : null) });
        } catch (err) {
          if (!(err instanceof RecordError)) throw err;
          reject(line, err.message);
        }
        if (batch.length >= batchSize) await flush();
      }
    } catch (err) {
      // A damaged or truncated file (a bad gzip, a read error): what was read before goes in, and the
      // import goes on with the next file.
      if (!isReadError(err)) throw err;
      reject(lastLine + 1, `the file is damaged after line ${lastLine}, the rest of it is unreadable: ${(err as Error).message}`);
    }
    await flush();
    doneBefore += statSync(file).size;
    options.onProgress?.(doneBefore, total);
  }
  if (summary.new + summary.updated > 0) await tidySearchIndexes(database);
  return summary;
}

/** Errors of reading the file itself (zlib's, the file system's), as opposed to our own bugs. */
function isReadError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('E') || code === 'ERR_STREAM_PREMATURE_CLOSE');
}

/**
 * Stores a batch in one transaction; if the batch fails (a record the database refuses, whatever
 * the reason), each record alone, so the one at fault is rejected with its line and the rest go in.
 */
async function storeBatch(
  database: Database,
  batch: { line: number; record: PaperRecord }[],
  reject: (line: number, message: string) => void,
): Promise<Outcome[]> {
  if (batch.length === 0) return [];
  try {
    return await upsertPapers(
      database,
      batch.map((b) => b.record),
    );
  } catch {
    const outcomes: Outcome[] = [];
    for (const { line, record } of batch) {
      try {
        outcomes.push(...(await upsertPapers(database, [record])));
      } catch (err) {
        reject(line, `could not be stored: ${(err as Error).message}`);
      }
    }
    return outcomes;
  }
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
  let first: string | null = null; // a first line that is not JSON, until the second says what the file is
  for await (const read of lines) {
    number++;
    const text = number === 1 ? read.replace(/^\uFEFF/, '') : read; // a byte-order mark is not part of the record
    if (whole) whole.push(text);
    else if (number === 1 && /^\s*\[/.test(text)) whole = [text];
    else if (number === 1 && !isJson(text)) first = text;
    else if (number === 2 && first !== null && text.trim() !== '' && !isJson(text)) whole = [first, text];
    else {
      // JSON Lines: a broken first line is one bad record, not a reason to read the file whole.
      if (number === 2 && first !== null && first.trim() !== '') yield lineRecord(first, 1, raw.bytesRead);
      if (text.trim() !== '') yield lineRecord(text, number, raw.bytesRead);
    }
  }
  if (!whole && first !== null && number === 1) whole = [first];
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
