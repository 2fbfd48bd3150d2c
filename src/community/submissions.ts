// A member puts a paper on today's list by its arXiv id or URL. The paper is looked up on arXiv when
// this instance does not have it yet, stored, and listed "submitted by" the member. The operator's
// guardrails (SUBMISSION_* settings) each refuse with a message saying what to do instead.
import { extractArxivId } from '../arxiv/ids.ts';
import type { PaperRecord } from '../model/paper.ts';
import type { Database } from '../storage/db.ts';
import { getPaper } from '../storage/papers.ts';
import { upsertPapers } from '../storage/upsert.ts';
import { dayIn } from '../util/dates.ts';
import type { Member } from '../accounts/members.ts';

export interface SubmissionRules {
  maxAgeDays: number;
  perDay: number;
  minAccountAgeHours: number;
  timeZone: string; // the clock that names today's list
}

export class SubmissionError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    /** A page the member may want instead (the paper already listed). */
    readonly see?: string,
  ) {
    super(message);
  }
}

/**
 * Finds a paper on arXiv; null when arXiv has none by that id. Throws when arXiv cannot be asked: a
 * SubmissionError when the member should read why (the site cannot ask arXiv at all), else any error.
 */
export type Lookup = (arxivId: string) => Promise<PaperRecord | null>;

/**
 * Why this member cannot submit now, before they try (the form says it and is off); null when they
 * can. Moderators and admins are not held to the account age: the site trusts them already.
 */
export function submissionBlock(
  member: Pick<Member, 'createdAt' | 'role'>,
  rules: SubmissionRules,
  submittedToday: number,
  now: Date,
): SubmissionError | null {
  const accountHours = (now.getTime() - Date.parse(member.createdAt)) / 3_600_000;
  if (member.role === 'member' && accountHours < rules.minAccountAgeHours) {
    const wait = Math.ceil(rules.minAccountAgeHours - accountHours);
    return new SubmissionError(
      `New accounts can submit papers after ${rules.minAccountAgeHours} hours; yours can in ${wait} hour${wait === 1 ? '' : 's'}. Upvoting and commenting work already.`,
      403,
    );
  }
  if (submittedToday >= rules.perDay)
    return new SubmissionError(`You have submitted ${rules.perDay} papers today, the most a member may. Submit more tomorrow.`, 429);
  return null;
}

const DAY_MS = 86_400_000;

/** What members read when the operator has not set CONTACT_EMAIL, without which arXiv is not asked. */
export const NO_CONTACT_EMAIL =
  'Submitting needs this site to look papers up on arXiv, which its operator has not set up yet (CONTACT_EMAIL). Papers already on a list can be upvoted.';

export async function submissionsToday(database: Database, member: Pick<Member, 'name'>, day: string): Promise<number> {
  const row = await database.db
    .selectFrom('listing')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source', '=', 'member')
    .where('submitted_by', '=', member.name)
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function submitPaper(
  database: Database,
  lookup: Lookup,
  member: Pick<Member, 'name' | 'createdAt' | 'role'>,
  input: string,
  rules: SubmissionRules,
  now: Date,
): Promise<{ arxivId: string; day: string }> {
  const parsed = extractArxivId(input.trim());
  if (!parsed)
    throw new SubmissionError(
      'That is not an arXiv identifier or URL. Paste something like 2401.12345 or https://arxiv.org/abs/2401.12345.',
    );
  const arxivId = parsed.id;
  const day = dayIn(now, rules.timeZone);
  const blocked = submissionBlock(member, rules, await submissionsToday(database, member, day), now);
  if (blocked) throw blocked;

  let stored = await getPaper(database, arxivId);
  if (stored?.listing) throw alreadyListed(arxivId, stored.listing.day);
  if (!stored) {
    let record: PaperRecord | null;
    try {
      record = await lookup(arxivId);
    } catch (err) {
      if (err instanceof SubmissionError) throw err;
      // What went wrong inside (a request URL, a socket error) is the operator's to read in the log, not the member's.
      throw new SubmissionError(`arXiv did not answer about ${arxivId} just now. Nothing was saved; try again in a few minutes.`, 503);
    }
    if (!record) throw new SubmissionError(`arXiv has no paper ${arxivId}. Check the identifier.`, 404);
    checkAge(record.publishedAt, rules, now);
    await upsertPapers(database, [{ ...record, listing: null }], { now });
    stored = await getPaper(database, arxivId);
  } else {
    checkAge(stored.publishedAt, rules, now);
  }

  const paperId = await database.db.selectFrom('paper').select('id').where('arxiv_id', '=', arxivId).executeTakeFirstOrThrow();
  const listed = await database.db.transaction().execute(async (tx) => {
    // Two members submitting the same paper at once: the first insert wins, the second is told.
    const row = await tx
      .insertInto('listing')
      .values({
        paper_id: paperId.id,
        day,
        day_estimated: 0,
        source: 'member',
        submitted_by: member.name,
        listed_at: now.toISOString(),
        upvotes: 0,
        imported_upvotes: 0,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('paper_id')
      .executeTakeFirst();
    if (row) await tx.updateTable('paper').set({ updated_at: now.toISOString() }).where('id', '=', paperId.id).execute();
    return !!row;
  });
  if (!listed) throw alreadyListed(arxivId, (await getPaper(database, arxivId))?.listing?.day ?? day);
  return { arxivId, day };
}

function alreadyListed(arxivId: string, day: string): SubmissionError {
  return new SubmissionError(`arXiv:${arxivId} is already on the list of ${day}: upvote it there instead.`, 409, `/papers/${arxivId}`);
}

function checkAge(publishedAt: string | null, rules: SubmissionRules, now: Date) {
  if (!publishedAt) return; // arXiv always gives it; a paper without one is not refused for it
  const days = (now.getTime() - Date.parse(publishedAt)) / DAY_MS;
  if (days > rules.maxAgeDays) {
    throw new SubmissionError(
      `Its first version is from ${publishedAt.slice(0, 10)}. The daily list is for new papers: at most ${rules.maxAgeDays} days old.`,
      422,
    );
  }
}
