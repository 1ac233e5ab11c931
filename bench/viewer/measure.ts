import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '@vr-tour/testing/chromium';
import sharp from 'sharp';
import { matching, type Sample } from './samples.js';
import type { Variant } from './pages.js';
import { VIEWPORT } from './tour.js';

/**
 * One cold run of one viewer: a fresh Chromium (empty caches, no compiled
 * shaders or code kept) left to finish its own start-up, the page opened, and then
 *  1. navigation start -> a screenshot shows the first scene's panorama (any
 *     picture of it, its preview too), and -> one shows it sharp;
 *  2. after settling, requestAnimationFrame calls during a second of idling;
 *  3. a programmatic scene switch -> a screenshot shows the next scene's points right.
 * Screenshots come from the compositor (CDP), so polling them does not block
 * the page. Besides wall time, the CPU time of all of Chromium's processes
 * in each phase is read (CDP SystemInfo.getProcessInfo): on a shared,
 * oversubscribed machine it drifts far less than wall time.
 */

/** A scene counts as drawn sharp when this share of its sample points match. */
const NEEDED_SHARE = 0.9;
const PIXEL_TIMEOUT_MS = 30_000;
/** Between screenshots: they cost the browser CPU too. */
const SHOT_GAP_MS = 15;
/** Let loads that follow the first paint (vr-tour's neighbour preloads) finish before idling is counted. */
const SETTLE_MS = 3_000;
const IDLE_MS = 1_000;
/** Before navigating: the browser's CPU in SETTLE_SAMPLE_MS windows must stay under QUIET_SHARE of a core this many times in a row. */
const SETTLE_SAMPLE_MS = 200;
const QUIET_SHARE = 0.1;
const SETTLED_SAMPLES = 3;
const SETTLE_LIMIT_MS = 15_000;
/** Hard stop for one run, whatever hangs. */
const RUN_TIMEOUT_MS = 120_000;

export interface RunPlan {
  origin: string;
  probe: string;
  /** Any picture of the first scene (its preview too), and the first scene sharp. */
  pixels: Sample[];
  first: Sample[];
  next: Sample[];
  nextScene: string;
}

export interface RunResult {
  variant: string;
  /** Navigation to the first screenshot showing the first scene's panorama at any resolution (a preview counts). */
  pixelsMs: number | null;
  /** Navigation to the first screenshot showing it sharp. */
  firstMs: number | null;
  idleFrames: number | null;
  switchMs: number | null;
  /** CPU ms of all Chromium processes from navigation to the first sharp pixels, and over the switch. */
  firstCpuMs: number | null;
  switchCpuMs: number | null;
  /** One screenshot's round trip with the page idle: the resolution of, and a floor under, both times. */
  screenshotMs: number | null;
  /** Sample points matched on the deciding screenshots, as "matched/total", and how many screenshots it took. */
  screenshots: string[];
  /** URL paths of the scripts and style sheets the page loaded. */
  loadedCode: string[];
  problems: string[];
}

const epochNow = () => performance.timeOrigin + performance.now();

/** CPU time so far of every Chromium process alive, in ms. */
async function chromiumCpuMs(session: CDPSession): Promise<number> {
  const { processInfo } = await session.send('SystemInfo.getProcessInfo');
  return processInfo.reduce((sum, process) => sum + process.cpuTime, 0) * 1000;
}

/**
 * Waits until the fresh browser has done its own start-up work: for its first
 * ~3 s it keeps a core busy (building its omnibox WebUI, among others), which
 * would otherwise compete with whichever viewer loads first.
 */
async function settle(session: CDPSession): Promise<void> {
  let last = await chromiumCpuMs(session);
  let quiet = 0;
  for (const started = epochNow(); quiet < SETTLED_SAMPLES && epochNow() - started < SETTLE_LIMIT_MS; ) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_SAMPLE_MS));
    const now = await chromiumCpuMs(session);
    quiet = now - last < SETTLE_SAMPLE_MS * QUIET_SHARE ? quiet + 1 : 0;
    last = now;
  }
}

/** The samples' bounding box: what the screenshots cover. */
function clipOf(samples: Sample[]) {
  const left = Math.min(...samples.map((sample) => sample.x));
  const top = Math.min(...samples.map((sample) => sample.y));
  const width = Math.max(...samples.map((sample) => sample.x)) - left + 1;
  const height = Math.max(...samples.map((sample) => sample.y)) - top + 1;
  return { x: left, y: top, width, height, scale: 1 };
}

