// A member's journey in a real browser: sign up, confirm the address from the mail the test SMTP
// server caught, upvote in place, comment, reply; a moderator hides the comment and its author sees
// it hidden with the reason. Screenshots of the sign-in page, a paper with comments and a profile,
// at desktop and phone widths, go to screenshots/.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { noBrowser, screenshots, useBrowserApp } from '../src/testing/browser.ts';
import { signedIn } from '../src/testing/client.ts';
import { loadFixtures, MATH_PAPER } from '../src/testing/fixtures.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../src/testing/smtp.ts';

const skip = noBrowser;
const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

let smtp: SmtpCatcher;
const run = useBrowserApp({
  prepare: loadFixtures,
  env: async () => {
    smtp = await startSmtpCatcher();
    return { SMTP_URL: smtp.url, PUBLIC_URL: 'http://127.0.0.1:1' };
  },
});
after(() => smtp?.close());

/** Fails the test on script errors, failed requests and CSP violations. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  return problems;
}

async function shoot(page: Page, path: string, name: string) {
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    await page.goto(run.base + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px at ${size} width`);
    await page.screenshot({ path: `${screenshots}${name}-${size}.png`, fullPage: true });
  }
  await page.setViewportSize(sizes.desktop);
}

test('sign up → confirm by mail → upvote → comment → reply → a moderator hides it → the author sees why', { skip }, async () => {
  const context = await run.browser.newContext({ viewport: sizes.desktop });
  const page = await context.newPage();
  const problems = watch(page);

  await shoot(page, '/signin', 'signin');
  await page.goto(`${run.base}/signup`);
  await page.getByLabel(/^Name/).fill('grace');
  await page.getByLabel(/^Email/).fill('grace@example.org');
  await page.getByLabel(/^Password/).fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

  const [mail] = await smtp.waitFor(1);
  const link = /http:\/\/127\.0\.0\.1:1(\/link\?token=[\w-]+)/.exec(mail!.text ?? '')?.[1];
  assert.ok(link, 'the confirmation mail has a link');
  await page.goto(run.base + link);
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await page.waitForURL(`${run.base}/`);
  assert.equal(await page.locator('.member-name').textContent(), 'grace');

  // Upvote in place: htmx swaps the button, the page does not reload.
  await page.goto(`${run.base}/papers/${MATH_PAPER}`);
  const before = Number(await page.locator('.paper-actions .upvotes strong').textContent());
  await page.evaluate(() => ((window as unknown as { marker: boolean }).marker = true));
  await page.locator('.paper-actions .upvotes button').click();
  await page.locator('.paper-actions .upvotes button[aria-pressed="true"]').waitFor();
  assert.equal(Number(await page.locator('.paper-actions .upvotes strong').textContent()), before + 1);
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker), true, 'no page load');

  await page.getByLabel('Add a comment').fill('Does the **bound** hold for $\\alpha < 0$? <script>window.pwned = 1</script>');
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  const comment = page.locator('article.comment').first();
  await comment.waitFor();
  assert.equal(await comment.locator('.comment-body strong').textContent(), 'bound');
  assert.equal(await comment.locator('.comment-body .katex').count(), 1, 'math in comments is typeset');
  const commentId = (await comment.getAttribute('id'))!;

  await page.locator('details.reply summary').first().click();
  await page.getByLabel('Reply to grace').fill('Answering myself: yes, see section 4.');
  await page.getByRole('button', { name: 'Reply', exact: true }).click();
  await page.locator('ol.replies article.comment').waitFor();
  assert.match((await page.locator('ol.replies .comment-body').textContent()) ?? '', /see section 4/);
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, 'nothing from a comment ran');

  // A moderator, in a browser of their own, hides the comment from the paper page.
  const { client } = await signedIn(run.app, run.db, { name: 'moderator1', role: 'moderator' });
  const modContext = await run.browser.newContext({ viewport: sizes.desktop });
  await modContext.addCookies([{ name: 'session', value: client.cookies.get('session')!, url: run.base }]);
  const modPage = await modContext.newPage();
  await modPage.goto(`${run.base}/papers/${MATH_PAPER}`);
  const target = modPage.locator(`#${commentId}`);
  await target.locator('summary', { hasText: 'Hide' }).click();
  const hideForm = target.locator('form[action$="/hide"]');
  await hideForm.locator('select').selectOption('off-topic');
  await hideForm.getByRole('button', { name: 'Hide' }).click();
  await modPage.locator(`#${commentId} .notice.moderation`).waitFor();
  await modContext.close();

  await page.reload();
  const hidden = page.locator(`#${commentId}`);
  assert.equal(
    await hidden.locator('.notice.moderation').textContent(),
    'Hidden by moderators: off-topic. Only you and moderators can see it.',
  );
  await shoot(page, `/papers/${MATH_PAPER}`, 'paper-with-comments');
  await shoot(page, '/u/grace', 'profile');

  const stranger = await run.browser.newPage();
  await stranger.goto(`${run.base}/papers/${MATH_PAPER}`);
  assert.equal(await stranger.locator(`#${commentId} .notice.moderation`).textContent(), 'Hidden by moderators: off-topic.');
  assert.equal(await stranger.locator(`#${commentId} .comment-body`).count(), 0);
  await stranger.close();

  assert.deepEqual(problems, []);
  await context.close();
});
