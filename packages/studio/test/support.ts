import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import sharp, { type OverlayOptions } from 'sharp';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { launchChromium } from '@vr-tour/testing/chromium';
// The real server, as its own tests start it (with its media worker), serving the built studio.
import { loadConfig } from '../../server/src/config.js';
import { builtSiteAssets } from '../../server/src/site/assets.js';
import { startTestApp, type RunningApp } from '../../server/test/support/app.js';

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../.test-results/screenshots/studio');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface Studio {
  db: TestDatabase;
  app: RunningApp;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * A test database, the real app on it with the built site, and one Chromium.
 * `env`: more of the server's environment (the custom-domain tests' DNS server).
 */
export async function startStudio({ env = {} }: { env?: Record<string, string> } = {}): Promise<Studio> {
  const site = builtSiteAssets();
  for (const file of [path.join(site.studioDir, 'index.html'), path.join(site.viewerDir, 'vr-tour.js')]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
  }
  await mkdir(SCREENSHOTS, { recursive: true });
  const db = await createTestDatabase();
  const app = await startTestApp(db.sql, { site, config: loadConfig({ LOG_LEVEL: 'silent', ...env }) });
  const browser = await launchChromium();
  return {
    db,
    app,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await db.drop();
    },
  };
}

export interface ConsoleEntry {
  text: string;
  url: string;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: ConsoleEntry[];
}

export async function openPage(browser: Browser, viewport: { width: number; height: number }): Promise<OpenedPage> {
  const phone = viewport.width < 600;
  const context = await browser.newContext({ viewport, ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  const errors: ConsoleEntry[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push({ text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => errors.push({ text: `uncaught: ${error.message}`, url: '' }));
  return { context, page, errors };
}

/**
 * Chromium logs every 4xx/5xx answer as a console error. A test that provokes
 * one on purpose names it here; anything else the page logged fails the test.
 */
export function unexpectedErrors(errors: ConsoleEntry[], expected: { path: string; status: number }[] = []): ConsoleEntry[] {
  return errors.filter(
    (entry) =>
      !expected.some(
        ({ path: urlPath, status }) => entry.url !== '' && new URL(entry.url).pathname === urlPath && entry.text.includes(`status of ${status}`),
      ),
  );
}

/** Runs axe-core on the page as it is; fails on any serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const lesser = results.violations.filter((violation) => violation.impact !== 'serious' && violation.impact !== 'critical');
  console.log(`axe ${label}: ${results.passes.length} rules passed; ${lesser.length ? lesser.map((violation) => `${violation.id} (${violation.impact}) at ${violation.nodes.map((node) => JSON.stringify(node.target)).join(' ')}`).join(', ') : 'no other violations'}`);
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  const report = serious.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(report, `axe on ${label}`).toEqual([]);
}

/**
 * Taller than this many device pixels, one capture of the grown viewport
 * repeats part of the page (Chromium's compositor here); such pages are
 * captured in slices of this height and stitched.
 */
const MAX_CAPTURE_PIXELS = 4096;

const twoFrames = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/**
 * The whole page as one picture. Not `fullPage`: that resizes the view behind
 * the page's back and captures before a WebGL canvas redraws (the preview
 * came out black). The viewport grows to the page instead (or to a slice of
 * it, scrolled in turn), for two frames.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const { height, scale } = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, scale: devicePixelRatio }));
  const slice = Math.floor(MAX_CAPTURE_PIXELS / scale);
  const file = path.join(SCREENSHOTS, `${name}.png`);
  if (height <= slice) {
    if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
    await twoFrames(page);
    await page.screenshot({ path: file });
  } else {
    await page.setViewportSize({ width: viewport.width, height: slice });
    // Measured again: a page may be laid out a little differently in a taller view.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const parts: OverlayOptions[] = [];
    for (let top = 0; top < height; top += slice) {
      const scrolled = await page.evaluate((y) => (scrollTo(0, y), scrollY), top);
      await twoFrames(page);
      // The last slice scrolls only as far as the page goes: keep what lies below `top`.
      const skip = Math.round((top - scrolled) * scale);
      const shot = await page.screenshot();
      const rows = Math.min(slice * scale - skip, Math.round((height - top) * scale));
      parts.push({ input: await sharp(shot).extract({ left: 0, top: skip, width: viewport.width * scale, height: rows }).toBuffer(), left: 0, top: Math.round(top * scale) });
    }
    const canvas = { width: viewport.width * scale, height: Math.round(height * scale), channels: 4 as const, background: '#ffffff' };
    await sharp({ create: canvas }).composite(parts).png().toFile(file);
    await page.evaluate(() => scrollTo(0, 0));
  }
  await page.setViewportSize(viewport);
}

/** One part of a page (a panel), for pages too tall to photograph whole at a phone's pixel ratio. */
export async function screenshotOf(part: Locator, name: string): Promise<void> {
  await part.scrollIntoViewIfNeeded();
  await part.page().evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await part.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Every page: accessible, and a full-page screenshot to look at. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await screenshot(page, name);
}

export interface Account {
  email: string;
  password: string;
}

/** Makes an account through the API (for tests that start logged out); its user id. */
export async function signUp(studio: Studio, account: Account): Promise<string> {
  const answer = await fetch(`${studio.app.url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(account),
  });
  expect(answer.status).toBeLessThan(300);
  const [user] = await studio.db.sql<{ id: string }[]>`SELECT id FROM users WHERE email = ${account.email}`;
  return user!.id;
}

/** Logs in through the form, as a person does; ends on "My tours". */
export async function logIn(page: Page, studio: Studio, account: Account): Promise<void> {
  await page.goto(`${studio.app.url}/studio/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'My tours' }).waitFor();
}

/**
 * The page fits its viewport's width: nothing scrolls sideways. Against the
 * root's client width, not innerWidth: a phone lays a page that is too wide
 * out wider (zoomed out), and innerWidth grows with it.
 */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
  expect(widths.content).toBeLessThanOrEqual(widths.viewport);
}
