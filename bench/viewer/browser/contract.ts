/**
 * What the bench's pages and the in-page probe share: each viewer's page
 * sets `window.benchPage`; the probe (probe.ts, injected before any page
 * script) sets `window.vrBench`, which the Node side calls through
 * `page.evaluate`.
 */

/** Each viewer page's adapter. */
export interface BenchPage {
  /** Switch scenes the way a navigation hotspot does, without a transition. */
  switchTo(scene: string): void;
}

export interface Probe {
  /** requestAnimationFrame calls during the next `ms` milliseconds. */
  idleAnimationFrames(ms: number): Promise<number>;
  /** Calls `benchPage.switchTo(scene)`; returns the wall-clock time of the call (ms since the epoch). */
  switchTo(scene: string): number;
  /** Wall-clock time of the navigation's start (ms since the epoch). */
  timeOrigin(): number;
  /** URLs of the scripts and style sheets the page loaded. */
  loadedCode(): string[];
}

declare global {
  interface Window {
    benchPage?: BenchPage;
    vrBench: Probe;
  }
}
