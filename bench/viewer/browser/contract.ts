/**
 * What the bench's pages and the in-page probe share: each viewer's page
 * sets `window.benchPage`; the probe (probe.ts, injected before any page
 * script) sets `window.vrBench`, which the Node side calls through
 * `page.evaluate`.
 */

export type Rgb = readonly [number, number, number];

export interface ProbeSample {
  /** CSS px of the page (the viewer sits at the top-left corner). */
  x: number;
  y: number;
  rgb: Rgb;
}

export interface PixelWait {
  samples: ProbeSample[];
  tolerance: number;
  /** Samples that must match for the scene to count as drawn sharp. */
  needed: number;
  timeoutMs: number;
}

export interface PixelResult {
  /** ms from the start (navigation start, or the switch call) to the first poll that matched; null on timeout. */
  at: number | null;
  /** Best number of samples matched. */
  matched: number;
  polls: number;
  /** ms from the same start until `benchPage.previewShown()` first held (viewers with a preview only). */
  previewAt: number | null;
}

/** Each viewer page's adapter. */
export interface BenchPage {
  /** The canvas that shows the panorama (null until it exists). */
  canvas(): HTMLCanvasElement | null;
  /** Switch scenes the way a navigation hotspot does, without a transition. */
  switchTo(scene: string): void;
  /** For viewers that paint a preview first: whether it is in the page. */
  previewShown?(): boolean;
}

export interface Probe {
  /** Started at document creation for the first scene's samples. */
  firstSharp: Promise<PixelResult>;
  /** requestAnimationFrame calls during the next `ms` milliseconds. */
  idleAnimationFrames(ms: number): Promise<number>;
  /** Calls `benchPage.switchTo(scene)` and waits for the scene's samples; `at` counts from the call. */
  switchAndWait(scene: string, wait: PixelWait): Promise<PixelResult>;
  /** URLs of the scripts and style sheets the page loaded. */
  loadedCode(): string[];
}

declare global {
  interface Window {
    benchPage?: BenchPage;
    vrBench: Probe;
    /** Set by the Node side in the init script, before the probe runs. */
    vrBenchFirst: PixelWait;
  }
}
