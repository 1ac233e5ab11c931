import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { loadConfig } from '../../src/config.js';
import { builtSiteAssets } from '../../src/site/assets.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { launchChromium } from '@vr-tour/testing/chromium';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { insertTour } from '../support/fixtures.js';
import { startDnsServer, type TestDnsServer } from './support/dns-server.js';
import { addDomain, domainEnvironment } from './support/domain-app.js';

// A visitor's browser on a custom domain: the page, the viewer script and its
// chunks, the tour document and the panorama all come from the custom host,
// and the viewer fills the window with the panorama.
let db: TestDatabase;
let dns: TestDnsServer;
let mediaDir: string;
let app: RunningApp;
let browser: Browser;
let creator: TestCaller;

/** The panorama's one colour: what the viewer must draw. */
const PANORAMA_RGB = { r: 200, g: 40, b: 30 };

const solidJpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: PANORAMA_RGB } }).jpeg().toBuffer();

beforeAll(async () => {
  const viewerScript = path.join(builtSiteAssets().viewerDir, 'vr-tour.js');
  if (!existsSync(viewerScript)) throw new Error(`${viewerScript} is missing: run \`npm run build\` first (npm test does)`);
  db = await createTestDatabase();
  dns = await startDnsServer();
  mediaDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-domain-media-'));
  // The files the fixture's panoramas name (test/support/fixtures.ts).
  await writeFile(path.join(mediaDir, 'preview.jpg'), await solidJpeg(512, 256));
  await writeFile(path.join(mediaDir, '2048.jpg'), await solidJpeg(2048, 1024));
  await writeFile(path.join(mediaDir, '4096.jpg'), await solidJpeg(4096, 2048));
  app = await startTestApp(db.sql, { config: loadConfig(domainEnvironment(dns.address)), site: builtSiteAssets(), mediaDir });
  creator = await createUserWithToken(db.sql);
  // The custom host resolves to the app, as its CNAME to the edge would make it.
  browser = await launchChromium(['--host-resolver-rules=MAP *.acme.test 127.0.0.1']);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await dns?.close();
  await db?.drop();
  if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
});

describe('a custom domain in the browser', () => {
  it('shows the tour full-window, everything loaded from the custom host', async () => {
    const { tourId, sceneIds } = await insertTour(db.sql, creator.userId, { title: 'Red room' });
    // A real inline preview (the fixture's is a placeholder).
    const preview = `data:image/jpeg;base64,${(await solidJpeg(64, 32)).toString('base64')}`;
    await db.sql`
      UPDATE media SET variants = jsonb_set(variants, '{inlinePreview}', ${db.sql.json(preview)})
      WHERE id IN (SELECT media_id FROM scenes WHERE tour_id = ${tourId})`;
    await addDomain(app.url, creator, { host: 'tours.acme.test', tourId, path: '/listing-42' }, { verified: true, dns });
    const origin = `http://tours.acme.test:${new URL(app.url).port}`;

    const context = await browser.newContext({ viewport: { width: 800, height: 500 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const requests: { url: string; status: number }[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => requests.push({ url: response.url(), status: response.status() }));
    page.on('requestfailed', (request) => requests.push({ url: request.url(), status: 0 }));
    // `load` of <vr-tour> does not bubble; a capturing listener sees it whichever comes first.
    await page.addInitScript({
      content: `document.addEventListener('load', (event) => {
        if (event.target.localName === 'vr-tour') window.tourLoaded = event.detail;
      }, true);`,
    });
    try {
      const response = await page.goto(`${origin}/listing-42`);
      expect(response!.status()).toBe(200);
      expect(await page.title()).toBe('Red room');
      // A function, not a string: the page's Content-Security-Policy allows no eval, which a string predicate needs.
      await page.waitForFunction(() => Boolean((globalThis as { tourLoaded?: unknown }).tourLoaded), undefined, { timeout: 60_000 });
      expect(await page.evaluate('window.tourLoaded')).toEqual(expect.objectContaining({ tourId, sceneId: sceneIds[0] }));

      // Full-window: the element covers the viewport.
      const box = await page.locator('vr-tour').boundingBox();
      expect(box).toEqual({ x: 0, y: 0, width: 800, height: 500 });

      // The panorama is drawn: the middle of the window has its colour (JPEG and filtering move it a little).
      const shot = await sharp(await page.screenshot()).raw().toBuffer({ resolveWithObject: true });
      const at = ((shot.info.height >> 1) * shot.info.width + (shot.info.width >> 1)) * shot.info.channels;
      const [r, g, b] = [shot.data[at]!, shot.data[at + 1]!, shot.data[at + 2]!];
      for (const [channel, expected] of [[r, PANORAMA_RGB.r], [g, PANORAMA_RGB.g], [b, PANORAMA_RGB.b]] as const) {
        expect(Math.abs(channel - expected), `pixel ${r},${g},${b}`).toBeLessThanOrEqual(24);
      }

      expect(pageErrors).toEqual([]);
      const paths = requests.map((request) => new URL(request.url));
      expect(requests.filter((request) => request.status === 0 || request.status >= 400)).toEqual([]);
      expect(paths.filter((url) => url.protocol !== 'data:' && url.origin !== origin).map(String)).toEqual([]);
      const loaded = paths.map((url) => url.pathname);
      expect(loaded).toContain('/vr-tour.js');
      expect(loaded).toContain(`/api/v1/public/tours/${tourId}`);
      expect(loaded.some((pathname) => pathname.startsWith('/media/'))).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});
