import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import sharp from 'sharp';
import type { PixelResult, PixelWait } from './browser/contract.js';
import { matching, TOLERANCE, type Sample } from './samples.js';
import type { Variant } from './pages.js';
import { VIEWPORT } from './tour.js';

/**
 * One cold run of one viewer: a fresh Chromium (empty caches, no compiled
 * shaders or code kept), the page opened, and then
 *  1. navigation start -> the first scene's sample points show right on the canvas;
 *  2. after settling, requestAnimationFrame calls during a second of idling;
 *  3. a programmatic scene switch -> the next scene's points show right.
 * Each pixel result is confirmed on a real screenshot. Besides wall time, the
 * CPU time all of Chromium's processes spent in each phase is read (CDP
 * SystemInfo.getProcessInfo): on a shared, oversubscribed machine it drifts
 * far less than wall time.
 */

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
/** A scene counts as drawn sharp when this share of its sample points match. */
const NEEDED_SHARE = 0.9;
const PIXEL_TIMEOUT_MS = 30_000;
/** Let loads that follow the first paint (vr-tour's neighbour preloads) finish before idling is counted. */
const SETTLE_MS = 3_000;
const IDLE_MS = 1_000;
/** Hard stop for one run, whatever hangs. */
const RUN_TIMEOUT_MS = 120_000;

export interface RunPlan {
  origin: string;
  probe: string;
  first: Sample[];
  next: Sample[];
  nextScene: string;
}

export interface RunResult {
  variant: string;
  firstMs: number | null;
  previewMs: number | null;
  idleFrames: number | null;
  switchMs: number | null;
  /** CPU ms of all Chromium processes from navigation to the first sharp pixels, and over the switch. */
  firstCpuMs: number | null;
  switchCpuMs: number | null;
  /** Sample points matched on a screenshot taken right after each pixel result, as "matched/total". */
  screenshots: string[];
  /** URL paths of the scripts and style sheets the page loaded. */
  loadedCode: string[];
  problems: string[];
}

const wait = (samples: Sample[]): PixelWait => ({
  samples,
  tolerance: TOLERANCE,
  needed: Math.ceil(samples.length * NEEDED_SHARE),
  timeoutMs: PIXEL_TIMEOUT_MS,
});

async function screenshotCheck(page: Page, samples: Sample[]): Promise<{ text: string; ok: boolean }> {
  const { data, info } = await sharp(await page.screenshot({ type: 'png' }))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const matched = matching(samples, (x, y) => {
    const offset = (y * info.width + x) * info.channels;
    return [data[offset]!, data[offset + 1]!, data[offset + 2]!];
  });
  return { text: `${matched}/${samples.length}`, ok: matched >= Math.ceil(samples.length * NEEDED_SHARE) };
}

/** CPU time so far of every Chromium process alive, in ms. */
async function chromiumCpuMs(session: CDPSession): Promise<number> {
  const { processInfo } = await session.send('SystemInfo.getProcessInfo');
  return processInfo.reduce((sum, process) => sum + process.cpuTime, 0) * 1000;
}

async function measurePage(page: Page, cdp: CDPSession, variant: Variant, plan: RunPlan, result: RunResult): Promise<void> {
  const settle = async (phase: string, pixels: PixelResult, samples: Sample[]): Promise<number | null> => {
    if (pixels.at === null) {
      result.problems.push(`${phase}: no sharp pixels within ${PIXEL_TIMEOUT_MS} ms (best ${pixels.matched}/${samples.length})`);
      return null;
    }
    const shot = await screenshotCheck(page, samples);
    result.screenshots.push(shot.text);
    if (!shot.ok) result.problems.push(`${phase}: the screenshot matched only ${shot.text} sample points`);
    return pixels.at;
  };

  const cpuAtStart = await chromiumCpuMs(cdp);
  await page.goto(`${plan.origin}/${variant.id}.html`, { waitUntil: 'commit' });
  const first = await page.evaluate(() => window.vrBench.firstSharp);
  const cpuAtFirst = await chromiumCpuMs(cdp);
  result.previewMs = first.previewAt;
  result.firstMs = await settle('first scene', first, plan.first);
  if (result.firstMs === null) return;
  result.firstCpuMs = cpuAtFirst - cpuAtStart;

  await page.waitForTimeout(SETTLE_MS);
  result.idleFrames = await page.evaluate((ms) => window.vrBench.idleAnimationFrames(ms), IDLE_MS);

  const cpuBeforeSwitch = await chromiumCpuMs(cdp);
  const next = await page.evaluate(([scene, pixels]) => window.vrBench.switchAndWait(scene, pixels), [plan.nextScene, wait(plan.next)] as const);
  const cpuAtNext = await chromiumCpuMs(cdp);
  result.switchMs = await settle('scene switch', next, plan.next);
  if (result.switchMs !== null) result.switchCpuMs = cpuAtNext - cpuBeforeSwitch;
  result.loadedCode = (await page.evaluate(() => window.vrBench.loadedCode())).map((url) => new URL(url).pathname);
}

export async function measureRun(variant: Variant, plan: RunPlan): Promise<RunResult> {
  const result: RunResult = {
    variant: variant.id,
    firstMs: null,
    previewMs: null,
    idleFrames: null,
    switchMs: null,
    firstCpuMs: null,
    switchCpuMs: null,
    screenshots: [],
    loadedCode: [],
    problems: [],
  };
  let browser: Browser | null = null;
  const watchdog = setTimeout(() => {
    result.problems.push(`run stopped after ${RUN_TIMEOUT_MS} ms`);
    void browser?.close();
  }, RUN_TIMEOUT_MS);
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
    const context = await browser.newContext({ viewport: { width: VIEWPORT.width, height: VIEWPORT.height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (error) => result.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && result.problems.push(`console: ${message.text()}`));
    await page.addInitScript({ content: `window.vrBenchFirst = ${JSON.stringify(wait(plan.first))};\n${plan.probe}` });
    await measurePage(page, await browser.newBrowserCDPSession(), variant, plan, result);
  } catch (error) {
    result.problems.push(String(error).split('\n')[0]!);
  } finally {
    clearTimeout(watchdog);
    await browser?.close();
  }
  return result;
}

/** The Chromium version the runs use, for the report. */
export async function chromiumVersion(): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}
