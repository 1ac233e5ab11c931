import type { RawImage } from '../../embeds/perspective.js';

/** Tells how far a computation is: percent of its own work (0–100) and what it is doing. */
export type Progress = (percent: number, stage: string) => void;

/** An object found in the panorama, merged across the views that saw it. */
export interface DetectedObject {
  /** A COCO class ("bed", "oven", ...). */
  label: string;
  /** The detector's best score for it, 0–1. */
  score: number;
  /** Where its box's centre is, in degrees (yaw 0 at the panorama's centre column, growing to the right). */
  yaw: number;
  pitch: number;
  /** The angular width and height of its box, in degrees. */
  width: number;
  height: number;
  /** How many of the perspective views saw it. */
  views: number;
}

export interface ImageQuality {
  /** Variance of the Laplacian of the horizon views' luma: low is blurry. */
  sharpness: number;
  blurry: boolean;
  /** Share of pixels with a channel at 250 or more. */
  clippedHighlights: number;
  /** Share of pixels whose luma is 5 or less. */
  crushedShadows: number;
  /** Mean luma, 0–255. */
  meanLuma: number;
  exposure: 'under' | 'ok' | 'over';
}

export interface SceneFindings {
  objects: DetectedObject[];
  quality: ImageQuality;
}

/** Matched features of two panoramas, as directions in each. */
export interface FeatureMatches {
  /** [yawA, pitchA, yawB, pitchB] per match, degrees. */
  pairs: [number, number, number, number][];
  /** Keypoints found in each panorama. */
  keypoints: [number, number];
}

/**
 * The CPU-heavy part of the AI jobs, behind one interface so the server runs
 * it in worker threads (ThreadAnalyzer) and tests may stand in for it.
 * Every call stops early, rejecting with an AbortError, once `signal` aborts.
 */
export interface Analyzer {
  /** Objects (COCO classes) and image quality of an equirectangular RGB panorama. */
  analyzeScene(panorama: RawImage, progress: Progress, signal: AbortSignal): Promise<SceneFindings>;
  /** ORB feature matches between two equirectangular grey panoramas (one channel each). */
  matchFeatures(a: RawImage, b: RawImage, signal: AbortSignal): Promise<FeatureMatches>;
  /** Ends its threads. */
  close(): Promise<void>;
}

export class AbortError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('cancelled');
  }
}
