// Signing up, signing in (by password or by an emailed link), following a mailed link, and settings.
// Plain forms: they work without JavaScript, and browsers' password managers understand them.
import type { ApiToken } from '../../accounts/api-tokens.ts';
import type { Member } from '../../accounts/members.ts';
import { PASSWORD_MIN } from '../../accounts/members.ts';
import type { LinkPurpose } from '../../model/community.ts';
import { Csrf, Notice } from './forms.tsx';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';
import { DigestPreferences } from './subscribe.tsx';
import type { Subscriber } from '../../model/mail.ts';

const next = (path: string) => <input type="hidden" name="next" value={path} />;

/** The categories every list shows a member unless they choose others. */
function CategoriesField(props: { value: string[] }) {
  return (
    <label>
      Categories or archives <span class="muted">(cs.CL, cs.LG, math: lists show these; empty for every category)</span>
      <input
        name="categories"
        value={props.value.join(', ')}
        maxlength={400}
        placeholder="every category"
        autocomplete="off"
        spellcheck={false}
      />
    </label>
  );
}

/** Topics For you ranks by until the member has upvoted or saved a few papers. */
function TopicsField(props: { value: string[] }) {
  return (
    <label>
      Topics you read about{' '}
      <span class="muted">(one a line, up to 5: “kv cache compression”, “protein folding”; For you starts from these)</span>
      <textarea name="topics" rows={3} maxlength={1100}>
        {props.value.join('\n')}
      </textarea>
    </label>
  );
}

