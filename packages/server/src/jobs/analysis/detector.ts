import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RawImage } from '../../embeds/perspective.js';
import type { ViewDetection } from './views.js';

const require = createRequire(import.meta.url);

/** Below this score a CenterNet box is noise more often than not. */
export const MIN_SCORE = 0.2;

/** The part of @vladmandic/human this uses. */
interface Human {
  load(): Promise<void>;
  detect(input: unknown): Promise<{ object: { label: string; score: number; box: [number, number, number, number] }[]; error?: string | null }>;
  tf: { tensor4d(values: Int32Array, shape: number[], dtype: 'int32'): { dispose(): void } };
}

/**
 * Human's model loader reads `file://` URLs with fetch, which Node's does
 * not; this answers those from the disk and passes every other URL on.
 * Installed in the worker thread that runs the detector only.
 */
function shimFileFetch(): void {
  const networkFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith('file://')) return networkFetch(input, init);
    const data = await readFile(new URL(url));
    return new Response(data, { headers: { 'Content-Type': url.endsWith('.json') ? 'application/json' : 'application/octet-stream' } });
  };
}

let loading: Promise<Human> | undefined;

/**
 * The COCO object detector (CenterNet, shipped inside @vladmandic/human) on
 * tfjs's WebAssembly backend, loaded once per thread on first use. Its
 * package's subpath exports do not resolve, so its Node WASM build is
 * required by file path.
 */
export function loadDetector(): Promise<Human> {
  loading ??= (async () => {
    shimFileFetch();
    const humanDist = path.dirname(require.resolve('@vladmandic/human'));
    const wasmDist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    const { Human } = require(path.join(humanDist, 'human.node-wasm.js')) as { Human: new (config: object) => Human };
    const human = new Human({
      backend: 'wasm',
      wasmPath: `${pathToFileURL(wasmDist).href}/`,
      modelBasePath: `${pathToFileURL(path.join(humanDist, '..', 'models')).href}/`,
      debug: false,
      // Every view is a new image: results cached from "the previous frame" would be wrong.
      cacheSensitivity: 0,
      filter: { enabled: false },
      face: { enabled: false },
      body: { enabled: false },
      hand: { enabled: false },
      gesture: { enabled: false },
      segmentation: { enabled: false },
      object: { enabled: true, modelPath: 'centernet.json', minConfidence: MIN_SCORE, maxDetected: 30, skipFrames: 0 },
    });
    await human.load();
    return human;
  })();
  return loading;
}

/** The objects in one RGB view, boxes in its pixels. */
export async function detect(view: RawImage): Promise<ViewDetection[]> {
  const human = await loadDetector();
  const pixels = new Int32Array(view.width * view.height * 3);
  for (let index = 0, from = 0; index < pixels.length; from += view.channels) {
    pixels[index++] = view.data[from]!;
    pixels[index++] = view.data[from + 1]!;
    pixels[index++] = view.data[from + 2]!;
  }
  const tensor = human.tf.tensor4d(pixels, [1, view.height, view.width, 3], 'int32');
  try {
    const result = await human.detect(tensor);
    if (result.error) throw new Error(`object detection failed: ${result.error}`);
    return result.object.map(({ label, score, box }) => ({ label, score, box }));
  } finally {
    tensor.dispose();
  }
}
