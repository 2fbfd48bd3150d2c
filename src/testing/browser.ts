// The real browser the page tests drive: Debian's chromium through playwright-core, and the app it
// browses, started the same way by every browser test. Screenshots go to screenshots/ (git-ignored) for people to look at.
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import type { Database } from '../storage/db.ts';
import { testApp } from './app.ts';
import { testBackends } from './backends.ts';

const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or false. On CI a missing browser fails instead of skipping. */
export const noBrowser = existsSync(CHROMIUM) || process.env.CI ? false : 'Debian chromium is not installed (.ci/run installs it)';

export const screenshots = new URL('../../screenshots/', import.meta.url).pathname;

export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface BrowserApp {
  db: Database;
  app: FastifyInstance;
  browser: Browser;
  /** The listening server's origin, `http://127.0.0.1:PORT`. */
  base: string;
}

interface BrowserAppOptions {
  /** Fills the fresh database before the app starts. */
  prepare?: (db: Database) => Promise<void>;
  /** Configuration for the app, made once the database is ready (start a service it names here). */
  env?: () => Promise<Record<string, string>>;
  /** Runs once the app listens, before the browser starts (sign members in, post comments). */
  ready?: (run: BrowserApp) => Promise<void>;
}

/**
 * Within a test file: before its tests, a fresh SQLite database filled by `prepare`, the app over it
 * listening on loopback, and Chromium; after them, all closed again. Nothing starts when `noBrowser`.
 * One hook does it all, in order: Node 20 does not wait for one top-level `before` before the next.
 */
export function useBrowserApp(options: BrowserAppOptions = {}): BrowserApp {
  const run = {} as BrowserApp;
  const sqlite = testBackends()[0]!;
  before(async () => {
    if (noBrowser) return;
    run.db = await sqlite.fresh();
    await options.prepare?.(run.db);
    run.app = await testApp(run.db, await options.env?.());
    await run.app.listen({ port: 0, host: '127.0.0.1' });
    run.base = `http://127.0.0.1:${(run.app.server.address() as AddressInfo).port}`;
    await options.ready?.(run);
    run.browser = await launchChromium();
  });
  after(async () => {
    await run.browser?.close();
    await run.app?.close();
    await sqlite.dispose();
  });
  return run;
}
