import type { Probe } from './contract.js';

/**
 * Runs in the page before any of its scripts (Playwright's init script).
 * It only counts and watches: pixels are read from screenshots on the Node
 * side, because reading a GPU canvas in the page blocks the page's main
 * thread until the GPU is done, which would slow the viewer being measured.
 */

const PREVIEW_POLL_MS = 25;
const PREVIEW_TIMEOUT_MS = 30_000;

let animationFrames = 0;
const requestFrame = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (callback: FrameRequestCallback): number => {
  animationFrames += 1;
  return requestFrame(callback);
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A DOM check only (no pixel reads), so cheap enough to poll. */
async function previewAt(): Promise<number | null> {
  while (performance.now() < PREVIEW_TIMEOUT_MS) {
    if (window.benchPage && !window.benchPage.previewShown) return null;
    if (window.benchPage?.previewShown?.()) return performance.now();
    await sleep(PREVIEW_POLL_MS);
  }
  return null;
}

const probe: Probe = {
  // performance.now() counts from the navigation's start (the time origin).
  previewAt: previewAt(),
  async idleAnimationFrames(ms) {
    const before = animationFrames;
    await sleep(ms);
    return animationFrames - before;
  },
  switchTo(scene) {
    const at = performance.timeOrigin + performance.now();
    window.benchPage!.switchTo(scene);
    return at;
  },
  timeOrigin: () => performance.timeOrigin,
  loadedCode() {
    return performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((url) => /\.(m?js|css)(\?|$)/.test(new URL(url).pathname));
  },
};
window.vrBench = probe;
