import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { RawImage } from '../../embeds/perspective.js';
import { AbortError, type SceneFindings } from './analyzer.js';
import { detect } from './detector.js';
import { matchFeatures } from './orb.js';
import { measureQuality } from './quality.js';
import { cutView, mergeAcrossViews, VIEWS, type View, type ViewDetection } from './views.js';

/** A task from ThreadAnalyzer: `cancel` is a shared flag the main thread sets to 1. */
export type ThreadTask =
  | { id: number; kind: 'scene'; panorama: RawImage; cancel: SharedArrayBuffer }
  | { id: number; kind: 'match'; a: RawImage; b: RawImage; cancel: SharedArrayBuffer };

export type ThreadReply =
  | { id: number; progress: [percent: number, stage: string] }
  | { id: number; result: unknown }
  | { id: number; error: { name: string; message: string } };

const reply = (message: ThreadReply) => parentPort!.postMessage(message);

// Inference yields the CPU to the server's requests: on Linux a nice value is
// per thread, and setPriority without a pid sets this thread's only.
try {
  setPriority(19);
} catch {
  // Where the platform refuses, inference runs at the server's priority.
}

async function analyzeScene(task: Extract<ThreadTask, { kind: 'scene' }>, checkCancel: () => void): Promise<SceneFindings> {
  const found: { view: View; detection: ViewDetection }[] = [];
  const horizon = [];
  for (const [index, view] of VIEWS.entries()) {
    checkCancel();
    reply({ id: task.id, progress: [Math.round((index / VIEWS.length) * 90), `detecting objects (view ${index + 1} of ${VIEWS.length})`] });
    const pixels = cutView(task.panorama, view);
    horizon.push(pixels);
    for (const detection of await detect(pixels)) found.push({ view, detection });
  }
  checkCancel();
  reply({ id: task.id, progress: [90, 'measuring image quality'] });
  return { objects: mergeAcrossViews(found), quality: measureQuality(task.panorama, horizon) };
}

parentPort!.on('message', async (task: ThreadTask) => {
  const flag = new Int32Array(task.cancel);
  const checkCancel = () => {
    if (Atomics.load(flag, 0) === 1) throw new AbortError();
  };
  try {
    const result = task.kind === 'scene' ? await analyzeScene(task, checkCancel) : await matchFeatures(task.a, task.b);
    reply({ id: task.id, result });
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    reply({ id: task.id, error: { name, message } });
  }
});
