// The real browser the page tests drive: Debian's chromium through playwright-core, started the same
// way by every browser test. Screenshots go to screenshots/ (git-ignored) for people to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or false. On CI a missing browser fails instead of skipping. */
export const noBrowser = existsSync(CHROMIUM) || process.env.CI ? false : 'Debian chromium is not installed (.ci/run installs it)';

export const screenshots = new URL('../../screenshots/', import.meta.url).pathname;

export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
