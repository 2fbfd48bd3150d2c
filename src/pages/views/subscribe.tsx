// Subscribing to the digest, managing it and leaving it: plain forms that work without JavaScript.
import type { Subscriber } from '../../model/mail.ts';
import { Csrf } from './forms.tsx';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

export function DigestPreferences(props: { frequency: string; topN: number; topics: string[] }) {
  return (
    <>
      <fieldset>
        <legend>How often</legend>
        <label>
          <input type="radio" name="frequency" value="daily" checked={props.frequency === 'daily'} /> Daily
        </label>
        <label>
          <input type="radio" name="frequency" value="weekly" checked={props.frequency === 'weekly'} /> Weekly
        </label>
      </fieldset>
      <label>
        Papers per digest{' '}
        <select name="top_n">
          {[5, 10, 20].map((n) => (
            <option value={String(n)} selected={props.topN === n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        Topics, one search a line (optional: up to five)
        <textarea name="topics" rows={4} maxlength={1000} placeholder={'kv cache compression\ndiffusion for video'}>
          {props.topics.join('\n')}
        </textarea>
      </label>
    </>
  );
}

export function SubscribePage(props: { site: Site; csrf: string; error?: string; email?: string }) {
  return (
    <Layout
      site={props.site}
      meta={{
        title: 'Get trending papers in your inbox',
        description: 'A daily or weekly email of the most upvoted new papers.',
        path: '/subscribe',
      }}
    >
      <h1>Get trending papers in your inbox</h1>
      <p>A daily or weekly email with the papers readers upvoted most, and, if you like, the new ones on your topics. No account needed.</p>
      {props.error && (
        <p class="notice" role="alert">
          {props.error}
        </p>
      )}
      <form class="stacked" method="post" action="/subscribe">
        <Csrf token={props.csrf} />
        <label>
          Email <input type="email" name="email" required maxlength={254} value={props.email ?? ''} autocomplete="email" />
        </label>
        <DigestPreferences frequency="daily" topN={10} topics={[]} />
        <button type="submit">Subscribe</button>
      </form>
      <p class="muted">We mail you a link to confirm; nothing else is sent until you do. Every digest has a one-click unsubscribe link.</p>
    </Layout>
  );
}

export function ManagePage(props: {
  site: Site;
  csrf: string;
  token: string;
  unsubscribeToken: string;
  subscriber: Subscriber;
  saved?: boolean;
  error?: string;
}) {
  const s = props.subscriber;
  return (
    <Layout site={props.site} meta={{ title: 'Your digest', description: 'Change or stop your digest.', path: '/subscription' }}>
      <h1>Your digest</h1>
      <p>
        For <strong>{s.email}</strong>
        {s.status !== 'confirmed' && <> ({s.status})</>}
      </p>
      {props.saved && <p class="notice">Saved.</p>}
      {props.error && (
        <p class="notice" role="alert">
          {props.error}
        </p>
      )}
      <form class="stacked" method="post" action="/subscription">
        <Csrf token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <DigestPreferences frequency={s.frequency} topN={s.top_n} topics={s.topics} />
        <button type="submit">Save</button>
      </form>
      <form method="post" action={`/unsubscribe?token=${props.unsubscribeToken}`}>
        <Csrf token={props.csrf} />
        <button type="submit">Unsubscribe</button>
      </form>
    </Layout>
  );
}

export function UnsubscribePage(props: { site: Site; csrf: string; token: string }) {
  return (
    <Layout site={props.site} meta={{ title: 'Unsubscribe', description: 'Stop the digest.', path: '/unsubscribe' }}>
      <h1>Stop the digest?</h1>
      <form method="post" action={`/unsubscribe?token=${props.token}`}>
        <Csrf token={props.csrf} />
        <button type="submit">Unsubscribe</button>
      </form>
    </Layout>
  );
}

export function ConfirmPage(props: { site: Site; csrf: string; token: string; email: string }) {
  return (
    <Layout
      site={props.site}
      meta={{ title: 'Confirm your digest', description: 'Confirm the digest subscription.', path: '/subscribe/confirm' }}
    >
      <h1>Confirm your digest</h1>
      <p>Send the digest to {props.email}?</p>
      <form method="post" action="/subscribe/confirm">
        <Csrf token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">Yes, send me the digest</button>
      </form>
    </Layout>
  );
}
