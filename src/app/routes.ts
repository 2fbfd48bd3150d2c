// Every URL the site answers, and the module that answers it. app/server.ts registers exactly these
// (a test checks that nothing else is), with the CSRF check on form posts and the rate limits named
// here; the site-wide limit (RATE_LIMIT_PER_MINUTE) covers everything but static files and /healthz.
// Paper URLs end in a wildcard: old-style arXiv ids have a slash of their own (hep-th/9901001).
import * as api from '../api/papers.ts';
import * as health from '../api/health.ts';
import * as me from '../api/me.ts';
import * as metrics from '../api/metrics.ts';
import * as feeds from '../feeds/handlers.ts';
import { apiWrite, get, post, type Route } from '../http/route.ts';
import * as about from '../pages/about.tsx';
import * as accounts from '../pages/accounts.tsx';
import * as admin from '../pages/admin.tsx';
import * as docs from '../pages/docs.tsx';
import * as community from '../pages/community.tsx';
import * as lists from '../pages/lists.tsx';
import * as moderation from '../pages/moderation.tsx';
import * as paper from '../pages/paper.tsx';
import * as profiles from '../pages/profiles.tsx';
import * as search from '../pages/search.tsx';
import * as settings from '../pages/settings.tsx';
import * as submit from '../pages/submit.tsx';
import * as subscription from '../pages/subscription.tsx';

/** Static files: each folder under its prefix, `only` the files named (app/server.ts serves them). */
export const STATIC: { prefix: string; folder: string; only?: (path: string) => boolean; maxAge: string; immutable?: boolean }[] = [
  { prefix: '/static/', folder: 'src/pages/static/', maxAge: '1d' },
  {
    prefix: '/static/katex/',
    folder: 'node_modules/katex/dist/',
    only: (p) => p === '/katex.min.css' || p.startsWith('/fonts/'),
    maxAge: '30d',
    immutable: true,
  },
  { prefix: '/static/htmx/', folder: 'node_modules/htmx.org/dist/', only: (p) => p === '/htmx.min.js', maxAge: '30d' },
];

/** Lists, paper pages, feeds and the list API: the same for every stranger, so served from the response cache. */
const CACHED = { cache: true } as const;

