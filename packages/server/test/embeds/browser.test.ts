import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector, type Collector } from '@vr-tour/collector';
import { launchChromium } from '@vr-tour/testing/chromium';
import { IFRAME_ALLOW } from '../../src/embeds/oembed.js';
import {
  ALL_MARKUP,
  builtSite,
  colourAt,
  distinctColours,
  isMarkerRed,
  meanDifference,
  OUTGOING_LINKS,
  pixelsOf,
  saveScreenshot,
  startEmbedder,
  TOUR_LOADED_SCRIPT,
  tourFrame,
  untilMarkerDrawn,
  VISITOR_UA,
} from './support/browser.js';
import { metaTags, startEmbedsApp, type EmbedsFixture } from './support/embeds-app.js';
import { MARKER } from './support/panorama.js';

// Embeds as visitors' browsers meet them: the iframe page inside another
// site's page (sandboxed with an opaque origin, as WordPress frames sites it
// does not know), unbranded for a listing site, and the share page beside
// its own social card.
let fixture: EmbedsFixture;
let collector: Collector;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  const site = builtSite();
  // Mounted at /collect as main.ts does, over the test database.
  fixture = await startEmbedsApp((sql) => {
    collector = createCollector({ sql });
    return { site, collector: collector.handler };
  });
  browser = await launchChromium(['--disable-blink-features=AutomationControlled', '--host-resolver-rules=MAP *.test 127.0.0.1']);
  context = await browser.newContext({ userAgent: VISITOR_UA });
  await context.addInitScript({ content: TOUR_LOADED_SCRIPT });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await fixture?.close();
  await collector?.close();
});

