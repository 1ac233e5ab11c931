import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Frame, Page } from 'playwright-core';
import sharp from 'sharp';
import type { SiteAssets } from '../../../src/site/routes.js';
import { builtSiteAssets } from '../../../src/site/assets.js';

/** The built viewer and demo site, or an error saying how to build them. */
export function builtSite(): SiteAssets {
  const site = builtSiteAssets();
  const script = `${site.viewerDir}/vr-tour.js`;
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does)`);
  return site;
}

/** Where the embeds' browser tests leave screenshots to look at (`.test-results` is the test run's folder). */
export const SCREENSHOTS = fileURLToPath(new URL('../../../../../.test-results/screenshots/embeds/', import.meta.url));

export async function saveScreenshot(name: string, png: Buffer): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await writeFile(`${SCREENSHOTS}${name}`, png);
}

/**
 * A desktop Chrome as a visitor has it: headless Chromium's own user agent
 * says "HeadlessChrome", and the collector drops automation's events.
 */
export const VISITOR_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Another site: serves the pages it is given, by path, from its own port (its own origin). */
export async function startEmbedder(pages: Record<string, string>): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const html = pages[req.url ?? ''];
    res.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

export async function pixelsOf(image: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

export function colourAt(image: Pixels, x: number, y: number): [number, number, number] {
  const at = (Math.round(y) * image.width + Math.round(x)) * image.channels;
  return [image.data[at]!, image.data[at + 1]!, image.data[at + 2]!];
}

/** How many different colours (to 4 bits a channel) the image has: a blank or flat one has one or two. */
export function distinctColours(image: Pixels): number {
  const seen = new Set<number>();
  for (let at = 0; at < image.data.length; at += image.channels) {
    seen.add(((image.data[at]! >> 4) << 8) | ((image.data[at + 1]! >> 4) << 4) | (image.data[at + 2]! >> 4));
  }
  return seen.size;
}

/** Mean absolute difference per channel (0–255) of two same-sized images over a box. */
export function meanDifference(a: Pixels, b: Pixels, box: { x: number; y: number; width: number; height: number }): number {
  let sum = 0;
  let count = 0;
  for (let y = box.y; y < box.y + box.height; y += 1) {
    for (let x = box.x; x < box.x + box.width; x += 1) {
      const [ar, ag, ab] = colourAt(a, x, y);
      const [br, bg, bb] = colourAt(b, x, y);
      sum += Math.abs(ar - br) + Math.abs(ag - bg) + Math.abs(ab - bb);
      count += 3;
    }
  }
  return sum / count;
}

/** Every `a[href]` and `area[href]` in the page's document and all its open shadow roots, as page-side script. */
export const OUTGOING_LINKS = `(() => {
  const found = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if ((element.localName === 'a' || element.localName === 'area') && element.hasAttribute('href')) found.push(element.getAttribute('href'));
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return found;
})()`;

/** The text of the page's document and its open shadow roots, as page-side script. */
export const ALL_MARKUP = `(() => {
  const parts = [document.documentElement.outerHTML];
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) {
        parts.push(element.shadowRoot.innerHTML);
        visit(element.shadowRoot);
      }
    }
  };
  visit(document);
  return parts.join('\\n');
})()`;

/** Records the `<vr-tour>` element's `load` (it does not bubble) as window.tourLoaded, in every frame. */
export const TOUR_LOADED_SCRIPT = `document.addEventListener('load', (event) => {
  if (event.target.localName === 'vr-tour') window.tourLoaded = event.detail;
}, true);`;

/** The frame showing `tourId`'s iframe page, once its `<vr-tour>` has loaded (see TOUR_LOADED_SCRIPT). */
export async function tourFrame(page: Page, tourId: string): Promise<Frame> {
  let frame: Frame | undefined;
  for (let attempt = 0; attempt < 300 && !frame; attempt += 1) {
    frame = page.frames().find((candidate) => candidate.url().includes(`/embed/${tourId}`));
    if (!frame) await page.waitForTimeout(100);
  }
  if (!frame) throw new Error(`no frame shows /embed/${tourId}`);
  // A function, not a string: the page's policy allows no eval, which a string predicate needs.
  await frame.waitForFunction(() => Boolean((globalThis as { tourLoaded?: unknown }).tourLoaded), undefined, { timeout: 60_000 });
  return frame;
}

/** The red of the panorama's marker (support/panorama.ts), as the viewer draws it. */
export const isMarkerRed = ([r, g, b]: [number, number, number]) => r > 170 && g < 80 && b < 80;

/**
 * Screenshots (of a page or an element) until the middle shows the red
 * marker, that is the panorama drawn at a start view looking at it; the last
 * one either way. The first frames may still be the blurry preview.
 */
export async function untilMarkerDrawn(shoot: () => Promise<Buffer>): Promise<Buffer> {
  let shot = await shoot();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const pixels = await pixelsOf(shot);
    if (isMarkerRed(colourAt(pixels, pixels.width / 2, pixels.height / 2))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
    shot = await shoot();
  }
  return shot;
}