const screenshot = (page: CDPSession, clip: ReturnType<typeof clipOf>) =>
  page.send('Page.captureScreenshot', { format: 'png', clip, fromSurface: true, captureBeyondViewport: false });

interface Seen {
  /** ms from `since` to the first screenshot that matched the set, or null. */
  at: number | null;
  text: string;
}

/** Screenshots until each set of samples was matched (NEEDED_SHARE of its points) on one of them. */
async function waitForSamples(page: CDPSession, sets: Sample[][], since: number): Promise<Seen[]> {
  const clip = clipOf(sets.flat());
  const { x: left, y: top } = clip;
  const seen = sets.map(() => ({ at: null as number | null, best: 0, shots: 0 }));
  while (seen.some((set) => set.at === null) && epochNow() - since < PIXEL_TIMEOUT_MS) {
    const shot = await screenshot(page, clip);
    const at = epochNow() - since;
    const { data, info } = await sharp(Buffer.from(shot.data, 'base64')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const read = (x: number, y: number) => {
      const offset = ((y - top) * info.width + (x - left)) * info.channels;
      return [data[offset]!, data[offset + 1]!, data[offset + 2]!] as [number, number, number];
    };
    sets.forEach((samples, index) => {
      const set = seen[index]!;
      if (set.at !== null) return;
      set.shots += 1;
      const matched = matching(samples, read);
      set.best = Math.max(set.best, matched);
      if (matched >= Math.ceil(samples.length * NEEDED_SHARE)) set.at = at;
    });
    await new Promise((resolve) => setTimeout(resolve, SHOT_GAP_MS));
  }
  return seen.map((set, index) => ({
    at: set.at,
    text: `${set.at === null ? 'best ' : ''}${set.best}/${sets[index]!.length} in ${set.shots} shots`,
  }));
}

async function measurePage(page: Page, browserCdp: CDPSession, variant: Variant, plan: RunPlan, result: RunResult): Promise<void> {
  const pageCdp = await page.context().newCDPSession(page);
  const phase = (name: string, pixels: Seen): number | null => {
    result.screenshots.push(pixels.text);
    if (pixels.at === null) result.problems.push(`${name}: no sharp pixels within ${PIXEL_TIMEOUT_MS} ms (${pixels.text})`);
    return pixels.at;
  };

  await settle(browserCdp);
  const cpuAtStart = await chromiumCpuMs(browserCdp);
  await page.goto(`${plan.origin}/${variant.id}.html`, { waitUntil: 'commit' });
  const navigationStart = await page.evaluate(() => window.vrBench.timeOrigin());
  const [anyPixels, sharpPixels] = await waitForSamples(pageCdp, [plan.pixels, plan.first], navigationStart);
  result.pixelsMs = phase('first panorama pixels', anyPixels!);
  result.firstMs = phase('first scene', sharpPixels!);
  const cpuAtFirst = await chromiumCpuMs(browserCdp);
  if (result.firstMs === null) return;
  result.firstCpuMs = cpuAtFirst - cpuAtStart;

  await page.waitForTimeout(SETTLE_MS);
  result.idleFrames = await page.evaluate((ms) => window.vrBench.idleAnimationFrames(ms), IDLE_MS);
  const shotStart = epochNow();
  await screenshot(pageCdp, clipOf(plan.next));
  result.screenshotMs = epochNow() - shotStart;

  const cpuBeforeSwitch = await chromiumCpuMs(browserCdp);
  const switchedAt = await page.evaluate((scene) => window.vrBench.switchTo(scene), plan.nextScene);
  result.switchMs = phase('scene switch', (await waitForSamples(pageCdp, [plan.next], switchedAt))[0]!);
  if (result.switchMs !== null) result.switchCpuMs = (await chromiumCpuMs(browserCdp)) - cpuBeforeSwitch;
  result.loadedCode = (await page.evaluate(() => window.vrBench.loadedCode())).map((url) => new URL(url).pathname);
}

export async function measureRun(variant: Variant, plan: RunPlan): Promise<RunResult> {
  const result: RunResult = {
    variant: variant.id,
    pixelsMs: null,
    firstMs: null,
    idleFrames: null,
    switchMs: null,
    firstCpuMs: null,
    switchCpuMs: null,
    screenshotMs: null,
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
    browser = await launchChromium([], { timeout: 60_000 });
    const context = await browser.newContext({ viewport: { width: VIEWPORT.width, height: VIEWPORT.height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (error) => result.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && result.problems.push(`console: ${message.text()}`));
    await page.addInitScript({ content: plan.probe });
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
  const browser = await launchChromium();
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}
