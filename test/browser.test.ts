// A reader's journey in a real browser (Debian's chromium, driven by playwright-core): the home page,
// "previous day", a paper, and its math rendered by KaTeX. Screenshots at desktop and phone widths go
// to screenshots/ (git-ignored) for people to look at.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noBrowser, screenshots, useBrowserApp } from '../src/testing/browser.ts';
import { MATH_PAPER, loadFixtures } from '../src/testing/fixtures.ts';

const skip = noBrowser;

const run = useBrowserApp({ prepare: loadFixtures });

test('home → previous day → a paper whose math renders as KaTeX', { skip }, async () => {
  const page = await run.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

  await page.goto(`${run.base}/`);
  assert.equal(await page.locator('h1').textContent(), 'Friday, 21 August 2026');
  await page.screenshot({ path: `${screenshots}home-desktop.png`, fullPage: false });

  await page.getByRole('link', { name: /^← / }).first().click();
  await page.waitForURL(`${run.base}/papers/date/2026-07-01`);
  assert.equal(await page.locator('h1').textContent(), 'Wednesday, 1 July 2026');

  await page.locator(`a[href="/papers/${MATH_PAPER}"]`).first().click();
  await page.waitForURL(`${run.base}/papers/${MATH_PAPER}`);
  const formulas = page.locator('.abstract .katex');
  assert.ok((await formulas.count()) >= 2);
  // KaTeX's stylesheet and fonts loaded: the rendered formula has real height and the MathML copy is hidden.
  const box = await formulas.first().locator('.katex-html').boundingBox();
  assert.ok(box && box.height > 10, 'formula rendered with layout');
  assert.equal(
    await formulas
      .first()
      .locator('.katex-mathml')
      .evaluate((e) => getComputedStyle(e).position),
    'absolute',
  );
  assert.ok(await page.locator('.tex-fallback').isVisible()); // broken TeX is shown as text
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned), undefined);
  // htmx loads the similar papers when their section scrolls into view, replacing the no-JS link.
  await page.locator('section.similar').scrollIntoViewIfNeeded();
  await page.locator('section.similar h2 + :is(ol, p.muted)').waitFor();
  assert.equal(await page.getByText('See papers similar to this one').count(), 0);
  await page.screenshot({ path: `${screenshots}paper-desktop.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('phone width: no horizontal scrolling on lists and paper pages', { skip }, async () => {
  const page = await run.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 2 });
  for (const [path, name] of [
    ['/papers/date/2026-07-01', 'day-phone'],
    [`/papers/${MATH_PAPER}`, 'paper-phone'],
  ]) {
    await page.goto(run.base + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    await page.screenshot({ path: `${screenshots}${name}.png` });
  }
  await page.close();
});

test('dark mode follows the system setting', { skip }, async () => {
  const page = await run.browser.newPage({ colorScheme: 'dark' });
  await page.goto(`${run.base}/`);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(11, 17, 32)');
  await page.screenshot({ path: `${screenshots}home-dark.png` });
  await page.close();
});
