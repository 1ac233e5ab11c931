import type { PixelResult, PixelWait, Probe, Rgb } from './contract.js';

/**
 * Runs in the page before any of its scripts (Playwright's init script).
 * It reads the viewer's canvas every POLL_MS and compares sample points with
 * the colours the panorama has there. WebGL canvases are asked to keep their
 * drawing buffer (for every viewer alike), otherwise a read after the frame
 * was shown gives nothing; the Node side confirms the result with a real screenshot.
 */

/** Each poll copies the canvas out of the GPU: often enough for the figures, rare enough to cost little. */
const POLL_MS = 25;

let animationFrames = 0;
const requestFrame = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (callback: FrameRequestCallback): number => {
  animationFrames += 1;
  return requestFrame(callback);
};

const getContext = HTMLCanvasElement.prototype.getContext as (this: HTMLCanvasElement, type: string, options?: object) => RenderingContext | null;
HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, options?: object) {
  const webgl = type === 'webgl' || type === 'webgl2' || type === 'experimental-webgl';
  return getContext.call(this, type, webgl ? { ...options, preserveDrawingBuffer: true } : options);
} as typeof HTMLCanvasElement.prototype.getContext;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const distance = (a: Rgb, b: ArrayLike<number>): number => Math.max(Math.abs(a[0] - b[0]!), Math.abs(a[1] - b[1]!), Math.abs(a[2] - b[2]!));

let scratch: CanvasRenderingContext2D | null = null;

/** Samples matched by what the viewer's canvas shows now; 0 while it is missing or hidden. */
function matchedNow(wait: PixelWait): number {
  const canvas = window.benchPage?.canvas();
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const style = getComputedStyle(canvas);
  if (style.visibility !== 'visible' || Number(style.opacity) < 0.99) return 0;
  scratch ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  if (scratch.canvas.width !== canvas.width || scratch.canvas.height !== canvas.height) {
    scratch.canvas.width = canvas.width;
    scratch.canvas.height = canvas.height;
  }
  scratch.drawImage(canvas, 0, 0);
  const box = canvas.getBoundingClientRect();
  const scale = canvas.width / box.width;
  let matched = 0;
  for (const sample of wait.samples) {
    const x = Math.floor((sample.x + 0.5 - box.left) * scale);
    const y = Math.floor((sample.y + 0.5 - box.top) * scale);
    if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) continue;
    if (distance(sample.rgb, scratch.getImageData(x, y, 1, 1).data) <= wait.tolerance) matched += 1;
  }
  return matched;
}

async function waitForPixels(wait: PixelWait, start: number): Promise<PixelResult> {
  const result: PixelResult = { at: null, matched: 0, polls: 0, previewAt: null };
  while (performance.now() - start < wait.timeoutMs) {
    result.polls += 1;
    if (result.previewAt === null && window.benchPage?.previewShown?.()) result.previewAt = performance.now() - start;
    const matched = matchedNow(wait);
    result.matched = Math.max(result.matched, matched);
    if (matched >= wait.needed) {
      result.at = performance.now() - start;
      return result;
    }
    await sleep(POLL_MS);
  }
  return result;
}

const probe: Probe = {
  // performance.now() counts from the navigation's start (the time origin).
  firstSharp: waitForPixels(window.vrBenchFirst, 0),
  async idleAnimationFrames(ms) {
    const before = animationFrames;
    await sleep(ms);
    return animationFrames - before;
  },
  switchAndWait(scene, wait) {
    const start = performance.now();
    window.benchPage!.switchTo(scene);
    return waitForPixels(wait, start);
  },
  loadedCode() {
    return performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((url) => /\.(m?js|css)(\?|$)/.test(new URL(url).pathname));
  },
};
window.vrBench = probe;
