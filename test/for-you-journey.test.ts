// For you in a real browser: a member with nothing liked is told how to start; they upvote video
// papers in place (htmx) on the All papers tab, open For you and find video papers first, each saying
// which upvote it is like; "Not interested" takes one out in place. Screenshots of the tab at desktop
// and phone widths go to screenshots/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embedPapers } from '../src/search/embedding/job.ts';
import { noBrowser, screenshots, useBrowserApp } from '../src/testing/browser.ts';
import { signedIn } from '../src/testing/client.ts';
import { loadFixtures } from '../src/testing/fixtures.ts';

const DAY = '/papers/date/2026-07-01';
const run = useBrowserApp({
  prepare: async (db) => {
    await loadFixtures(db);
    await embedPapers(db, { EMBEDDER: 'builtin' });
  },
});

test('upvote in place → For you ranks like papers first, says why → not interested', { skip: noBrowser }, async () => {
  const { client } = await signedIn(run.app, run.db, { name: 'viewer' });
  const context = await run.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'session', value: client.cookies.get('session')!, url: run.base }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));

  await page.goto(`${run.base}${DAY}?list=for-you`);
  await page.getByText('Nothing to learn your taste from yet').waitFor();

  await page.getByRole('link', { name: /All papers/ }).click();
  const videoShare = async () =>
    (await page.locator('article.card h2').allTextContents()).slice(0, 10).filter((t) => /video/i.test(t)).length;
  const byVotes = await videoShare();
  const video = page.locator('article.card', { has: page.locator('h2', { hasText: /video/i }) });
  for (let i = 0; i < 3; i++) {
    await video.nth(i).locator('.upvotes button').click();
    await video.nth(i).locator('.upvotes button[aria-pressed="true"]').waitFor();
  }

  await page.getByRole('link', { name: 'For you' }).click();
  await page.getByText(/ranked for you by what you upvoted/).waitFor();
  const onTopic = await videoShare();
  assert.ok(onTopic >= byVotes + 3, `${onTopic} of For you's top 10 are about video, ${byVotes} of the list by votes`);
  assert.match((await page.locator('.reason').nth(3).textContent()) ?? '', /^(Like .+, which you upvoted|You upvoted this paper)$/);

  for (const [name, viewport] of Object.entries({ desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } })) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `For you overflows by ${overflow}px at ${name} width`);
    await page.screenshot({ path: `${screenshots}for-you-${name}.png` });
  }

  const first = (await page.locator('article.card h2').first().textContent())!.trim();
  await page.locator('article.card').first().getByRole('button', { name: 'Not interested' }).click();
  await page.locator('li.hidden-paper').getByText('is hidden from For you').waitFor();
  await page.reload();
  assert.notEqual((await page.locator('article.card h2').first().textContent())!.trim(), first);
  assert.deepEqual(problems, []);
  await context.close();
});
