import { AbortError, type Analyzer, type FeatureMatches, type Progress, type SceneFindings } from '../../../src/jobs/analysis/analyzer.js';
import type { RawImage } from '../../../src/embeds/perspective.js';

/** What the stand-in finds: a bed and a couch, a sharp and well-exposed image. */
export const STUB_FINDINGS: SceneFindings = {
  objects: [
    { label: 'bed', score: 0.8, yaw: 30, pitch: -10, width: 40, height: 20, views: 2 },
    { label: 'couch', score: 0.6, yaw: -120, pitch: -12, width: 30, height: 15, views: 1 },
    { label: 'cup', score: 0.5, yaw: 0, pitch: -20, width: 3, height: 3, views: 1 },
  ],
  quality: { sharpness: 500, blurry: false, clippedHighlights: 0.01, crushedShadows: 0, meanLuma: 120, exposure: 'ok' },
};

/**
 * The analyzer's interface without inference: `steps` progress reports
 * `stepMs` apart, then STUB_FINDINGS; it stops at once when its signal
 * aborts, and records that it did.
 */
export class StubAnalyzer implements Analyzer {
  readonly aborted: number[] = [];
  started = 0;
  /** Progress steps and the time between them; a test may change them for the jobs it starts next. */
  steps: number;
  stepMs: number;

  constructor(options: { steps?: number; stepMs?: number } = {}) {
    this.steps = options.steps ?? 3;
    this.stepMs = options.stepMs ?? 20;
  }

  async analyzeScene(_panorama: RawImage, progress: Progress, signal: AbortSignal): Promise<SceneFindings> {
    this.started += 1;
    const { steps, stepMs } = this;
    for (let step = 0; step < steps; step += 1) {
      progress(Math.round((step / steps) * 90), `step ${step + 1} of ${steps}`);
      await this.wait(stepMs, signal);
    }
    return STUB_FINDINGS;
  }

  async matchFeatures(_a: RawImage, _b: RawImage, signal: AbortSignal): Promise<FeatureMatches> {
    await this.wait(this.stepMs, signal);
    return { pairs: [], keypoints: [0, 0] };
  }

  async close(): Promise<void> {}

  private wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        this.aborted.push(Date.now());
        reject(new AbortError());
      };
      if (signal.aborted) return stop();
      const onAbort = () => (clearTimeout(timer), stop());
      const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
