import { perspectiveView, viewRays, type RawImage } from '../../embeds/perspective.js';
import type { DetectedObject } from './analyzer.js';

const DEG = 180 / Math.PI;

/** Square views of 90° around the horizon, every 45°: each object is whole in at least one. */
export const VIEW_SIZE = 512;
export const VIEWS = [-180, -135, -90, -45, 0, 45, 90, 135].map((yaw) => ({ yaw, pitch: 0, fov: 90 }));

export type View = (typeof VIEWS)[number];

/** A detector's box in a view's pixels: left, top, width, height. */
export interface ViewDetection {
  label: string;
  score: number;
  box: [number, number, number, number];
}

export function cutView(panorama: RawImage, view: View): RawImage {
  return perspectiveView(panorama, view, VIEW_SIZE, VIEW_SIZE);
}

/** A detection's box as directions on the sphere: its centre, and its angular width and height. */
export function onSphere(view: View, detection: ViewDetection): Omit<DetectedObject, 'views'> {
  const ray = viewRays(view, VIEW_SIZE, VIEW_SIZE);
  const at = new Float64Array(2);
  const [left, top, width, height] = detection.box;
  ray(left + width / 2, top + height / 2, at);
  const [yaw, pitch] = [at[0]! * DEG, at[1]! * DEG];
  ray(left, top + height / 2, at);
  const leftYaw = at[0]! * DEG;
  ray(left + width, top + height / 2, at);
  const rightYaw = at[0]! * DEG;
  ray(left + width / 2, top, at);
  const topPitch = at[1]! * DEG;
  ray(left + width / 2, top + height, at);
  const bottomPitch = at[1]! * DEG;
  return {
    label: detection.label,
    score: detection.score,
    yaw,
    pitch,
    width: Math.abs(wrapDegrees(rightYaw - leftYaw)),
    height: Math.abs(topPitch - bottomPitch),
  };
}

/** An angle in degrees brought into [-180, 180). */
export function wrapDegrees(angle: number): number {
  return ((((angle + 180) % 360) + 360) % 360) - 180;
}

/** How much of a view's width a box may be cut by its edge and still be trusted for its centre. */
const EDGE_MARGIN = 4;

/**
 * One object per thing seen: detections of one class whose centres are
 * closer than half the larger box are the same object seen from two views.
 * A box touching its view's edge is cut off there, so its centre is off; a
 * whole box of the same object from another view wins over it.
 */
export function mergeAcrossViews(detections: { view: View; detection: ViewDetection }[]): DetectedObject[] {
  const candidates = detections.map(({ view, detection }) => {
    const [left, , width] = detection.box;
    const cut = left <= EDGE_MARGIN || left + width >= VIEW_SIZE - EDGE_MARGIN;
    return { ...onSphere(view, detection), cut };
  });
  // Whole boxes first, then by score: the first of each group is its best view.
  candidates.sort((a, b) => Number(a.cut) - Number(b.cut) || b.score - a.score);
  const merged: (DetectedObject & { cut: boolean })[] = [];
  for (const candidate of candidates) {
    const same = merged.find(
      (object) =>
        object.label === candidate.label &&
        Math.abs(wrapDegrees(object.yaw - candidate.yaw)) < Math.max(object.width, candidate.width) / 2 &&
        Math.abs(object.pitch - candidate.pitch) < Math.max(object.height, candidate.height) / 2,
    );
    if (same) {
      same.views += 1;
      same.score = Math.max(same.score, candidate.score);
    } else {
      merged.push({ ...candidate, views: 1 });
    }
  }
  return merged
    .map(({ cut: _cut, ...object }) => ({ ...object, yaw: round(wrapDegrees(object.yaw)), pitch: round(object.pitch), width: round(object.width), height: round(object.height), score: round(object.score, 3) }))
    .sort((a, b) => b.score - a.score);
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
