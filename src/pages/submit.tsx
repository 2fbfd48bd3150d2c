// A member puts a paper onto today's list (docs/community.md#submissions), within the operator's
// guardrails: newest papers only, a daily quota, no brand-new accounts.
import type { Member } from '../accounts/members.ts';
import { NO_CONTACT_EMAIL, submissionBlock, submissionsToday, submitPaper, SubmissionError } from '../community/submissions.ts';
import type { AppContext } from '../http/context.ts';
import { paperPath } from '../http/paths.ts';
import type { Handler } from '../http/route.ts';
import { requireMember } from '../http/session.ts';
import { dayIn } from '../util/dates.ts';
import { forgetTaste } from '../ranking/for-you.ts';
import { sendPrivatePage } from './respond.tsx';
import { SubmitPage } from './views/submit.tsx';

export const submitForm: Handler = async (ctx, request, reply) => {
  const member = requireMember(request);
  const { left, blocked } = await standing(ctx, member);
  return sendPrivatePage(ctx, request, reply, (site, csrf) =>
    SubmitPage({ site, csrf: csrf(), rules: ctx.submissions.rules, left, error: blocked ?? undefined, closed: blocked !== null }),
  );
};

export const submit: Handler<{ Body: { paper?: string } }> = async (ctx, request, reply) => {
  const member = requireMember(request);
  const input = (request.body.paper ?? '').slice(0, 300);
  const { rules, lookup } = ctx.submissions;
  try {
    const { arxivId } = await submitPaper(ctx.database, lookup, member, input, rules, ctx.now());
    await forgetTaste(ctx.database, member.id);
    return reply.redirect(paperPath(arxivId), 303);
  } catch (err) {
    if (!(err instanceof SubmissionError)) throw err;
    const { left, blocked } = await standing(ctx, member);
    return sendPrivatePage(
      ctx,
      request,
      reply,
      (site, csrf) =>
        SubmitPage({ site, csrf: csrf(), rules, left, value: input, error: err.message, see: err.see, closed: blocked !== null }),
      err.status,
    );
  }
};

/** How many the member may still submit today, and why they cannot submit at all now (said before they try), or null. */
async function standing(ctx: AppContext, member: Member): Promise<{ left: number; blocked: string | null }> {
  const { rules } = ctx.submissions;
  const today = await submissionsToday(ctx.database, member, dayIn(ctx.now(), rules.timeZone));
  const blocked = ctx.config.CONTACT_EMAIL ? (submissionBlock(member, rules, today, ctx.now())?.message ?? null) : NO_CONTACT_EMAIL;
  return { left: Math.max(0, rules.perDay - today), blocked };
}
