// A member puts a paper onto today's list (docs/community.md#submissions), within the operator's
// guardrails: newest papers only, a daily quota, no brand-new accounts.
import { submissionsToday, submitPaper, SubmissionError } from '../community/submissions.ts';
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
  const left = await submissionsLeft(ctx, member);
  return sendPrivatePage(ctx, request, reply, (site, csrf) => SubmitPage({ site, csrf: csrf(), rules: ctx.submissions.rules, left }));
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
    const left = await submissionsLeft(ctx, member);
    return sendPrivatePage(
      ctx,
      request,
      reply,
      (site, csrf) => SubmitPage({ site, csrf: csrf(), rules, left, value: input, error: err.message, see: err.see }),
      err.status,
    );
  }
};

async function submissionsLeft(ctx: AppContext, member: { name: string }) {
  const { rules } = ctx.submissions;
  return Math.max(0, rules.perDay - (await submissionsToday(ctx.database, member, dayIn(ctx.now(), rules.timeZone))));
}