export function SignUpPage(props: {
  site: Site;
  csrf: string;
  next: string;
  error?: string;
  name?: string;
  email?: string;
  interests?: { categories: string[]; topics: string[] };
}) {
  return (
    <Layout
      site={props.site}
      meta={{ title: 'Create an account', description: `Join ${props.site.name} to upvote, discuss and submit papers.`, path: '/signup' }}
    >
      <h1>Create an account</h1>
      <p>Upvote papers, discuss them, submit new ones and keep reading lists.</p>
      <Notice message={props.error} />
      <form class="stacked" method="post" action="/signup">
        <Csrf token={props.csrf} />
        {next(props.next)}
        <label>
          Name <span class="muted">(public, in your profile's address)</span>
          <input
            name="name"
            required
            minlength={2}
            maxlength={30}
            pattern="[a-z0-9][a-z0-9_\-]{1,29}"
            title="2 to 30 characters: lower-case letters, digits, - and _, starting with a letter or digit"
            autocomplete="username"
            value={props.name ?? ''}
          />
        </label>
        <label>
          Email <span class="muted">(never shown)</span>
          <input type="email" name="email" required maxlength={254} autocomplete="email" value={props.email ?? ''} />
        </label>
        <label>
          Password <span class="muted">(optional: without one you sign in by emailed links; at least {PASSWORD_MIN} characters)</span>
          <input type="password" name="password" minlength={PASSWORD_MIN} maxlength={200} autocomplete="new-password" />
        </label>
        <fieldset class="fields">
          <legend>What you read (optional; change it any time in Settings)</legend>
          <CategoriesField value={props.interests?.categories ?? []} />
          <TopicsField value={props.interests?.topics ?? []} />
        </fieldset>
        <button type="submit">Create account</button>
      </form>
      <p>
        Already a member? <a href={`/signin?next=${encodeURIComponent(props.next)}`}>Sign in</a>
      </p>
    </Layout>
  );
}

export function SignInPage(props: { site: Site; csrf: string; next: string; error?: string; email?: string }) {
  return (
    <Layout site={props.site} meta={{ title: 'Sign in', description: `Sign in to ${props.site.name}.`, path: '/signin' }}>
      <h1>Sign in</h1>
      <Notice message={props.error} />
      <form class="stacked" method="post" action="/signin">
        <Csrf token={props.csrf} />
        {next(props.next)}
        <label>
          Email <input type="email" name="email" required maxlength={254} autocomplete="username" value={props.email ?? ''} />
        </label>
        <label>
          Password <input type="password" name="password" required maxlength={200} autocomplete="current-password" />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p>
        <a href="/reset">Forgot your password?</a> · New here?{' '}
        <a href={`/signup?next=${encodeURIComponent(props.next)}`}>Create an account</a>
      </p>
      <h2>Or sign in without a password</h2>
      <form class="stacked" method="post" action="/signin/link">
        <Csrf token={props.csrf} />
        {next(props.next)}
        <label>
          Email <input type="email" name="email" required maxlength={254} autocomplete="email" value={props.email ?? ''} />
        </label>
        <button type="submit">Email me a sign-in link</button>
      </form>
    </Layout>
  );
}

export function ResetRequestPage(props: { site: Site; csrf: string; error?: string }) {
  return (
    <Layout site={props.site} meta={{ title: 'Reset your password', description: 'Get a link to choose a new password.', path: '/reset' }}>
      <h1>Reset your password</h1>
      <Notice message={props.error} />
      <form class="stacked" method="post" action="/reset">
        <Csrf token={props.csrf} />
        <label>
          Email <input type="email" name="email" required maxlength={254} autocomplete="email" />
        </label>
        <button type="submit">Email me a link</button>
      </form>
    </Layout>
  );
}

const LINK_TEXT: Record<Exclude<LinkPurpose, 'reset'>, { title: string; text: string; button: string }> = {
  verify: {
    title: 'Confirm your address',
    text: 'Confirm the address to finish creating your account; you will be signed in.',
    button: 'Confirm and sign in',
  },
  'sign-in': { title: 'Sign in', text: 'Continue to sign in on this browser.', button: 'Sign in' },
  email: {
    title: 'Use your new address',
    text: 'Confirm that your account should use this address from now on.',
    button: 'Use this address',
  },
};

/**
 * What a mailed link opens. Its action is a button, not the GET itself: mail scanners that fetch
 * every link must not use it up or sign themselves in.
 */
export function LinkPage(props: {
  site: Site;
  csrf: string;
  token: string;
  purpose: LinkPurpose;
  email: string;
  next: string;
  error?: string;
}) {
  if (props.purpose === 'reset') {
    return (
      <Layout site={props.site} meta={{ title: 'Choose a new password', description: 'Choose a new password.', path: '/link' }}>
        <h1>Choose a new password</h1>
        <p>For {props.email}. Setting it signs you out everywhere else.</p>
        <Notice message={props.error} />
        <form class="stacked" method="post" action="/link">
          <Csrf token={props.csrf} />
          <input type="hidden" name="token" value={props.token} />
          {next(props.next)}
          <input type="email" name="email" value={props.email} autocomplete="username" hidden />
          <label>
            New password <span class="muted">(at least {PASSWORD_MIN} characters)</span>
            <input type="password" name="password" required minlength={PASSWORD_MIN} maxlength={200} autocomplete="new-password" />
          </label>
          <button type="submit">Set password and sign in</button>
        </form>
      </Layout>
    );
  }
  const t = LINK_TEXT[props.purpose];
  return (
    <Layout site={props.site} meta={{ title: t.title, description: t.title, path: '/link' }}>
      <h1>{t.title}</h1>
      <p>{t.text}</p>
      <Notice message={props.error} />
      <form method="post" action="/link">
        <Csrf token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        {next(props.next)}
        <button type="submit">{t.button}</button>
      </form>
    </Layout>
  );
}

export function SettingsPage(props: {
  site: Site;
  csrf: string;
  member: Member;
  sessions: number;
  digest: Subscriber | null;
  tokens: ApiToken[];
  newToken?: string; // just made: shown this once
  notice?: string;
  error?: string;
}) {
  const m = props.member;
  return (
    <Layout site={props.site} meta={{ title: 'Settings', description: 'Your account.', path: '/settings' }}>
      <h1>Settings</h1>
      <Notice message={props.notice} kind="ok" />
      <Notice message={props.error} />
      <p>
        Signed in as <a href={`/u/${m.name}`}>{m.name}</a> ({m.email}){m.role !== 'member' && `, ${m.role}`}.
      </p>

      <h2 id="interests">What you read</h2>
      <form class="stacked" method="post" action="/settings/interests">
        <Csrf token={props.csrf} />
        <CategoriesField value={m.categories} />
        <TopicsField value={m.topics} />
        <button type="submit">Save</button>
      </form>

      <h2>Password</h2>
      <form class="stacked" method="post" action="/settings/password">
        <Csrf token={props.csrf} />
        <input type="email" name="email" value={m.email} autocomplete="username" hidden />
        {m.hasPassword ? (
          <label>
            Current password <input type="password" name="current" required maxlength={200} autocomplete="current-password" />
          </label>
        ) : (
          <p class="muted">You sign in by emailed links. Set a password to sign in with it as well.</p>
        )}
        <label>
          New password <span class="muted">(at least {PASSWORD_MIN} characters)</span>
          <input type="password" name="password" required minlength={PASSWORD_MIN} maxlength={200} autocomplete="new-password" />
        </label>
        <button type="submit">{m.hasPassword ? 'Change password' : 'Set password'}</button>
        <p class="muted">Changing it signs you out on every other browser.</p>
      </form>

      <h2>Email address</h2>
      <form class="stacked" method="post" action="/settings/email">
        <Csrf token={props.csrf} />
        <label>
          New address <input type="email" name="email" required maxlength={254} autocomplete="email" />
        </label>
        <button type="submit">Send a confirmation link</button>
        <p class="muted">The account keeps {m.email} until you follow the link mailed to the new address.</p>
      </form>

      <h2 id="digest">Email digest</h2>
      <DigestSettings csrf={props.csrf} email={m.email} digest={props.digest} />

      <h2 id="tokens">API tokens</h2>
      <ApiTokens csrf={props.csrf} tokens={props.tokens} newToken={props.newToken} />

      <h2>Sessions</h2>
      <form method="post" action="/settings/signout-everywhere">
        <Csrf token={props.csrf} />
        <p>
          Signed in on {props.sessions} {props.sessions === 1 ? 'browser' : 'browsers'}. <button type="submit">Sign out everywhere</button>
        </p>
      </form>
    </Layout>
  );
}

/** The digest for the member's own address: confirmed by the account, so no confirmation mail. */
function DigestSettings(props: { csrf: string; email: string; digest: Subscriber | null }) {
  const d = props.digest;
  const on = d?.status === 'confirmed';
  return (
    <>
      <p>
        {on
          ? `Your ${d.frequency} digest of the top ${d.top_n} papers${d.for_you ? ' for you' : ''} comes to ${props.email}.`
          : d?.status === 'bounced'
            ? `Mail to ${props.email} could not be delivered, so the digest stopped. Start it again once the address works.`
            : `Get the most upvoted new papers, and new ones on your topics, at ${props.email}.`}
      </p>
      <form class="stacked" method="post" action="/settings/digest">
        <Csrf token={props.csrf} />
        <DigestPreferences frequency={d?.frequency ?? 'daily'} topN={d?.top_n ?? 10} topics={d?.topics ?? []} />
        <label class="check">
          <input type="checkbox" name="for_you" value="1" checked={d?.for_you ?? false} /> Lead with my own ranking (For you) rather than
          the most upvoted
        </label>
        <button type="submit">{on ? 'Save digest settings' : 'Send me the digest'}</button>
      </form>
      {on && (
        <form method="post" action="/settings/digest/stop">
          <Csrf token={props.csrf} />
          <button type="submit">Stop the digest</button>
        </form>
      )}
    </>
  );
}

/** Personal API tokens: the new one shown once, the others by name and last characters, each revocable. */
function ApiTokens(props: { csrf: string; tokens: ApiToken[]; newToken?: string }) {
  return (
    <>
      {props.newToken && (
        <div class="notice ok">
          <p>Your new token. Copy it now: it is not shown again.</p>
          <p>
            <code class="token">{props.newToken}</code>
          </p>
        </div>
      )}
      <p>
        Scripts and apps use a token to act as you through <a href="/openapi.json">the API</a>:{' '}
        <code>Authorization: Bearer &lt;token&gt;</code> for <code>/api/me</code>, <code>/api/me/for-you</code> and upvotes (docs/api.md).
      </p>
      {props.tokens.length > 0 && (
        <ul class="tokens">
          {props.tokens.map((t) => (
            <li>
              <form class="inline" method="post" action="/settings/tokens/revoke">
                <Csrf token={props.csrf} />
                <input type="hidden" name="id" value={String(t.id)} />
                <strong>{t.name}</strong>{' '}
                <span class="muted">
                  …{t.hint}, made {t.createdAt.slice(0, 10)}, {t.lastUsedAt ? `last used ${t.lastUsedAt.slice(0, 10)}` : 'never used'}
                </span>{' '}
                <button type="submit" class="link">
                  Revoke
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form class="inline" method="post" action="/settings/tokens">
        <Csrf token={props.csrf} />
        <label>
          Name <input name="name" maxlength={60} placeholder="my reading script" required />
        </label>{' '}
        <button type="submit">Make a token</button>
      </form>
    </>
  );
}
