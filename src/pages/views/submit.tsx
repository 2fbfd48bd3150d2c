// Submitting a paper to today's list: one field, and the operator's rules said up front.
import type { SubmissionRules } from '../../community/submissions.ts';
import { Csrf, Notice } from './forms.tsx';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

export function SubmitPage(props: {
  site: Site;
  csrf: string;
  rules: SubmissionRules;
  left: number;
  value?: string;
  error?: string;
  see?: string;
  closed?: boolean; // the member cannot submit now (the error says why)
}) {
  const r = props.rules;
  return (
    <Layout site={props.site} meta={{ title: 'Submit a paper', description: "Put a new arXiv paper on today's list.", path: '/submit' }}>
      <h1>Submit a paper</h1>
      <p>Put a new arXiv paper on today's list for others to find, upvote and discuss. It shows as submitted by you.</p>
      <Notice message={props.error} />
      {props.see && (
        <p>
          <a href={props.see}>Go to the paper</a>
        </p>
      )}
      <form class="stacked" method="post" action="/submit">
        <Csrf token={props.csrf} />
        <label>
          arXiv identifier or URL
          <input
            name="paper"
            required
            maxlength={300}
            placeholder="2401.12345 or https://arxiv.org/abs/2401.12345"
            value={props.value ?? ''}
          />
        </label>
        <button type="submit" disabled={props.left === 0 || props.closed}>
          Submit
        </button>
      </form>
      <ul class="muted">
        <li>Papers whose first version is at most {r.maxAgeDays} days old.</li>
        <li>
          Up to {r.perDay} a day per member: you have {props.left} left today.
        </li>
        {r.minAccountAgeHours > 0 && <li>From accounts at least {r.minAccountAgeHours} hours old (moderators and admins at once).</li>}
        <li>A paper already on a list cannot be submitted again: upvote it instead.</li>
      </ul>
    </Layout>
  );
}
