// The header as people meet it: an admin's (the most links) fits at phone, tablet and desktop widths
// in both themes, with "Sign out" on the screen; their name leads to their profile; search matches
// are marked without glare in the dark theme; the documentation and the operator's pages fit too.
// Screenshots go to screenshots/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noBrowser, screenshots, useBrowserApp } from '../src/testing/browser.ts';
import { signedIn } from '../src/testing/client.ts';
import { loadFixtures } from '../src/testing/fixtures.ts';

const run = useBrowserApp({ prepare: loadFixtures });

test(
  "an admin's header fits at 390, 900 and 1280 px, light and dark; matches are marked softly in the dark",
  { skip: noBrowser },
  async () => {
    const { client } = await signedIn(run.app, run.db, { name: 'headeradmin', role: 'admin' });
    for (const scheme of ['light', 'dark'] as const) {
      const context = await run.browser.newContext({ colorScheme: scheme });
      await context.addCookies([{ name: 'session', value: client.cookies.get('session')!, url: run.base }]);
      const page = await context.newPage();
      for (const [path, name] of [
        ['/docs/api', 'docs'],
        ['/admin/members', 'members'],
        ['/admin/outbox', 'outbox'],
      ] as const)
        for (const width of [390, 900, 1280]) {
          await page.setViewportSize({ width, height: 800 });
          await page.goto(run.base + path);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(overflow <= 0, `${path} overflows by ${overflow}px at ${width} px (${scheme})`);
          await page.screenshot({ path: `${screenshots}${name}-${width}-${scheme}.png` });
        }
      for (const width of [390, 800, 900, 1024, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${run.base}/search?q=video`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the page overflows by ${overflow}px at ${width} px (${scheme})`);
        const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
        assert.ok(signOut && signOut.x >= 0 && signOut.x + signOut.width <= width, `Sign out is on screen at ${width} px (${scheme})`);
        if ([390, 900, 1280].includes(width)) await page.screenshot({ path: `${screenshots}header-${width}-${scheme}.png` });
      }
      assert.equal(await page.locator('header .member-name').getAttribute('href'), '/u/headeradmin');
      const mark = await page
        .locator('mark')
        .first()
        .evaluate((m) => getComputedStyle(m).backgroundColor);
      assert.equal(mark, scheme === 'dark' ? 'rgb(91, 74, 18)' : 'rgb(253, 230, 138)');
      await context.close();
    }
  },
);
