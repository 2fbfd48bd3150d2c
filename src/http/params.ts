// Request parameters every kind of page shares.
import { HttpError } from './errors.ts';

const MAX_PAGE = 1_000;

/** `?page=`: 1 when absent; a 400 when not a whole number from 1 to MAX_PAGE. */
export function pageNumber(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new HttpError(400, 'Not a valid page', `The page number must be a whole number from 1 to ${MAX_PAGE}.`);
  }
  return n;
}

/** An author's name from the URL, trimmed; a 400 when empty or too long. */
export function authorName(value: string): string {
  const name = value.trim();
  if (!name || name.length > 200) throw new HttpError(400, 'Not an author name', 'An author name has 1 to 200 characters.');
  return name;
}
