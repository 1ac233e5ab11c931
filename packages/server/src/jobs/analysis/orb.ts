import { createRequire } from 'node:module';
import type { RawImage } from '../../embeds/perspective.js';
import type { FeatureMatches } from './analyzer.js';

const require = createRequire(import.meta.url);

/** Features per panorama: enough for rooms with a few textured walls, ~0.7 s per pair at 2048 px. */
const FEATURES = 3000;
/** Lowe's ratio test: a match must be clearly better than the second best. */
const RATIO = 0.75;

// OpenCV's JS build has no types of use here; these are the calls made.
/* eslint-disable @typescript-eslint/no-explicit-any */
let loading: Promise<{ cv: any }> | undefined;

/**
 * OpenCV (WebAssembly), loaded once per thread on first use. The module
 * object has a `then` of its own, so it is handed on wrapped: a promise
 * resolved with it would wait on that instead.
 */
function loadOpenCv(): Promise<{ cv: any }> {
  loading ??= new Promise((resolve) => {
    const cv = require('@techstark/opencv-js');
    if (cv.Mat) resolve({ cv });
    else cv.onRuntimeInitialized = () => resolve({ cv });
  });
  return loading;
}

const toYaw = (x: number, width: number) => ((x + 0.5) / width) * 360 - 180;
const toPitch = (y: number, height: number) => 90 - ((y + 0.5) / height) * 180;

/** ORB keypoints of both grey panoramas, matched by Hamming distance with the ratio test, as directions. */
export async function matchFeatures(a: RawImage, b: RawImage): Promise<FeatureMatches> {
  const { cv } = await loadOpenCv();
  const owned: { delete(): void }[] = [];
  const keep = <T extends { delete(): void }>(value: T) => (owned.push(value), value);
  try {
    const orb = keep(new cv.ORB(FEATURES));
    const noMask = keep(new cv.Mat());
    const describe = (image: RawImage) => {
      const mat = keep(cv.matFromArray(image.height, image.width, cv.CV_8UC1, image.data));
      const keypoints = keep(new cv.KeyPointVector());
      const descriptors = keep(new cv.Mat());
      orb.detectAndCompute(mat, noMask, keypoints, descriptors);
      return { keypoints, descriptors };
    };
    const first = describe(a);
    const second = describe(b);
    const pairs: FeatureMatches['pairs'] = [];
    if (first.descriptors.rows >= 2 && second.descriptors.rows >= 2) {
      const matcher = keep(new cv.BFMatcher(cv.NORM_HAMMING, false));
      const knn = keep(new cv.DMatchVectorVector());
      matcher.knnMatch(first.descriptors, second.descriptors, knn, 2);
      for (let index = 0; index < knn.size(); index += 1) {
        const candidates = knn.get(index);
        if (candidates.size() >= 2) {
          const [best, next] = [candidates.get(0), candidates.get(1)];
          if (best.distance < RATIO * next.distance) {
            const from = first.keypoints.get(best.queryIdx).pt;
            const to = second.keypoints.get(best.trainIdx).pt;
            pairs.push([toYaw(from.x, a.width), toPitch(from.y, a.height), toYaw(to.x, b.width), toPitch(to.y, b.height)]);
          }
        }
        candidates.delete();
      }
    }
    return { pairs, keypoints: [first.keypoints.size(), second.keypoints.size()] };
  } finally {
    for (const value of owned.reverse()) value.delete();
  }
}
