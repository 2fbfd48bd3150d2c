import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { pino } from 'pino';
import { loadConfig } from '../config/config.ts';
import { importPaths } from '../importer/import.ts';
import type { Database } from '../storage/db.ts';
import { testBackends } from '../testing/backends.ts';
import { buildServer } from '../app/server.ts';
import { trending, trendingScore } from './trending.ts';

const NOW = new Date('2026-08-21T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

// Three papers: many votes but old, few votes but fresh, and in between.
const item = (id: string, title: string, upvotes: number, listedAt: string) => ({
  paper: {
    id,
    title,
    summary: `${title}.`,
    authors: [{ name: 'A. Author' }],
    upvotes,
    publishedAt: listedAt,
    submittedOnDailyAt: listedAt,
  },
  publishedAt: listedAt,
});
const OLD_HIT = item('2608.00001', 'Old hit', 100, hoursAgo(72));
const FRESH = item('2608.00002', 'Fresh', 20, hoursAgo(2));
const MIDDLE = item('2608.00003', 'Middle', 50, hoursAgo(24));
const ANCIENT = item('2607.00004', 'Outside the window', 500, hoursAgo(24 * 9));

test('the formula: upvotes over (hours + 2) to the power 1.8', () => {
  assert.equal(trendingScore(20, hoursAgo(2), NOW), 20 / 4 ** 1.8);
  assert.equal(trendingScore(0, hoursAgo(1), NOW), 0);
  assert.ok(trendingScore(20, hoursAgo(2), NOW) > trendingScore(100, hoursAgo(72), NOW)); // fresh beats old
  assert.equal(trendingScore(5, new Date(NOW.getTime() + 3_600_000).toISOString(), NOW), 5 / 2 ** 1.8); // clock skew: no negative age
});

for (const backend of testBackends()) {
  describe(`trending on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    before(async () => {
      db = await backend.fresh();
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-trending-'));
      writeFileSync(join(dir, 'picks.json'), JSON.stringify([OLD_HIT, FRESH, MIDDLE, ANCIENT]));
      await importPaths(db, [join(dir, 'picks.json')]);
    });
    after(() => backend.dispose());

    test('with a fixed clock, fresh votes beat old ones, and the order changes as time passes', async () => {
      assert.deepEqual(
        (await trending(db, NOW)).map((t) => t.paper.title),
        ['Fresh', 'Middle', 'Old hit'],
      );
      const later = new Date(NOW.getTime() + 72 * 3_600_000);
      assert.deepEqual(
        (await trending(db, later)).map((t) => t.paper.title),
        ['Middle', 'Old hit', 'Fresh'],
      );
    });

    test('the trending page, the API’s sort=trending, the paper page’s rank and the trending feed agree', async () => {
      const app = await buildServer({
        config: loadConfig({ PUBLIC_URL: 'http://papers.test', RATE_LIMIT_PER_MINUTE: '100000' }),
        database: db,
        logger: pino({ level: 'silent' }),
        now: () => NOW,
      });
      try {
        const page = (await app.inject({ url: '/papers/trending' })).body;
        const titles = [...page.matchAll(/<h2><a href="\/papers\/[^"]+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1]);
        assert.deepEqual(titles, ['Fresh', 'Middle', 'Old hit']);
        assert.match(page, /<a href="\/about#trending">how<\/a>/);
        const api = (await app.inject({ url: '/api/daily_papers?sort=trending' })).json();
        assert.deepEqual(
          api.map((i: { title: string }) => i.title),
          ['Fresh', 'Middle', 'Old hit'],
        );
        const byVotes = (await app.inject({ url: '/api/daily_papers?week=2026-W34' })).json();
        assert.deepEqual(
          byVotes.map((i: { title: string }) => i.title),
          ['Old hit', 'Middle', 'Fresh'],
        );
        const byTrend = (await app.inject({ url: '/api/daily_papers?week=2026-W34&sort=trending' })).json();
        assert.deepEqual(
          byTrend.map((i: { title: string }) => i.title),
          ['Fresh', 'Middle', 'Old hit'],
        );
        assert.match((await app.inject({ url: '/papers/2608.00002' })).body, /#1 trending today/);
        assert.doesNotMatch((await app.inject({ url: '/papers/2607.00004' })).body, /trending today/);
        const feed = parseFeed((await app.inject({ url: '/papers/trending/atom' })).body);
        assert.deepEqual(
          feed.items.map((i) => i.title),
          ['Fresh', 'Middle', 'Old hit'],
        );
        assert.match(
          (await app.inject({ url: '/about' })).body,
          /score = upvotes \/ \(hours since it entered its list \+ 2\)<sup>1.8<\/sup>/,
        );
      } finally {
        await app.close();
      }
    });
  });
}
