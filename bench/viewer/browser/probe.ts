import type { Probe } from './contract.js';

/**
 * Runs in the page before any of its scripts (Playwright's init script).
 * It only counts and watches: pixels are read from screenshots on the Node
 * side, because reading a GPU canvas in the page blocks the page's main
 * thread until the GPU is done, which would slow the viewer being measured.
 */

let animationFrames = 0;
const requestFrame = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (callback: FrameRequestCallback): number => {
  animationFrames += 1;
  return requestFrame(callback);
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const probe: Probe = {
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
