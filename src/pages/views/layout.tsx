// The frame around every page: head with title, description and OpenGraph tags, site header, footer.
import type { Child } from 'hono/jsx';
import type { FeedLink } from '../../http/paths.ts';
import type { Site } from '../../http/context.ts';

export interface PageMeta {
  title: string;
  description: string;
  path: string; // for the canonical URL and og:url
  type?: 'website' | 'article';
  math?: boolean; // load KaTeX's stylesheet
  feeds?: FeedLink[]; // advertised for feed readers' autodiscovery
}

export function Layout(props: { site: Site; meta: PageMeta; children: Child }) {
  const { site, meta } = props;
  const url = site.publicUrl + meta.path;
  const title = meta.title === site.name ? site.name : `${meta.title} · ${site.name}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title}</title>
        <meta name="description" content={meta.description} />
        <link rel="canonical" href={url} />
        <meta property="og:site_name" content={site.name} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:type" content={meta.type ?? 'website'} />
        <meta property="og:url" content={url} />
        <meta name="twitter:card" content="summary" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/style.css" />
        {meta.math && <link rel="stylesheet" href="/static/katex/katex.min.css" />}
        {meta.feeds?.map((f) => (
          <link rel="alternate" type={f.type} title={f.title} href={f.href} />
        ))}
        {/* htmx would add its indicator styles as a <style> element, which the CSP refuses: style.css has them. */}
        <meta name="htmx-config" content='{"includeIndicatorStyles":false}' />
        <script src="/static/htmx/htmx.min.js" defer></script>
      </head>
      <body>
        <header class="site">
          <a class="brand" href="/">
            {site.name}
          </a>
          <nav aria-label="Lists">
            <a href="/">Daily</a>
            <a href="/papers/trending">Trending</a>
            <a href="/papers/week">Weekly</a>
            <a href="/papers/month">Monthly</a>
          </nav>
          <form class="site-search" method="get" action="/search" role="search">
            <input type="search" name="q" placeholder="Search papers" aria-label="Search papers" maxlength={2000} />
          </form>
          <Account viewer={site.viewer} />
        </header>
        <main>{props.children}</main>
        <footer class="site">
          <p>
            <a href="/subscribe">Get trending papers in your inbox</a>
          </p>
          <p>
            Metadata from <a href="https://arxiv.org/">arXiv</a>. Thank you to arXiv for use of its open access interoperability.{' '}
            <a href="/about">About</a> · <a href="/docs/api">API</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

function Account(props: { viewer: Site['viewer'] }) {
  const v = props.viewer;
  if (!v) {
    return (
      <nav class="account" aria-label="Account">
        <a href="/signin">Sign in</a>
        <a class="button" href="/signup">
          Sign up
        </a>
      </nav>
    );
  }
  return (
    <nav class="account" aria-label="Account">
      <a href="/submit">Submit</a>
      {v.role !== 'member' && <a href="/moderation">Moderation</a>}
      {v.role === 'admin' && <a href="/admin/status">Admin</a>}
      <a class="member-name" href={`/u/${v.name}`} title="Your profile">
        {v.name}
      </a>
      <a href="/settings">Settings</a>
      <form method="post" action="/signout" class="inline">
        <input type="hidden" name="_csrf" value={v.csrf} />
        <button type="submit" class="link">
          Sign out
        </button>
      </form>
    </nav>
  );
}

export function renderPage(node: unknown): string {
  return `<!doctype html>${String(node)}`;
}