describe('the iframe page in another site', () => {
  it('draws the tour inside a sandboxed iframe with an opaque origin, and its analytics arrive', async () => {
    const { tourId } = await fixture.tour({ title: 'Sandboxed', atMarker: true });
    const embedder = await startEmbedder({
      '/listing': `<!doctype html><html><body style="margin:0;background:#fff"><h1>Listing 42</h1>
        <iframe src="${fixture.app.url}/embed/${tourId}" sandbox="allow-scripts" allow="${IFRAME_ALLOW}" width="800" height="450" style="border:0"></iframe>
        </body></html>`,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
    page.on('requestfailed', (request) => errors.push(`failed ${request.url()}`));
    try {
      await page.setViewportSize({ width: 1000, height: 700 });
      await page.goto(`http://listing.test:${embedder.port}/listing`);
      const frame = await tourFrame(page, tourId);
      expect(await frame.evaluate('self.origin')).toBe('null');
      expect(await frame.evaluate('(() => { try { return document.cookie; } catch (error) { return error.name; } })()')).toBe('SecurityError');
      const shot = await untilMarkerDrawn(() => page.locator('iframe').screenshot());
      await saveScreenshot('iframe-sandboxed.png', shot);
      const pixels = await pixelsOf(shot);
      expect(distinctColours(pixels)).toBeGreaterThan(8);
      expect(isMarkerRed(colourAt(pixels, pixels.width / 2, pixels.height / 2))).toBe(true);
      // Sky above the marker, floor at the bottom: the panorama, not a blank canvas.
      expect(colourAt(pixels, 40, 40)[2]).toBeGreaterThan(200);

      await page.close({ runBeforeUnload: true });
      let views: { type: string }[] = [];
      for (let attempt = 0; attempt < 100 && views.length === 0; attempt += 1) {
        views = await fixture.db.sql`SELECT type::text FROM tour_analytics_events WHERE tour_id = ${tourId} AND type = 'view'`;
        if (views.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(views).toHaveLength(1);
      expect(errors, errors.join('\n')).toEqual([]);
    } finally {
      if (!page.isClosed()) await page.close();
      await embedder.close();
    }
  }, 120_000);

  it('with branding=off, shows no branding and no outgoing link; the same tour branded has them', async () => {
    const { tourId, sceneIds } = await fixture.tour({ title: 'Listing for the MLS', atMarker: true });
    await fixture.db.sql`INSERT INTO branding (tour_id, logo_url, primary_color, link_url, show_powered_by) VALUES (${tourId}, '/media/logo.png', '#aa0000', 'https://agent.example', true)`;
    await fixture.db.sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, content) VALUES
      (${sceneIds[0]!}, 'link', ${MARKER.yaw + 10}, ${MARKER.pitch}, 'Call the agent', ${fixture.db.sql.json({ url: 'https://agent.example/contact' })}),
      (${sceneIds[0]!}, 'info', ${MARKER.yaw - 10}, ${MARKER.pitch}, 'Kitchen', ${fixture.db.sql.json({ html: '<p>Ask <a href="https://agent.example/kitchen">the agent</a></p>' })})`;
    const embedder = await startEmbedder({
      '/unbranded': `<!doctype html><iframe src="${fixture.app.url}/embed/${tourId}?branding=off" allow="${IFRAME_ALLOW}" width="800" height="450"></iframe>`,
      '/branded': `<!doctype html><iframe src="${fixture.app.url}/embed/${tourId}" allow="${IFRAME_ALLOW}" width="800" height="450"></iframe>`,
    });
    const page = await context.newPage();
    const loaded: string[] = [];
    page.on('response', (response) => loaded.push(new URL(response.url()).pathname));
    try {
      await page.goto(`http://listing.test:${embedder.port}/unbranded`);
      const unbranded = await tourFrame(page, tourId);
      await unbranded.locator('vr-tour .spot[part~="hotspot-info"]').click();
      await unbranded.locator('vr-tour [part=popover]').waitFor();
      expect(await unbranded.evaluate(OUTGOING_LINKS)).toEqual([]);
      const markup = (await unbranded.evaluate(ALL_MARKUP)) as string;
      expect(markup).toContain('the agent');
      expect(markup).not.toMatch(/agent\.example|logo\.png|#aa0000/i);
      expect(loaded).toContain(`/embed/${tourId}/unbranded.json`);
      expect(loaded).not.toContain(`/api/v1/public/tours/${tourId}`);
      await saveScreenshot('iframe-unbranded.png', await untilMarkerDrawn(() => page.locator('iframe').screenshot()));

      await page.goto(`http://listing.test:${embedder.port}/branded`);
      const branded = await tourFrame(page, tourId);
      await branded.locator('vr-tour .spot[part~="hotspot-info"]').click();
      await branded.locator('vr-tour [part=popover]').waitFor();
      // Branded: the logo's link (the viewer's title panel), the link hotspot and the info text's link.
      expect(((await branded.evaluate(OUTGOING_LINKS)) as string[]).sort()).toEqual(['https://agent.example', 'https://agent.example/contact', 'https://agent.example/kitchen']);
    } finally {
      await page.close();
      await embedder.close();
    }
  }, 120_000);
});

describe('the share page', () => {
  it('shows the start view full-window, and its social card is that same view', async () => {
    const { tourId } = await fixture.tour({ title: 'Harbour loft', atMarker: true });
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width: 1200, height: 630 });
      const response = await page.goto(`${fixture.app.url}/t/${tourId}?controls=0`);
      expect(response!.status()).toBe(200);
      expect(await page.title()).toBe('Harbour loft');
      await page.waitForFunction(() => Boolean((globalThis as { tourLoaded?: unknown }).tourLoaded), undefined, { timeout: 60_000 });
      const shot = await untilMarkerDrawn(() => page.screenshot());
      await saveScreenshot('share-page.png', shot);
      const card = await fetch(metaTags(await page.content())['og:image']!);
      const cardJpeg = Buffer.from(await card.arrayBuffer());
      await saveScreenshot('social-card.jpg', cardJpeg);
      const [seen, made] = [await pixelsOf(shot), await pixelsOf(cardJpeg)];
      expect([made.width, made.height]).toEqual([1200, 630]);
      expect(isMarkerRed(colourAt(seen, 600, 315))).toBe(true);
      expect(isMarkerRed(colourAt(made, 600, 315))).toBe(true);
      // The card is the viewer's picture: the same view pixel for pixel, but for JPEG, texture
      // filtering and the hotspot icons (compared away from the middle's navigation hotspot row).
      expect(meanDifference(seen, made, { x: 100, y: 60, width: 1000, height: 200 })).toBeLessThan(8);
    } finally {
      await page.close();
    }
  }, 120_000);
});
