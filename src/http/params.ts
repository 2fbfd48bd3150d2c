// Request parameters every kind of page shares.
import { isCategory } from '../arxiv/ids.ts';
import { LIST_CHOICES, type ListChoice } from '../papers/picks.ts';
import { HttpError } from './errors.ts';

const MAX_PAGE = 1_000;

/** `?page=`: 1 when absent; a 400 when not a whole number from 1 to MAX_PAGE. */
/** A page past a list's end is a 404 that says where the list ends ("Page 12 of 11" was shown). */
export function pageInRange(page: number, total: number, pageSize: number): void {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (page > pages)
    throw new HttpError(404, 'No such page', `This list has ${pages} ${pages === 1 ? 'page' : 'pages'}; there is no page ${page}.`);
}

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

const MAX_CATEGORIES = 20;

/**
 * `?category=`: categories or archives (cs.CL, cs), repeated or comma-separated; none when absent.
 * A 400 naming the parameter when one is not a category, or when there are too many.
 */
export function categoryFilter(value: string | string[] | undefined): string[] {
  const given = (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => String(v).split(','));
  const categories = [...new Set(given.map((c) => c.trim()).filter(Boolean))];
  const wrong = categories.find((c) => !isCategory(c));
  if (wrong !== undefined) {
    throw new HttpError(
      400,
      'Not a category',
      `“${wrong.slice(0, 40)}” is not an arXiv category such as cs.CL, or an archive such as cs.`,
      'category',
    );
  }
  if (categories.length > MAX_CATEGORIES)
    throw new HttpError(400, 'Too many categories', `Give at most ${MAX_CATEGORIES} categories.`, 'category');
  return categories;
}

/** A list's tabs: its picks, every paper, or (day and week lists) the signed-in member's own ranking. */
export type ListTab = ListChoice | 'for-you';

/** `?list=`: a list's picks (the default), every paper on it, or `for-you`; a 400 naming the parameter otherwise. */
export function listChoice(value: string | undefined): ListTab {
  if (value === undefined || value === '') return 'picks';
  if (value !== 'for-you' && !(LIST_CHOICES as string[]).includes(value))
    throw new HttpError(400, 'Not a list', 'list must be picks, all or for-you.', 'list');
  return value as ListTab;
}

/** The query string of a list: its categories, `list=all` when every paper is shown, the page when past the first. */
export function listQuery({
  categories = [],
  list = 'picks',
  page = 1,
  everyCategory = false,
}: {
  categories?: string[];
  list?: ListTab;
  page?: number;
  everyCategory?: boolean; // `category=` with no value: every category, over a member's own choice
}): string {
  const params = new URLSearchParams(categories.map((c) => ['category', c]));
  if (everyCategory && categories.length === 0) params.set('category', '');
  if (list !== 'picks') params.set('list', list);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}
