// What a member reads: the categories their lists show and the topics For you starts from, as the
// sign-up and settings forms give them.
import type { Member } from '../accounts/members.ts';
import { MAX_TOPICS } from '../digests/subscribers.ts';
import { HttpError } from '../http/errors.ts';
import { categoryFilter } from '../http/params.ts';

export type Interests = Pick<Member, 'categories' | 'topics'>;
export type InterestsForm = { categories?: string; topics?: string };

/** The interests as given, checked; or a message saying what to fix. */
export function interestsFrom(form: InterestsForm): Interests | string {
  let categories: string[];
  try {
    categories = categoryFilter(form.categories ?? '');
  } catch (err) {
    if (err instanceof HttpError) return err.message;
    throw err;
  }
  const topics = [
    ...new Set(
      (form.topics ?? '')
        .split(/\r?\n/)
        .map((t) => t.replace(/\s+/g, ' ').trim())
        .filter(Boolean),
    ),
  ];
  if (topics.length > MAX_TOPICS) return `Name at most ${MAX_TOPICS} topics.`;
  if (topics.some((t) => t.length > 200)) return 'Keep each topic under 200 characters.';
  return { categories, topics };
}