export const ROUTES: Route[] = [
  // Lists of papers (pages/lists.tsx)
  get('/', lists.home, CACHED),
  get('/papers', lists.papersIndex, CACHED),
  get('/papers/trending', lists.trendingPage, CACHED),
  get('/papers/date', lists.latestPeriod('date'), CACHED),
  get('/papers/week', lists.latestPeriod('week'), CACHED),
  get('/papers/month', lists.latestPeriod('month'), CACHED),
  get('/papers/date/:value', lists.periodPage('date'), CACHED),
  get('/papers/week/:value', lists.periodPage('week'), CACHED),
  get('/papers/month/:value', lists.periodPage('month'), CACHED),
  get('/authors/:name', lists.authorPage, CACHED),
  get('/about', about.aboutPage),
  get('/docs/:name', docs.docPage),
  get('/search', search.searchPage),
  get('/search/other-words', search.otherWordsPage),

  // A paper: its page, /similar, /thumbnail.svg, /bibtex (pages/paper.tsx); /upvote and /comments (pages/community.tsx)
  get('/papers/*', paper.paperPage, CACHED),
  post('/papers/*', community.paperAction, { limit: { perMember: 60 } }),

  // Comments and moderation (pages/community.tsx, pages/moderation.tsx)
  get('/comments/:id/edit', community.editForm),
  post('/comments/:id/edit', community.edit, { limit: { perMember: 20 } }),
  get('/comments/:id/history', community.history),
  post('/comments/:id/delete', community.remove),
  post('/comments/:id/report', community.report, { limit: { perMember: 10 } }),
  post('/comments/:id/hide', moderation.hide),
  post('/comments/:id/unhide', moderation.unhide),
  post('/comments/:id/dismiss', moderation.dismiss),
  get('/moderation', moderation.queuePage),
  get('/submit', submit.submitForm),
  post('/submit', submit.submit, { limit: { perMember: 10 } }),

  // Accounts (pages/accounts.tsx, pages/settings.tsx)
  get('/signup', accounts.signUpForm),
  post('/signup', accounts.signUp, { limit: 'auth' }),
  get('/signin', accounts.signInForm),
  post('/signin', accounts.signInWithPassword, { limit: 'auth' }),
  post('/signin/link', accounts.mailSignInLink, { limit: 'auth' }),
  get('/reset', accounts.resetForm),
  post('/reset', accounts.mailResetLink, { limit: 'auth' }),
  get('/link', accounts.linkForm),
  post('/link', accounts.followLink),
  post('/signout', accounts.signOutHere),
  get('/settings', settings.settingsPage),
  post('/settings/interests', settings.saveInterests),
  post('/settings/digest', settings.saveDigest),
  post('/settings/digest/stop', settings.stopDigest),
  post('/settings/password', settings.changePassword, { limit: 'auth' }),
  post('/settings/email', settings.changeAddress, { limit: 'auth' }),
  post('/settings/signout-everywhere', settings.signOutEverywhere),
  post('/settings/tokens', settings.makeToken, { limit: { perMember: 10 } }),
  post('/settings/tokens/revoke', settings.revokeToken),

  // Profiles and reading lists (pages/profiles.tsx)
  get('/u/:name', profiles.profilePage),
  get('/u/:name/lists/:slug', profiles.listPage),
  get('/u/:name/lists/:slug/bibtex', profiles.listBibtex),
  post('/lists', profiles.createListFromProfile, { limit: { perMember: 30 } }),
  post('/lists/save', profiles.saveToList, { limit: { perMember: 60 } }),
  post('/u/:name/lists/:slug/edit', profiles.editList),
  post('/u/:name/lists/:slug/delete', profiles.removeList),
  post('/u/:name/lists/:slug/remove', profiles.removeFromListPage),

  // Email digests (pages/subscription.tsx); links in mails carry a signed token
  get('/subscribe', subscription.subscribeForm),
  post('/subscribe', subscription.subscribe, { limit: { perHour: 10 } }),
  get('/subscribe/confirm', subscription.confirmForm),
  post('/subscribe/confirm', subscription.confirm),
  get('/subscription', subscription.managePage),
  post('/subscription', subscription.manage),
  get('/unsubscribe', subscription.unsubscribeForm),
  post('/unsubscribe', subscription.unsubscribe, { csrf: 'or-one-click' }),

  // The operator's pages (pages/admin.tsx)
  get('/admin/status', admin.statusPage, { limit: { perMinute: 30 } }),
  get('/admin/outbox', admin.outboxPage, { limit: { perMinute: 30 } }),
  get('/admin/members', admin.membersPage, { limit: { perMinute: 30 } }),
  post('/admin/members/role', admin.changeRole),

  // Feeds, RSS 2.0 and Atom 1.0 (feeds/handlers.ts)
  get('/rss', feeds.rollingFeed('rss'), CACHED),
  get('/atom', feeds.rollingFeed('atom'), CACHED),
  get('/papers/trending/rss', feeds.trendingFeed('rss'), CACHED),
  get('/papers/trending/atom', feeds.trendingFeed('atom'), CACHED),
  get('/papers/date/:value/rss', feeds.periodFeed('date', 'rss'), CACHED),
  get('/papers/date/:value/atom', feeds.periodFeed('date', 'atom'), CACHED),
  get('/papers/week/:value/rss', feeds.periodFeed('week', 'rss'), CACHED),
  get('/papers/week/:value/atom', feeds.periodFeed('week', 'atom'), CACHED),
  get('/papers/month/:value/rss', feeds.periodFeed('month', 'rss'), CACHED),
  get('/papers/month/:value/atom', feeds.periodFeed('month', 'atom'), CACHED),
  get('/authors/:name/rss', feeds.authorFeed('rss'), CACHED),
  get('/authors/:name/atom', feeds.authorFeed('atom'), CACHED),
  get('/u/:name/lists/:slug/rss', feeds.readingListFeed('rss')),
  get('/u/:name/lists/:slug/atom', feeds.readingListFeed('atom')),
  get('/search/feed', feeds.searchFeed),

  // The JSON API, shaped like Hugging Face's (api/papers.ts, docs/api.md); a member's own with a personal token (api/me.ts)
  get('/api/daily_papers', api.dailyPapers, CACHED),
  get('/api/papers/search', api.searchPapers),
  get('/api/papers/*', api.paper, CACHED),
  apiWrite('POST', '/api/papers/*', me.upvote, { limit: { perMember: 60 } }),
  apiWrite('DELETE', '/api/papers/*', me.upvote, { limit: { perMember: 60 } }),
  get('/api/me', me.me),
  get('/api/me/for-you', me.forYouList),
  get('/openapi.json', health.openApi),
  get('/healthz', health.health),
  get('/metrics', metrics.metrics),
];
